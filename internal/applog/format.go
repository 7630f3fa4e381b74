package applog

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The line format of the application log file, defined here and nowhere
// else (docs/LOGS.md describes it for readers):
//
//	[2026-11-22 14:03:07 +01:00] [INFO] [engine] query finished db=hr rows=12 query="password changes"
//
// The time is the local wall clock with its zone offset; the level is
// DEBUG, INFO, WARN or ERROR; the module is one word. The message follows,
// then the attributes as key=value pairs separated by single spaces. The
// message is written in Go's double-quoted syntax when it is empty,
// starts or ends with a space, or holds '=' or '"', so the first '=' of an
// unquoted tail always belongs to the first key; a value is quoted when it
// is empty or holds a space, '=' or '"'. Keys never hold a space, '=' or
// '"'. Every field is inert (controls escaped as \xNN), so one entry is
// always one line.

// TimeLayout is the time field of every line.
const TimeLayout = "2006-01-02 15:04:05 -07:00"

// Format renders r as one line of the file, without the line break.
func Format(r Record) string {
	var b strings.Builder
	b.Grow(64 + len(r.Message) + 16*len(r.Attrs))
	b.WriteByte('[')
	b.WriteString(r.Time.Format(TimeLayout))
	b.WriteString("] [")
	b.WriteString(LevelName(r.Level))
	b.WriteString("] [")
	b.WriteString(r.Module)
	b.WriteString("] ")
	r.appendText(&b)
	return b.String()
}

// Text renders the message and attributes as Format writes them after the
// module: the log pane shows exactly what the file holds.
func (r Record) Text() string {
	var b strings.Builder
	r.appendText(&b)
	return b.String()
}

func (r Record) appendText(b *strings.Builder) {
	if needsQuote(r.Message, true) {
		b.WriteString(strconv.Quote(r.Message))
	} else {
		b.WriteString(r.Message)
	}
	for _, a := range r.Attrs {
		b.WriteByte(' ')
		b.WriteString(a.Key)
		b.WriteByte('=')
		if needsQuote(a.Value, false) {
			b.WriteString(strconv.Quote(a.Value))
		} else {
			b.WriteString(a.Value)
		}
	}
}

// needsQuote says whether s must be written quoted to stay parseable.
func needsQuote(s string, message bool) bool {
	if s == "" || strings.ContainsAny(s, `="`) {
		return true
	}
	if message {
		return s[0] == ' ' || s[len(s)-1] == ' '
	}
	return strings.ContainsRune(s, ' ')
}

// Parse reads one line written by Format (without its line break). The
// Record it returns holds the text as the file does: masked and inert.
func Parse(line string) (Record, error) {
	var r Record
	var fields [3]string
	rest := line
	for i := range fields {
		end := strings.Index(rest, "] ")
		if !strings.HasPrefix(rest, "[") || end < 0 {
			return r, fmt.Errorf("log line %q: field %d is not [bracketed]", line, i+1)
		}
		fields[i], rest = rest[1:end], rest[end+2:]
	}
	t, err := time.Parse(TimeLayout, fields[0])
	if err != nil {
		return r, fmt.Errorf("log line %q: time %q is not %q", line, fields[0], TimeLayout)
	}
	lvl, err := ParseLevel(fields[1])
	if err != nil || fields[1] != LevelName(lvl) {
		return r, fmt.Errorf("log line %q: level %q is not DEBUG, INFO, WARN or ERROR", line, fields[1])
	}
	r.Time, r.Level, r.Module = t, lvl, fields[2]
	if r.Message, rest, err = parseMessage(rest); err != nil {
		return r, fmt.Errorf("log line %q: %w", line, err)
	}
	for rest != "" {
		var a Attr
		if a, rest, err = parseAttr(rest); err != nil {
			return r, fmt.Errorf("log line %q: %w", line, err)
		}
		r.Attrs = append(r.Attrs, a)
	}
	return r, nil
}

// parseMessage splits s into the message and the attributes after it.
func parseMessage(s string) (msg, rest string, err error) {
	if strings.HasPrefix(s, `"`) {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return "", "", fmt.Errorf("message: %w", err)
		}
		msg, _ = strconv.Unquote(q)
		rest, err = afterSpace(s[len(q):])
		return msg, rest, err
	}
	eq := strings.IndexByte(s, '=')
	if eq < 0 {
		return s, "", nil
	}
	sp := strings.LastIndexByte(s[:eq], ' ')
	if sp < 0 {
		return "", "", fmt.Errorf("message %q holds '=' but is not quoted", s)
	}
	return s[:sp], s[sp+1:], nil
}

// parseAttr reads one key=value pair from the start of s.
func parseAttr(s string) (Attr, string, error) {
	eq := strings.IndexByte(s, '=')
	if eq <= 0 || strings.ContainsAny(s[:eq], ` "`) {
		return Attr{}, "", fmt.Errorf("attribute %q is not key=value", s)
	}
	a := Attr{Key: s[:eq]}
	v := s[eq+1:]
	if strings.HasPrefix(v, `"`) {
		q, err := strconv.QuotedPrefix(v)
		if err != nil {
			return Attr{}, "", fmt.Errorf("value of %s: %w", a.Key, err)
		}
		a.Value, _ = strconv.Unquote(q)
		rest, err := afterSpace(v[len(q):])
		return a, rest, err
	}
	end := strings.IndexByte(v, ' ')
	if end < 0 {
		end = len(v)
	}
	a.Value = v[:end]
	rest, err := afterSpace(v[end:])
	return a, rest, err
}

// afterSpace drops the single space that separates a field from the next;
// anything else right after a field is not the format.
func afterSpace(s string) (string, error) {
	switch {
	case s == "":
		return "", nil
	case s[0] == ' ' && len(s) > 1:
		return s[1:], nil
	}
	return "", fmt.Errorf("%q follows a field without one space between", s)
}
