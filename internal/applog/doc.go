// Package applog carries cam's application log records from the code that
// logs to where they are read. Handler is the one slog.Handler every logger
// in cam writes through: it turns each slog record once into a Record
// (level, time, module, message, attributes as text, masked and inert) and
// hands that Record to its sinks, the day file (FileSink, in the line
// format of format.go) and, while the TUI runs, the log pane. Nothing is
// serialised only to be parsed again.
package applog
