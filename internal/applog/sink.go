package applog

import (
	"io"
	"log/slog"
)

// FileSink writes each record as one line to w in one Write, so lines of
// concurrent loggers (and of other cam processes on an O_APPEND file) never
// interleave.
type FileSink struct{ w io.Writer }

// NewFileSink returns a sink writing lines to w (a journal.AppLog).
func NewFileSink(w io.Writer) *FileSink { return &FileSink{w: w} }

// Put writes r's line.
func (s *FileSink) Put(r Record) error {
	_, err := io.WriteString(s.w, Format(r)+"\n")
	return err
}

// NewLogger returns a logger writing through a Handler to sinks at level,
// for module; derive other modules' loggers with With(ModuleKey, name).
func NewLogger(level slog.Leveler, module string, sinks ...Sink) *slog.Logger {
	return slog.New(NewHandler(level, module, sinks...))
}
