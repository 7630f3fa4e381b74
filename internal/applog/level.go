package applog

import (
	"fmt"
	"log/slog"
	"strings"
)

// ParseLevel reads app_settings.log_level (debug, info, warn or error, in
// any case) or a line's level word.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return slog.LevelInfo, fmt.Errorf("%q is not a level (use debug, info, warn or error)", s)
}

// LevelName is the word a level is written as: DEBUG, INFO, WARN or ERROR.
// Levels between the named ones take the name of the one below (INFO+2 is
// INFO), so every line carries one of the four words.
func LevelName(l slog.Level) string {
	switch {
	case l >= slog.LevelError:
		return "ERROR"
	case l >= slog.LevelWarn:
		return "WARN"
	case l >= slog.LevelInfo:
		return "INFO"
	}
	return "DEBUG"
}
