package journal

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/log"

	"cam/demo"
)

var seedLine = regexp.MustCompile(`^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] \[(DEBUG|INFO|WARN|ERROR)\] \[[a-z]+\] `)

func TestLoggerWritesSeedFormat(t *testing.T) {
	var buf bytes.Buffer
	l := NewLogger(&buf, "engine", log.InfoLevel)
	l.With("db", "hr").Info("query finished", "rows", 12, "query", "password changes")
	l.Debug("hidden at info level")
	l.Error("query failed", "err", errors.New("ORA-12541: no listener"), "module", "oracle")

	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), buf.String())
	}
	for _, ln := range lines {
		if !seedLine.MatchString(ln) {
			t.Errorf("not in seed format: %q", ln)
		}
	}
	if want := `[INFO] [engine] query finished db=hr rows=12 query="password changes"`; !strings.HasSuffix(lines[0], want) {
		t.Errorf("line 1 = %q, want suffix %q", lines[0], want)
	}
	if want := `[ERROR] [oracle] query failed err="ORA-12541: no listener"`; !strings.HasSuffix(lines[1], want) {
		t.Errorf("line 2 = %q, want suffix %q", lines[1], want)
	}
}

func TestLoggerMasksEmailsAndPhones(t *testing.T) {
	var buf bytes.Buffer
	l := NewLogger(&buf, "engine", log.DebugLevel)
	for _, v := range demo.PlantedChangedValues {
		l.Warn("unexpected value "+v, "value", v)
	}
	l.Info("two lines\n[2026-01-01 00:00:00] [INFO] [engine] forged")
	out := buf.String()
	for _, v := range demo.PlantedChangedValues {
		if strings.Contains(out, v) {
			t.Errorf("log holds planted value %q:\n%s", v, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 5 {
		t.Errorf("got %d lines, want 5 (a message with a newline stays one line):\n%s", n, out)
	}
	if !strings.Contains(out, "[phone]") || !strings.Contains(out, "[email]") {
		t.Errorf("placeholders missing:\n%s", out)
	}
}

func TestMaskLeavesTimesAndCountsAlone(t *testing.T) {
	in := "[2026-11-22 14:03:07] rows=120000 took 1.5s id=10042"
	if got := Mask(in); got != in {
		t.Errorf("Mask(%q) = %q", in, got)
	}
}

func TestSeedWriterIsSafeForConcurrentLoggers(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return buf.Write(p) })
	l := NewLogger(w, "tui", log.InfoLevel)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				l.Info("tick", "n", j)
			}
		}()
	}
	wg.Wait()
	for _, ln := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if !seedLine.MatchString(ln) || !strings.HasPrefix(ln[strings.Index(ln, "] [tui] ")+8:], "tick n=") {
			t.Fatalf("torn line %q", ln)
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
