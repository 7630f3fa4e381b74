package applog

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"cam/demo"
	"cam/internal/inert/inerttest"
)

// lineStart is the documented head of every line: time with zone offset,
// level word, module.
var lineStart = regexp.MustCompile(`^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d\] \[(DEBUG|INFO|WARN|ERROR)\] \[[a-z]+\] `)

// capture is a Sink keeping the records it is given.
type capture struct {
	mu      sync.Mutex
	records []Record
}

func (c *capture) Put(r Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.records = append(c.records, r)
	return nil
}

// newTestLogger logs to a buffer (the file's lines) and a capture (the
// records the pane receives) at once.
func newTestLogger(level slog.Level) (*slog.Logger, *bytes.Buffer, *capture) {
	var buf bytes.Buffer
	c := &capture{}
	return NewLogger(level, "engine", NewFileSink(&buf), c), &buf, c
}

func lines(buf *bytes.Buffer) []string {
	return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
}

func TestLinesFollowTheDocumentedFormat(t *testing.T) {
	l, buf, _ := newTestLogger(slog.LevelInfo)
	l.With("db", "hr").Info("query finished", "rows", 12, "query", "password changes")
	l.Debug("hidden at info level")
	l.Error("query failed", "err", errors.New("ORA-12541: no listener"), ModuleKey, "oracle")

	got := lines(buf)
	if len(got) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(got), buf)
	}
	for _, ln := range got {
		if !lineStart.MatchString(ln) {
			t.Errorf("line does not start with time, zone offset, level and module: %q", ln)
		}
	}
	if want := `[INFO] [engine] query finished db=hr rows=12 query="password changes"`; !strings.HasSuffix(got[0], want) {
		t.Errorf("line 1 = %q, want suffix %q", got[0], want)
	}
	if want := `[ERROR] [oracle] query failed err="ORA-12541: no listener"`; !strings.HasSuffix(got[1], want) {
		t.Errorf("line 2 = %q, want suffix %q", got[1], want)
	}
}

func TestEveryLineCarriesTheZoneOffset(t *testing.T) {
	zones := []struct {
		name string
		loc  *time.Location
		want string
	}{
		{"UTC", time.UTC, "+00:00"},
		{"east", time.FixedZone("X", 5*3600+30*60), "+05:30"},
		{"west", time.FixedZone("Y", -7*3600), "-07:00"},
	}
	for _, z := range zones {
		t.Run(z.name, func(t *testing.T) {
			r := Record{Time: time.Date(2026, 11, 28, 23, 59, 59, 0, z.loc), Level: slog.LevelInfo, Module: "tui", Message: "tick"}
			line := Format(r)
			if want := "[2026-11-28 23:59:59 " + z.want + "] "; !strings.HasPrefix(line, want) {
				t.Fatalf("line %q, want prefix %q", line, want)
			}
			back, err := Parse(line)
			if err != nil {
				t.Fatal(err)
			}
			if !back.Time.Equal(r.Time) {
				t.Errorf("time read back as %v, want %v", back.Time, r.Time)
			}
		})
	}
}

func TestLinesParseBackToTheRecordsThePaneReceives(t *testing.T) {
	cases := []struct {
		name string
		msg  string
		args []any
	}{
		{"plain", "run started", []any{"databases", 3, "mode", "full"}},
		{"no attributes", "cam started", nil},
		{"empty message", "", []any{"k", "v"}},
		{"message with equals", "a=b is not an attribute", []any{"k", "v"}},
		{"message with quotes", `say "hi"`, nil},
		{"message with edge spaces", " padded ", []any{"n", 1}},
		{"message with brackets", "[x] ] [y] done", nil},
		{"empty value", "m", []any{"v", ""}},
		{"value with space equals quote", "m", []any{"v", `a b="c"`}},
		{"backslashes", `DOMAIN\user`, []any{"user", `DOMAIN\user`, "q", `"\"`}},
		{"odd keys", "m", []any{"a key", "1", "k=v", "2", `q"`, "3"}},
		{"group", "m", []any{slog.Group("req", "id", 7, slog.Group("inner", "x", "y"))}},
		{"duration and time", "m", []any{"took", 1500 * time.Millisecond, "at", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}},
		{"control characters", "line\nbreak\x1b[31m", []any{"v", "tab\there\r\n"}},
		{"unicode", "café \u202eevil", []any{"name", "Zoë"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, buf, got := newTestLogger(slog.LevelDebug)
			l.Info(c.msg, c.args...)
			ls := lines(buf)
			if len(ls) != 1 || len(got.records) != 1 {
				t.Fatalf("%d lines and %d records for one entry:\n%s", len(ls), len(got.records), buf)
			}
			if !lineStart.MatchString(ls[0]) {
				t.Errorf("line head %q", ls[0])
			}
			back, err := Parse(ls[0])
			if err != nil {
				t.Fatal(err)
			}
			want := got.records[0]
			want.Time = want.Time.Truncate(time.Second)
			if !back.Time.Equal(want.Time) {
				t.Errorf("time %v, want %v", back.Time, want.Time)
			}
			back.Time = want.Time
			if len(want.Attrs) == 0 {
				want.Attrs = nil
			}
			if !reflect.DeepEqual(back, want) {
				t.Errorf("line %q\nparsed %#v\nsent   %#v", ls[0], back, want)
			}
		})
	}
}

func TestParseRefusesOtherText(t *testing.T) {
	bad := map[string]string{
		"not bracketed":   "cam started",
		"no zone":         "[2026-11-22 14:03:07] [INFO] [engine] x",
		"unknown level":   "[2026-11-22 14:03:07 +00:00] [FATAL] [engine] x",
		"lower level":     "[2026-11-22 14:03:07 +00:00] [info] [engine] x",
		"bare equals":     "[2026-11-22 14:03:07 +00:00] [INFO] [engine] a=b",
		"open quote":      `[2026-11-22 14:03:07 +00:00] [INFO] [engine] m k="v`,
		"glued attribute": `[2026-11-22 14:03:07 +00:00] [INFO] [engine] m k="v"x=y`,
	}
	for name, line := range bad {
		t.Run(name, func(t *testing.T) {
			if r, err := Parse(line); err == nil {
				t.Errorf("Parse(%q) = %+v, want an error", line, r)
			}
		})
	}
}

func TestTheLogNeverHoldsChangedValues(t *testing.T) {
	l, buf, got := newTestLogger(slog.LevelDebug)
	for _, v := range demo.PlantedChangedValues {
		l.Warn("unexpected value "+v, "value", v, slog.Group("g", "v", v))
	}
	l.With("user", demo.PlantedChangedValues[0]).Info("two lines\n[2026-01-01 00:00:00 +00:00] [INFO] [engine] forged")
	out := buf.String()
	var pane strings.Builder
	for _, r := range got.records {
		pane.WriteString(r.Text() + "\n")
	}
	for _, v := range demo.PlantedChangedValues {
		if strings.Contains(out, v) || strings.Contains(pane.String(), v) {
			t.Errorf("log holds planted value %q:\nfile:\n%s\npane:\n%s", v, out, pane.String())
		}
	}
	if n := strings.Count(out, "\n"); n != len(demo.PlantedChangedValues)+1 {
		t.Errorf("got %d lines, want %d (a message with a newline stays one line):\n%s", n, len(demo.PlantedChangedValues)+1, out)
	}
	if !strings.Contains(out, "[phone]") || !strings.Contains(out, "[email]") {
		t.Errorf("placeholders missing:\n%s", out)
	}
}

func TestMaskLeavesTimesAndCountsAlone(t *testing.T) {
	in := "[2026-11-22 14:03:07 +01:00] rows=120000 took 1.5s id=10042"
	if got := Mask(in); got != in {
		t.Errorf("Mask(%q) = %q", in, got)
	}
}

// TestLogLinesAreInert: the log file is read in a terminal (tail, less)
// and the records are drawn in the log pane, so database text in a
// message, key or value reaches both escaped.
func TestLogLinesAreInert(t *testing.T) {
	l, buf, got := newTestLogger(slog.LevelDebug)
	for _, c := range inerttest.Corpus {
		l.Error("query failed: "+c.Text, "err", c.Text, "db", "x"+c.Text, c.Text, 1, ModuleKey, c.Text)
	}
	if bad := inerttest.Active(buf.String(), true); bad != "" {
		t.Errorf("the log holds %s:\n%q", bad, buf.String())
	}
	for _, r := range got.records {
		if bad := inerttest.Active(r.Module+r.Text(), false); bad != "" {
			t.Errorf("a record holds %s: %q", bad, r.Text())
		}
	}
	if n := strings.Count(buf.String(), "\n"); n != len(inerttest.Corpus) {
		t.Errorf("%d lines for %d entries", n, len(inerttest.Corpus))
	}
	for _, ln := range lines(buf) {
		if _, err := Parse(ln); err != nil {
			t.Errorf("hostile text broke the format: %v", err)
		}
	}
}

func TestConcurrentLoggersWriteWholeLines(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return buf.Write(p) })
	l := NewLogger(slog.LevelInfo, "tui", NewFileSink(w))
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				l.With(ModuleKey, "engine").Info("tick", "g", i, "n", j)
			}
		}()
	}
	wg.Wait()
	got := lines(&buf)
	if len(got) != 200 {
		t.Fatalf("%d lines, want 200", len(got))
	}
	for _, ln := range got {
		r, err := Parse(ln)
		if err != nil || r.Module != "engine" || r.Message != "tick" || len(r.Attrs) != 2 {
			t.Fatalf("torn line %q: %v", ln, err)
		}
	}
}

func TestSinkErrorsAreReturned(t *testing.T) {
	h := NewHandler(slog.LevelInfo, "cli", NewFileSink(writerFunc(func([]byte) (int, error) { return 0, errors.New("disk full") })))
	err := h.Handle(t.Context(), slog.NewRecord(time.Now(), slog.LevelInfo, "x", 0))
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Handle = %v, want the file's error", err)
	}
}

func TestParseLevelAcceptsTheSettingsWords(t *testing.T) {
	for _, s := range []string{"debug", "info", "warn", "error", "WARN"} {
		t.Run(s, func(t *testing.T) {
			l, err := ParseLevel(s)
			if err != nil || LevelName(l) != strings.ToUpper(s) {
				t.Errorf("ParseLevel(%q) = %v, %v", s, l, err)
			}
		})
	}
	if _, err := ParseLevel("verbose"); err == nil || !strings.Contains(err.Error(), `"verbose"`) {
		t.Errorf("ParseLevel(verbose) = %v, want an error naming the value", err)
	}
}

func FuzzLinesParseBack(f *testing.F) {
	f.Add("query finished", "db", "hr")
	f.Add(`a="b"`, "", " ")
	f.Add("x\n[y] z", "k=v", `\"`)
	f.Fuzz(func(t *testing.T, msg, key, value string) {
		l, buf, got := newTestLogger(slog.LevelDebug)
		l.Info(msg, key, value)
		ls := lines(buf)
		if len(ls) != 1 {
			t.Fatalf("%d lines for one entry: %q", len(ls), buf.String())
		}
		back, err := Parse(ls[0])
		if err != nil {
			t.Fatal(err)
		}
		want := got.records[0]
		back.Time = want.Time
		if len(want.Attrs) == 0 {
			want.Attrs = nil
		}
		if !reflect.DeepEqual(back, want) {
			t.Errorf("line %q\nparsed %#v\nsent   %#v", ls[0], back, want)
		}
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestTheDocumentedExamplesAreTheFormat keeps docs/LOGS.md true: each
// example line parses, and formats back to itself.
func TestTheDocumentedExamplesAreTheFormat(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "LOGS.md"))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, ln := range strings.Split(string(doc), "\n") {
		line, ok := strings.CutPrefix(ln, "    [")
		if !ok {
			continue
		}
		line = "[" + line
		n++
		t.Run(fmt.Sprint("example ", n), func(t *testing.T) {
			r, err := Parse(line)
			if err != nil {
				t.Fatal(err)
			}
			if back := Format(r); back != line {
				t.Errorf("formats back as\n%s\nnot\n%s", back, line)
			}
		})
	}
	if n < 3 {
		t.Errorf("found %d example lines in docs/LOGS.md, want 3", n)
	}
}
