package session

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
	"cam/journal"
)

// stepClock is a fake clock that moves on by itself: After jumps to the
// deadline at once, and a fake run moves it by the run's length. The
// watch's schedule is then exact and no test sleeps.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	ch <- c.advance(d)
	return ch
}

func (c *stepClock) advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// script says what the fake engine's run n (1-based) does.
type step struct {
	took     time.Duration // clock time the run takes
	users    []string      // takeover alerts found (by user)
	failed   bool          // a query fails: the run is incomplete
	startErr error         // the engine refuses to start
	cancel   bool          // the watch is signalled during the run
	stop     bool          // the watch is signalled as the run is due
}

// watchEngine runs the script and notes when each run began and ended.
type watchEngine struct {
	clock  *stepClock
	script func(n int) step
	stop   context.CancelFunc

	mu       sync.Mutex
	n        int
	running  int
	overlaps int
	starts   []time.Time
	reqs     []engine.Request
}

var t0 = time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)

func findings(users []string) detect.Findings {
	var f detect.Findings
	for _, u := range users {
		first := t0.Add(-2 * time.Hour) // the same alert identity every run
		f.Takeovers = append(f.Takeovers, detect.Takeover{User: u, WindowStart: first, WindowEnd: first.Add(time.Hour)})
		f.Alerts = append(f.Alerts, detect.Alert{Rule: detect.RuleTakeover, Severity: detect.SeverityCritical, User: u,
			FirstSeen: first, LastSeen: first.Add(time.Hour), Count: 4, Message: "four changes"})
	}
	return f
}

func (e *watchEngine) Start(ctx context.Context, req engine.Request) (RunHandle, error) {
	e.mu.Lock()
	e.n++
	n := e.n
	st := e.script(n)
	if st.stop {
		e.stop()
		st.startErr = context.Canceled
	}
	if st.startErr != nil {
		e.mu.Unlock()
		return nil, st.startErr
	}
	if e.running > 0 {
		e.overlaps++
	}
	e.running++
	e.starts = append(e.starts, e.clock.Now())
	e.reqs = append(e.reqs, req)
	e.mu.Unlock()
	r := &fakeRun{id: int64(n), ch: make(chan engine.Event, 1)}
	go func() {
		now := e.clock.Now()
		res := engine.Result{RunID: int64(n), StartedAt: now, Complete: !st.failed, Mode: engine.ModeSliding,
			StartDate: now.Add(-24 * time.Hour), Findings: findings(st.users)}
		status := engine.StatusOK
		if st.failed {
			status = engine.StatusFailed
		}
		res.Queries = []engine.QueryResult{{Database: "clients", Query: "Email", Status: status, Rows: 3, Newest: now.Add(-time.Minute)}}
		if st.cancel {
			e.stop() // the signal arrives mid-run
			<-ctx.Done()
			res.Complete, res.Cancelled = false, true
		}
		res.FinishedAt = e.clock.advance(st.took)
		e.mu.Lock()
		e.running--
		e.mu.Unlock()
		r.ch <- engine.RunFinished{RunID: int64(n), Result: res}
		close(r.ch)
	}()
	return r, nil
}

type watchFixture struct {
	sess  *Session
	eng   *watchEngine
	clock *stepClock
	rec   *memRecorder
	logs  *bytes.Buffer
	ctx   context.Context
	// emitted lists, per emission, the users of the new alerts.
	emitted [][]string
}

func newWatch(t *testing.T, script func(n int) step) *watchFixture {
	t.Helper()
	cfg := testConfig()
	cfg.Settings.App.StateDir = t.TempDir()
	cfg.Settings.Detection = config.Detection{Lookback: 7 * 24 * time.Hour, TakeoverWindow: 24 * time.Hour,
		BruteForceThreshold: 5, BruteForceWindow: 10 * time.Minute, BusinessLocation: time.UTC}
	clock := &stepClock{now: t0}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	eng := &watchEngine{clock: clock, script: script, stop: cancel}
	rec := &memRecorder{}
	trail := NewTrail(rec, nil)
	t.Cleanup(func() { trail.Close() })
	s := New(Options{Config: cfg, Engine: eng, Trail: trail, Version: "test", Now: clock.Now})
	if _, err := s.OpenState(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.CloseState() })
	return &watchFixture{sess: s, eng: eng, clock: clock, rec: rec, logs: &bytes.Buffer{}, ctx: ctx}
}

// watch runs the watch until the script cancels it.
func (f *watchFixture) watch(t *testing.T, emit func(WatchRun) error) {
	t.Helper()
	opts := WatchOptions{Every: 15 * time.Minute, Clock: f.clock, Logger: slog.New(slog.NewJSONHandler(f.logs, nil)),
		Signal: func() string { return "SIGTERM" },
		Emit: func(w WatchRun) error {
			var users []string
			for i := range w.Result.Findings.Alerts {
				if w.IsNew(i) {
					users = append(users, w.Result.Findings.Alerts[i].User)
				}
			}
			if emit != nil {
				if err := emit(w); err != nil {
					return err
				}
			}
			f.emitted = append(f.emitted, users)
			return nil
		}}
	done := make(chan error, 1)
	go func() { done <- f.sess.Watch(f.ctx, opts) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Watch: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the watch did not stop")
	}
}

func (f *watchFixture) logLines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(f.logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func TestWatchEmitsOnlyNewAlerts(t *testing.T) {
	runs := [][]string{{"alice"}, {"alice", "bob"}, {"alice", "bob"}, {"bob", "carol"}, {"alice", "dave"}}
	f := newWatch(t, func(n int) step {
		if n > len(runs) {
			return step{stop: true}
		}
		return step{took: time.Minute, users: runs[n-1]}
	})
	f.watch(t, nil)
	want := [][]string{{"alice"}, {"bob"}, nil, {"carol"}, {"dave"}}
	if !slices.EqualFunc(f.emitted, want, slices.Equal) {
		t.Errorf("emitted %v, want %v", f.emitted, want)
	}
	// The second run on is incremental: it reads from the base's newest
	// event less the overlap, not the whole lookback.
	if len(f.eng.reqs) < 2 || f.eng.reqs[0].StartDate != nil || f.eng.reqs[1].StartDate == nil {
		t.Errorf("requests' start dates: first %v, second %v; want full then incremental", f.eng.reqs[0].StartDate, f.eng.reqs[1].StartDate)
	}
	lines := f.logLines(t)
	if len(lines) != len(runs)+1 || lines[len(runs)]["msg"] != "watch run cancelled" {
		t.Fatalf("%d log lines for %d runs:\n%s", len(lines), len(runs), f.logs)
	}
	if lines[1]["incremental"] != true || lines[1]["new"] != 1.0 || lines[1]["alerts"] != 2.0 {
		t.Errorf("second run's line: %v", lines[1])
	}
}

func TestWatchRunsNeverOverlap(t *testing.T) {
	f := newWatch(t, func(n int) step {
		took := time.Minute
		if n == 2 {
			took = 40 * time.Minute // outlasts two more ticks
		}
		if n == 5 {
			return step{stop: true}
		}
		return step{took: took, users: []string{"alice"}}
	})
	f.watch(t, nil)
	want := []time.Time{t0, t0.Add(15 * time.Minute), t0.Add(55 * time.Minute), t0.Add(70 * time.Minute)}
	if !slices.EqualFunc(f.eng.starts, want, time.Time.Equal) {
		t.Errorf("runs started at %v, want %v", f.eng.starts, want)
	}
	if f.eng.overlaps != 0 {
		t.Errorf("%d runs started beside another", f.eng.overlaps)
	}
	lines := f.logLines(t)
	if lines[1]["overran_ticks"] != 2.0 || lines[1]["level"] != "WARN" {
		t.Errorf("the long run's line does not say it overran: %v", lines[1])
	}
	if lines[1]["next"] != t0.Add(55*time.Minute).Format(time.RFC3339) {
		t.Errorf("next after the long run = %v, want as it ended", lines[1]["next"])
	}
	if _, ok := lines[2]["overran_ticks"]; ok {
		t.Errorf("a run on time says it overran: %v", lines[2])
	}
}

func TestWatchFailureThenRecovery(t *testing.T) {
	var f *watchFixture
	emitFails := errors.New("disk full")
	f = newWatch(t, func(n int) step {
		switch n {
		case 2: // bob appears in a run a query failed in
			return step{took: time.Minute, users: []string{"alice", "bob"}, failed: true}
		case 3:
			return step{startErr: errors.New("no connection")}
		case 7:
			return step{stop: true}
		}
		return step{took: time.Minute, users: []string{"alice", "bob"}[:min(n, 2)]}
	})
	f.watch(t, func(w WatchRun) error {
		if w.Seq == 4 {
			return emitFails // carol's output fails too: run 5 hands it on
		}
		return nil
	})
	// Run 1: alice. Run 2 incomplete, run 3 not started: nothing, and
	// retried on time. Run 4's output fails; run 5 hands bob on.
	want := [][]string{{"alice"}, {"bob"}, nil}
	if !slices.EqualFunc(f.emitted, want, slices.Equal) {
		t.Errorf("emitted %v, want %v", f.emitted, want)
	}
	lines := f.logLines(t)
	for i, wantErr := range []string{"", "incomplete", "no connection", "disk full", "", ""} {
		msg, _ := lines[i]["msg"].(string)
		errText, _ := lines[i]["err"].(string)
		if wantErr == "" && msg != "watch run finished" || wantErr != "" && (msg != "watch run failed" || !strings.Contains(errText, wantErr)) {
			t.Errorf("run %d logged %q %q, want the error %q", i+1, msg, errText, wantErr)
		}
	}
	wantStarts := []time.Time{t0, t0.Add(15 * time.Minute), t0.Add(45 * time.Minute), t0.Add(60 * time.Minute), t0.Add(75 * time.Minute)}
	if !slices.EqualFunc(f.eng.starts, wantStarts, time.Time.Equal) {
		t.Errorf("runs started at %v, want every tick %v", f.eng.starts, wantStarts)
	}
}

// TestWatchFirstEmissionFailing: the first run's new alerts, lost to a
// failed output, go out with the second run.
func TestWatchFirstEmissionFailing(t *testing.T) {
	f := newWatch(t, func(n int) step {
		if n == 3 {
			return step{stop: true}
		}
		return step{took: time.Minute, users: []string{"alice"}}
	})
	f.watch(t, func(w WatchRun) error {
		if w.Seq == 1 {
			return errors.New("disk full")
		}
		return nil
	})
	if want := [][]string{{"alice"}}; !slices.EqualFunc(f.emitted, want, slices.Equal) {
		t.Errorf("emitted %v, want %v", f.emitted, want)
	}
}

func TestWatchSignalExitRecordsTheRunsEnd(t *testing.T) {
	f := newWatch(t, func(n int) step {
		return step{took: time.Minute, users: []string{"alice"}, cancel: n == 2}
	})
	f.watch(t, nil)
	if f.eng.n != 2 {
		t.Errorf("%d runs started; the watch went on after the signal", f.eng.n)
	}
	f.sess.Trail().Flush()
	if got := f.rec.list(); len(got) != 4 || got[3] != journal.ActionRunFinished {
		t.Fatalf("audit trail %v, want two runs started and finished", got)
	}
	end := f.rec.last(journal.ActionRunFinished)
	if end["signal"] != "SIGTERM" || end["complete"] != false {
		t.Errorf("the cancelled run's end: %v", end)
	}
	lines := f.logLines(t)
	if last := lines[len(lines)-1]; last["msg"] != "watch run cancelled" {
		t.Errorf("last log line %v", last)
	}
}

// TestWatchSoakHeapFlat runs a thousand cycles (ten days at 15 minutes)
// on the fake clock and checks the live heap does not grow with them.
func TestWatchSoakHeapFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("a thousand runs")
	}
	const cycles, warm = 1000, 100
	users := []string{"u1", "u2", "u3", "u4", "u5", "u6", "u7"}
	f := newWatch(t, func(n int) step {
		if n > cycles {
			return step{stop: true}
		}
		// Alerts come and go, so each run has new ones to emit.
		return step{took: time.Minute, users: users[n%3 : n%3+4]}
	})
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var before, after uint64
	f.watch(t, func(w WatchRun) error {
		if w.Seq%100 == 0 { // drop what the test itself keeps
			f.logs.Reset()
			f.emitted = nil
			f.sess.Trail().Flush()
			f.rec.mu.Lock()
			f.rec.actions, f.rec.details = nil, nil
			f.rec.mu.Unlock()
			f.eng.mu.Lock()
			f.eng.starts, f.eng.reqs = nil, nil
			f.eng.mu.Unlock()
		}
		switch w.Seq {
		case warm:
			before = heap()
		case cycles:
			after = heap()
		}
		return nil
	})
	if f.eng.n != cycles+1 { // and the one the signal stopped
		t.Fatalf("%d runs, want %d", f.eng.n, cycles)
	}
	t.Logf("live heap after %d runs: %d KiB; after %d: %d KiB", warm, before>>10, cycles, after>>10)
	if after > before+256<<10 { // a leak of ~300 bytes a run shows
		t.Errorf("live heap grew from %d KiB to %d KiB over %d runs", before>>10, after>>10, cycles-warm)
	}
}
