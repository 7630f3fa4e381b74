package session

import (
	"io"
	"log/slog"

	"cam/config"
	"cam/internal/applog"
	"cam/journal"
)

// OpenLog opens the application log in app_settings.log_dir (one
// cam-YYYY-MM-DD.log file per day, 0600 in a 0700 directory, lines as
// docs/LOGS.md describes) and returns a logger for module whose records go
// to that file and to extra (the TUI's log pane), if not nil. Loggers for
// other modules are derived with With(applog.ModuleKey, name).
func OpenLog(cfg *config.Config, module string, extra applog.Sink) (*slog.Logger, io.Closer, error) {
	app, err := journal.OpenAppLog(cfg.Settings.App.LogDir)
	if err != nil {
		return nil, nil, err
	}
	sinks := []applog.Sink{applog.NewFileSink(app)}
	if extra != nil {
		sinks = append(sinks, extra)
	}
	// config.Load has refused any other level word: the fallback is for a
	// Config built in code.
	level, err := applog.ParseLevel(cfg.Settings.App.LogLevel)
	if err != nil {
		level = slog.LevelInfo
	}
	return applog.NewLogger(level, module, sinks...), app, nil
}
