package cli

import (
	"log/slog"
	"path/filepath"
	"time"

	"cam/config"
	"cam/report"
)

// staleTempAge separates a temporary file left by an interrupted export or
// save from one another cam is writing right now.
const staleTempAge = time.Minute

// removeStaleTemps deletes, at start, the temporary files of exports and
// settings saves that a kill -9 or crash interrupted: in the report
// directories and next to app_settings.yaml (and its symlink target). Only
// cam's own files, by name, older than staleTempAge.
func removeStaleTemps(cfg *config.Config, reportDirs []string, logger *slog.Logger) {
	now := time.Now()
	var removed []string
	seen := map[string]bool{}
	for _, dir := range reportDirs {
		if dir == "" || seen[dir] {
			continue
		}
		seen[dir] = true
		files, err := report.RemoveStaleTemps(dir, staleTempAge, now)
		if err != nil {
			logger.Warn("cannot clean the report directory", "err", err)
		}
		removed = append(removed, files...)
	}
	settingsDirs := []string{filepath.Dir(cfg.SettingsFile)}
	if target, err := filepath.EvalSymlinks(cfg.SettingsFile); err == nil {
		settingsDirs = append(settingsDirs, filepath.Dir(target))
	}
	for _, dir := range settingsDirs {
		if !seen[dir] {
			seen[dir] = true
			removed = append(removed, config.RemoveStaleTemps(dir, staleTempAge, now)...)
		}
	}
	for _, p := range removed {
		logger.Info("removed a temporary file left by an interrupted export or save", "file", p)
	}
}
