package cli

import (
	"io"
	"strings"

	"github.com/charmbracelet/log"

	"cam/config"
	"cam/journal"
)

// openLog opens the application log in app_settings.log_dir (seed format,
// one cam-YYYY-MM-DD.log file per day, 0600 in a 0700 directory) and
// returns a logger for module writing to it and to extra, if given.
// Loggers for other modules are derived with WithPrefix.
func openLog(cfg *config.Config, module string, extra io.Writer) (*log.Logger, io.Closer, error) {
	app, err := journal.OpenAppLog(cfg.Settings.App.LogDir)
	if err != nil {
		return nil, nil, err
	}
	var w io.Writer = app
	if extra != nil {
		w = io.MultiWriter(app, extra)
	}
	level, err := log.ParseLevel(strings.ToLower(cfg.Settings.App.LogLevel))
	if err != nil {
		level = log.InfoLevel
	}
	return journal.NewLogger(w, module, level), app, nil
}
