package applog

import (
	"log/slog"
	"time"
)

// Record is one application log entry as both the file and the log pane
// receive it. Message and every Attr's Key and Value are already masked
// (Mask) and inert (internal/inert): a sink writes them as they are.
type Record struct {
	Time    time.Time
	Level   slog.Level
	Module  string // the part of cam that logged: cli, tui, engine, …
	Message string
	Attrs   []Attr // in the order the code logged them
}

// Attr is one key=value pair of a Record, its value rendered as text.
type Attr struct{ Key, Value string }

// Sink receives every record a Handler passes. Put is called from the
// logging goroutine, so it must not block for long; it may keep r.
type Sink interface{ Put(r Record) error }
