package cli

import (
	"io"
	"log/slog"

	"cam/config"
	"cam/internal/applog"
	"cam/session"
)

// openLog opens the application log for module (session.OpenLog); extra,
// when not nil, also receives every record (the TUI's log pane).
func openLog(cfg *config.Config, module string, extra applog.Sink) (*slog.Logger, io.Closer, error) {
	return session.OpenLog(cfg, module, extra)
}
