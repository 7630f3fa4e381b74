package journal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/charmbracelet/log"

	"cam/internal/inert"
)

// TimeFormat is the seed's timestamp layout in log lines.
const TimeFormat = "2006-01-02 15:04:05"

// NewLogger returns a logger whose lines reach w in the seed's format:
//
//	[2026-11-22 14:03:07] [INFO] [engine] query finished db=hr rows=12
//
// module names the part of cam that logs (engine, tui, cli, report); a
// "module" key on a line overrides it. Loggers derived with With keep the
// module. w is typically an io.MultiWriter of the AppLog and the TUI's log
// pane sink; both then receive the same text lines.
//
// charmbracelet/log has no custom formatter, so the logger emits JSON into
// a SeedWriter, which re-renders each line.
func NewLogger(w io.Writer, module string, level log.Level) *log.Logger {
	l := log.NewWithOptions(NewSeedWriter(w), log.Options{
		Formatter:       log.JSONFormatter,
		ReportTimestamp: true,
		TimeFormat:      TimeFormat,
		Prefix:          module,
		Level:           level,
	})
	return l
}

// SeedWriter turns charmbracelet/log JSON lines into seed-format text
// lines and writes them to the wrapped writer. Email addresses and
// international phone numbers that slip into a message or value are masked
// on the way: the log must never hold them, and a bug elsewhere should not
// be enough to put them there. It is safe for concurrent use.
type SeedWriter struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

// NewSeedWriter wraps w.
func NewSeedWriter(w io.Writer) *SeedWriter { return &SeedWriter{w: w} }

// Write accepts one or more JSON lines (a partial line waits for the rest)
// and writes one text line for each.
func (s *SeedWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf = append(s.buf, p...)
	for {
		i := bytes.IndexByte(s.buf, '\n')
		if i < 0 {
			break
		}
		line := s.buf[:i]
		out := renderSeed(line)
		s.buf = s.buf[i+1:]
		if _, err := io.WriteString(s.w, out); err != nil {
			return len(p), err
		}
	}
	if len(s.buf) == 0 {
		s.buf = nil
	}
	return len(p), nil
}

// renderSeed renders one JSON log line. Keys keep their logged order, so
// lines read the way the code wrote them. A line that is not JSON is
// passed through (masked) rather than lost.
func renderSeed(line []byte) string {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return Mask(string(line)) + "\n"
	}
	var ts, level, module, msg string
	var rest []string
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return Mask(string(line)) + "\n"
		}
		key, _ := kt.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return Mask(string(line)) + "\n"
		}
		val := plain(raw)
		switch key {
		case "time":
			ts = val
		case "level":
			level = strings.ToUpper(val)
		case "prefix":
			if module == "" {
				module = val
			}
		case "module":
			module = val
		case "msg":
			msg = val
		default:
			rest = append(rest, key+"="+quoteIfNeeded(Mask(val)))
		}
	}
	if module == "" {
		module = "app"
	}
	var b strings.Builder
	// The file is read with tail and less: a message quoting a database
	// value must not act on that terminal either.
	fmt.Fprintf(&b, "[%s] [%s] [%s] %s", ts, level, module, inert.Text(oneLine(Mask(msg))))
	for _, kv := range rest {
		b.WriteByte(' ')
		b.WriteString(kv)
	}
	b.WriteByte('\n')
	return b.String()
}

// plain returns a JSON value as text: strings unquoted, others verbatim.
func plain(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// quoteIfNeeded quotes values with spaces, quotes or '=' so key=value
// pairs stay parseable, and escapes newlines so one entry stays one line.
func quoteIfNeeded(v string) string {
	if v == "" || strings.ContainsAny(v, " \t\"=\n\r") || !inert.IsPlain(v) { // %q escapes controls and bidi
		return fmt.Sprintf("%q", v)
	}
	return v
}

var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// International numbers (leading '+'): local-format numbers are not
	// masked, since they cannot be told apart from counts and dates.
	phonePattern = regexp.MustCompile(`\+\d[\d \-().]{5,}\d`)
)

// Mask replaces email addresses and '+'-prefixed phone numbers in s with
// placeholders.
func Mask(s string) string {
	s = emailPattern.ReplaceAllString(s, "[email]")
	return phonePattern.ReplaceAllString(s, "[phone]")
}

// oneLine escapes line breaks so one log entry is always one line: a
// multi-line message could otherwise forge a line of its own.
func oneLine(s string) string {
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s)
}
