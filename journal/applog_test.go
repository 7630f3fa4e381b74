package journal

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable time source for day-change tests.
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

func TestAppLogWritesOneFilePerDayAndKeepsSevenDays(t *testing.T) {
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

	var want []string // today is the 10th: it and the 7 days before are kept
	for d := 3; d <= 10; d++ {
		want = append(want, fmt.Sprintf("cam-2026-11-%02d.log", d))
	}
	got := listDir(t, dir)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("files:\n got %v\nwant %v", got, want)
	}
	for _, d := range []int{5, 10} {
		b, _ := os.ReadFile(filepath.Join(dir, fmt.Sprintf("cam-2026-11-%02d.log", d)))
		if string(b) != fmt.Sprintf("day %d\n", d) {
			t.Errorf("log of the %dth = %q", d, b)
		}
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
	if _, err := l.Write([]byte("late\n")); err == nil {
		t.Error("Write after Close succeeded")
	}
}

func TestAppLogAppendsToTodaysFileAndPrunesOnlyItsOwnOldFiles(t *testing.T) {
	dir := t.TempDir()
	keep := []string{"cam-2026-11-15.log", "cam-2026-11-22.log", "client_activity_monitor.log",
		"cam-notaday.log", "audit.jsonl", "cam-2026-11-14.log.bak"}
	for _, n := range append([]string{"cam-2026-11-14.log", "cam-2026-10-30.log"}, keep...) {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("old\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c := &clock{t: time.Date(2026, 11, 22, 8, 0, 0, 0, time.Local)}
	l, err := openAppLog(dir, c.now)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(l, "new")
	l.Close()
	sort.Strings(keep)
	if got := listDir(t, dir); strings.Join(got, ",") != strings.Join(keep, ",") {
		t.Errorf("files:\n got %v\nwant %v", got, keep)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "cam-2026-11-22.log")); string(b) != "old\nnew\n" {
		t.Errorf("today's file = %q, want the old line kept and the new one appended", b)
	}
}

// logChild is the child half of TestAppLogManyProcessesAcrossMidnight: one
// cam process whose clock runs from just before midnight to just after,
// writing numbered lines that say which day they were written on.
const (
	logChildLines = 400
	logChildStep  = 5 * time.Millisecond // 400 lines span two seconds of fake time
)

func TestAppLogChild(t *testing.T) {
	dir, id := os.Getenv("CAM_APPLOG_DIR"), os.Getenv("CAM_APPLOG_ID")
	if dir == "" {
		t.Skip("child process of TestAppLogManyProcessesAcrossMidnight")
	}
	start := time.Date(2026, 11, 28, 23, 59, 59, 0, time.Local)
	var mu sync.Mutex
	c := &clock{t: start}
	l, err := openAppLog(dir, func() time.Time { mu.Lock(); defer mu.Unlock(); return c.now() })
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < logChildLines; n++ {
		mu.Lock()
		c.t = start.Add(time.Duration(n) * logChildStep)
		day := dayOf(c.t)
		mu.Unlock()
		if _, err := fmt.Fprintf(l, "p=%s n=%d day=%s\n", id, n, day); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
}

func TestAppLogManyProcessesAcrossMidnight(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 20 processes")
	}
	const procs = 20
	dir := t.TempDir()
	// Old days for every process to race to delete at midnight.
	for _, n := range []string{"cam-2026-11-10.log", "cam-2026-11-21.log"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "cam-2026-11-22.log"), []byte("kept\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make([]error, procs)
	outs := make([][]byte, procs)
	for p := 0; p < procs; p++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAppLogChild$")
		cmd.Env = append(os.Environ(), "CAM_APPLOG_DIR="+dir, "CAM_APPLOG_ID="+strconv.Itoa(p))
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[p], errs[p] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for p := range errs {
		if errs[p] != nil {
			t.Fatalf("process %d: %v\n%s", p, errs[p], outs[p])
		}
	}

	want := []string{"cam-2026-11-22.log", "cam-2026-11-28.log", "cam-2026-11-29.log"}
	if got := listDir(t, dir); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("files:\n got %v\nwant %v", got, want)
	}
	seen := map[string]int{}
	for _, name := range want[1:] {
		day, _ := appLogDay(name)
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			if !strings.HasSuffix(line, " day="+day) {
				t.Errorf("%s holds a line of another day (or a torn line): %q", name, line)
				continue
			}
			seen[strings.TrimSuffix(line, " day="+day)]++
		}
		f.Close()
	}
	for p := 0; p < procs; p++ {
		for n := 0; n < logChildLines; n++ {
			if k := fmt.Sprintf("p=%d n=%d", p, n); seen[k] != 1 {
				t.Errorf("line %q found %d times, want once", k, seen[k])
			}
		}
	}
	if len(seen) != procs*logChildLines {
		t.Errorf("%d distinct lines, want %d", len(seen), procs*logChildLines)
	}
}
