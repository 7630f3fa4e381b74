package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/log"

	"cam/config"
)

// logFileName is the application log inside app_settings.log_dir.
const logFileName = "client_activity_monitor.log"

// openLog opens the application log (0600 in a 0700 directory, since it
// names databases and analysts) and returns a logger writing to it and to
// extra, if given.
func openLog(cfg *config.Config, extra io.Writer) (*log.Logger, io.Closer, error) {
	dir := cfg.Settings.App.LogDir
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("log directory %s (app_settings.log_dir): %w", dir, err)
	}
	path := filepath.Join(dir, logFileName)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("log file %s: %w", path, err)
	}
	var w io.Writer = f
	if extra != nil {
		w = io.MultiWriter(f, extra)
	}
	logger := log.NewWithOptions(w, log.Options{ReportTimestamp: true, TimeFormat: "2006-01-02 15:04:05"})
	if lvl, err := log.ParseLevel(strings.ToLower(cfg.Settings.App.LogLevel)); err == nil {
		logger.SetLevel(lvl)
	}
	return logger, f, nil
}
