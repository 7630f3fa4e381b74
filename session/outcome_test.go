package session

import (
	"context"
	"testing"
	"time"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
	"cam/triage"
)

// stateSession is a session over a fresh state in a temp directory, with
// detection settings that allow incremental reruns, at a pinned clock.
func stateSession(t *testing.T, now time.Time) (*Session, *fakeEngine) {
	t.Helper()
	cfg := testConfig()
	cfg.Settings.App.StateDir = t.TempDir()
	cfg.Settings.Detection = config.Detection{Lookback: 24 * time.Hour, TakeoverWindow: time.Hour,
		BruteForceWindow: 10 * time.Minute, BruteForceThreshold: 5, BusinessLocation: time.UTC}
	fe := &fakeEngine{}
	trail := NewTrail(&memRecorder{}, nil)
	t.Cleanup(func() { trail.Close() })
	s := New(Options{Config: cfg, Engine: fe, Trail: trail, Version: "test", Now: func() time.Time { return now }})
	if _, err := s.OpenState(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.CloseState(); err != nil {
			t.Error(err)
		}
	})
	return s, fe
}

// takeoverResult is a complete run that found one takeover and read
// events up to newest.
func takeoverResult(id int64, newest time.Time) engine.Result {
	res := result(id)
	res.Mode = engine.ModeSliding
	res.StartDate = newest.Add(-24 * time.Hour)
	res.Findings.Alerts[0].FirstSeen, res.Findings.Alerts[0].LastSeen = newest.Add(-time.Hour), newest
	res.Queries = []engine.QueryResult{{Database: "clients", Query: "Email", Rows: 100, Newest: newest}}
	return res
}

func conclude(t *testing.T, s *Session, opts StartOptions, res engine.Result) (*Run, Outcome, error) {
	t.Helper()
	run, err := s.StartWith(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	run.Finish(res, "")
	out, err := run.Conclude(context.Background(), res, triage.ModeHeadless)
	return run, out, err
}

func TestConcludeRecordsAndAnnotates(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	s, _ := stateSession(t, now)
	_, out, err := conclude(t, s, StartOptions{}, takeoverResult(1, now.Add(-time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	a := &out.Result.Findings.Alerts[0]
	st, ok := out.State(a)
	if !ok || st.Status != triage.StatusNew || !st.New || st.FirstSeenRun != out.Summary.ID {
		t.Fatalf("first run's state = %+v (known %v), want new, first seen in run %d", st, ok, out.Summary.ID)
	}
	if out.OpenAlerts() != 1 {
		t.Errorf("open alerts = %d, want 1", out.OpenAlerts())
	}
	if _, _, err := s.SetAlert(context.Background(), st.ID, triage.Change{Status: triage.StatusResolved,
		Reason: triage.ReasonFalsePositive}); err != nil {
		t.Fatal(err)
	}
	_, again, err := conclude(t, s, StartOptions{}, takeoverResult(2, now.Add(-time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	st2, _ := again.State(&again.Result.Findings.Alerts[0])
	if st2.ID != st.ID || st2.Status != triage.StatusResolved || st2.New {
		t.Errorf("rerun's state = %+v, want the same id %s, resolved, not new", st2, st.ID)
	}
	if again.OpenAlerts() != 0 {
		t.Errorf("open alerts after resolving = %d, want 0", again.OpenAlerts())
	}
	lt, ok := again.Lookup()(&again.Result.Findings.Alerts[0])
	if !ok || lt.Status != "resolved" || lt.Reason != "false_positive" || lt.ResolvedBy != "A12345" {
		t.Errorf("report lookup = %+v, want resolved false_positive by A12345", lt)
	}
}

func TestConcludeWithoutState(t *testing.T) {
	s, _ := newSession(t, &memRecorder{})
	run, err := s.Start(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := run.Conclude(context.Background(), result(1), triage.ModeHeadless)
	if err != ErrNoState {
		t.Fatalf("Conclude without state: err = %v, want ErrNoState", err)
	}
	if out.Lookup() != nil || out.OpenAlerts() != 1 {
		t.Errorf("stateless outcome: lookup %v, open %d; want nil and every alert open", out.Lookup() != nil, out.OpenAlerts())
	}
}

func TestSinceLastPlansIncrementalRuns(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	newest := now.Add(-30 * time.Minute)
	s, fe := stateSession(t, now)

	// Nothing stored yet: in full, and the request binds no start.
	run, _, err := conclude(t, s, StartOptions{SinceLast: true}, takeoverResult(1, newest))
	if err != nil {
		t.Fatal(err)
	}
	if run.Plan().Incremental || fe.reqs[0].StartDate != nil || run.Plan().Why == "" {
		t.Fatalf("first --since-last: plan %+v, start %v; want a full run with a reason", run.Plan(), fe.reqs[0].StartDate)
	}

	// Now a complete run exists: the rerun starts at its newest event less
	// the overlap, and the merge keeps the stored takeover.
	fresh := engine.Result{RunID: 2, Complete: true, Mode: engine.ModeSliding,
		Queries: []engine.QueryResult{{Database: "clients", Query: "Email", Rows: 3, Newest: now}}}
	run, out, err := conclude(t, s, StartOptions{SinceLast: true}, fresh)
	if err != nil {
		t.Fatal(err)
	}
	wantStart := newest.Add(-triage.Overlap(s.cfg.Settings.Detection))
	if !run.Plan().Incremental || fe.reqs[1].StartDate == nil || !fe.reqs[1].StartDate.Equal(wantStart) {
		t.Fatalf("second --since-last: plan %+v, start %v; want incremental from %s", run.Plan(), fe.reqs[1].StartDate, wantStart)
	}
	if out.Summary.Mode != triage.ModeIncremental {
		t.Errorf("recorded mode = %q, want %q", out.Summary.Mode, triage.ModeIncremental)
	}
	if len(out.Result.Findings.Alerts) != 1 || out.Result.Findings.Alerts[0].User != "100042" {
		t.Errorf("merged alerts = %+v, want the stored takeover of 100042", out.Result.Findings.Alerts)
	}
	if st, _ := out.State(&out.Result.Findings.Alerts[0]); st.New {
		t.Errorf("the stored takeover is marked new after an incremental rerun: %+v", st)
	}
	full, ok, err := s.LastFullRun(context.Background())
	if err != nil || !ok || full.ID != 1 {
		t.Errorf("LastFullRun = %d, %v, %v; want run 1", full.ID, ok, err)
	}

	// A configuration change forces a full run, and says why.
	s.cfg.Settings.Detection.TakeoverWindow = 2 * time.Hour
	run, _, err = conclude(t, s, StartOptions{SinceLast: true}, takeoverResult(3, now))
	if err != nil {
		t.Fatal(err)
	}
	if run.Plan().Incremental || fe.reqs[2].StartDate != nil {
		t.Errorf("after a configuration change: plan %+v; want a full run", run.Plan())
	}
}

func TestConcludeRefusesAnInexactMerge(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	s, _ := stateSession(t, now)
	base := takeoverResult(1, now.Add(-30*time.Minute))
	// A brute-force alert that kept fewer events than it counted cannot be
	// replayed exactly.
	base.Findings.Alerts = append(base.Findings.Alerts, detect.Alert{Rule: detect.RuleBruteForce, User: "7",
		Severity: detect.SeverityHigh, Count: 9, FirstSeen: now.Add(-2 * time.Hour), LastSeen: now.Add(-2 * time.Hour)})
	if _, _, err := conclude(t, s, StartOptions{}, base); err != nil {
		t.Fatal(err)
	}
	fresh := engine.Result{RunID: 2, Complete: true, Mode: engine.ModeSliding}
	_, _, err := conclude(t, s, StartOptions{SinceLast: true}, fresh)
	if !NeedsFullRun(err) {
		t.Fatalf("err = %v, want one that asks for a full run", err)
	}
}

func TestStateVersionSeesAnotherProcess(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	s, _ := stateSession(t, now)
	_, out, err := conclude(t, s, StartOptions{}, takeoverResult(1, now))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	v1, err := s.StateVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other, err := triage.Open(s.cfg.Settings.App.StateDir, triage.Options{SID: "B99999"})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, _, err := other.Set(ctx, out.Triage.States[0].ID, triage.Change{Status: triage.StatusAcknowledged}); err != nil {
		t.Fatal(err)
	}
	v2, err := s.StateVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v2 == v1 {
		t.Errorf("data version stayed %d after another analyst's change", v1)
	}
	alerts, err := s.Alerts(ctx)
	if err != nil || len(alerts) != 1 || alerts[0].Status != triage.StatusAcknowledged {
		t.Errorf("Alerts = %+v, %v; want the acknowledged alert", alerts, err)
	}
}
