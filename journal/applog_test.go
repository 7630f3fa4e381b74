package journal

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/log"

	"cam/internal/inert/inerttest"
)

// clock is a settable time source for rotation tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func TestAppLogRotatesDailyAndKeepsSevenDays(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	c := &clock{t: time.Date(2026, 11, 1, 10, 0, 0, 0, time.Local)}
	l, err := openAppLog(dir, c.now)
	if err != nil {
		t.Fatal(err)
	}
	for d := 0; d < 10; d++ {
		c.t = time.Date(2026, 11, 1+d, 10, 0, 0, 0, time.Local)
		fmt.Fprintf(l, "day %d\n", d+1)
	}
	l.Close()

	want := []string{AppLogFileName}
	for d := 2; d <= 9; d++ { // today is the 10th: the 3rd..9th are kept (7 days); the 2nd is 8 days old
		if d >= 3 {
			want = append(want, fmt.Sprintf("%s.2026-11-%02d", AppLogFileName, d))
		}
	}
	sort.Strings(want)
	got := listDir(t, dir)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("files:\n got %v\nwant %v", got, want)
	}
	cur, _ := os.ReadFile(filepath.Join(dir, AppLogFileName))
	if string(cur) != "day 10\n" {
		t.Errorf("current log = %q", cur)
	}
	old, _ := os.ReadFile(filepath.Join(dir, AppLogFileName+".2026-11-05"))
	if string(old) != "day 5\n" {
		t.Errorf("rotated log of the 5th = %q", old)
	}
	for _, name := range got {
		st, _ := os.Stat(filepath.Join(dir, name))
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", name, st.Mode().Perm())
		}
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", st.Mode().Perm())
	}
}

func TestAppLogRotatesYesterdaysFileOnOpen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, AppLogFileName)
	os.WriteFile(path, []byte("old\n"), 0o600)
	yesterday := time.Date(2026, 11, 21, 23, 0, 0, 0, time.Local)
	os.Chtimes(path, yesterday, yesterday)

	c := &clock{t: time.Date(2026, 11, 22, 8, 0, 0, 0, time.Local)}
	l, err := openAppLog(dir, c.now)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(l, "new")
	l.Close()
	if b, _ := os.ReadFile(path + ".2026-11-21"); string(b) != "old\n" {
		t.Errorf("yesterday's file = %q", b)
	}
	if b, _ := os.ReadFile(path); string(b) != "new\n" {
		t.Errorf("today's file = %q", b)
	}
	if _, err := l.Write([]byte("late\n")); err == nil {
		t.Error("Write after Close succeeded")
	}
}

// TestLogLinesAreInert: the log file is read in a terminal (tail, less),
// so database text in a message or value reaches it escaped.
func TestLogLinesAreInert(t *testing.T) {
	var buf bytes.Buffer
	l := NewLogger(&buf, "engine", log.DebugLevel)
	for _, c := range inerttest.Corpus {
		l.Error("query failed: "+c.Text, "err", c.Text, "db", "x"+c.Text)
	}
	if bad := inerttest.Active(buf.String(), true); bad != "" {
		t.Errorf("the log holds %s:\n%q", bad, buf.String())
	}
	if n := strings.Count(buf.String(), "\n"); n != len(inerttest.Corpus) {
		t.Errorf("%d lines for %d entries", n, len(inerttest.Corpus))
	}
}
