package session

import (
	"context"
	"errors"
	"testing"
	"time"

	"cam/engine"
	"cam/engine/detect"
	"cam/triage"
)

// historySession is a session over a fresh state directory.
func historySession(t *testing.T) *Session {
	t.Helper()
	cfg := testConfig()
	cfg.Settings.App.StateDir = t.TempDir()
	s := New(Options{Config: cfg, Zone: time.UTC})
	t.Cleanup(func() { _ = s.CloseState() })
	return s
}

// bruteForce is a finding whose burst starts at at.
func bruteForce(user string, at time.Time) detect.Alert {
	return detect.Alert{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh, User: user, Database: "crm",
		FirstSeen: at, LastSeen: at.Add(time.Minute), Count: 6, Message: "6 failed logins"}
}

// record stores a run as `cam run` does: its summary, its alerts and its
// coverage (which keeps a complete run's findings).
func record(t *testing.T, st *triage.Store, res engine.Result) int64 {
	t.Helper()
	ctx := context.Background()
	sum, err := st.Record(ctx, res, "A12345", triage.ModeHeadless)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Annotate(ctx, sum.ID, res.Findings, time.UTC); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveCoverage(ctx, sum.ID, res, triage.Plan{Fingerprint: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	return sum.ID
}

func TestRunHistoryOfAnEmptyState(t *testing.T) {
	s := historySession(t)
	h, err := s.RunHistory(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Runs) != 0 || len(h.PerDay) != HistoryDays || h.StatePath == "" {
		t.Fatalf("empty state: %d runs, %d days, path %q", len(h.Runs), len(h.PerDay), h.StatePath)
	}
	for _, d := range h.PerDay {
		if d.Count != 0 {
			t.Errorf("%s: %d findings in an empty state", d.Day, d.Count)
		}
	}
}

func TestRunHistoryWithoutAStateDirectory(t *testing.T) {
	s := New(Options{Config: testConfig()})
	if _, err := s.RunHistory(context.Background(), 0); !errors.Is(err, ErrNoState) {
		t.Fatalf("no state_dir: %v, want ErrNoState", err)
	}
	if _, err := s.PastResult(context.Background(), 1); !errors.Is(err, ErrNoState) {
		t.Fatalf("no state_dir: %v, want ErrNoState", err)
	}
}

func TestRunHistoryListsRunsAndWhichCanBeOpened(t *testing.T) {
	ctx := context.Background()
	s := historySession(t)
	h, err := s.RunHistory(ctx, 0) // opens the state
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.store()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	twoDaysAgo := now.AddDate(0, 0, -2)
	first := engine.Result{StartedAt: now.Add(-time.Hour), FinishedAt: now.Add(-time.Hour + 3*time.Second),
		StartDate: now.AddDate(0, 0, -30), Mode: engine.ModeSliding, Complete: true,
		Queries: []engine.QueryResult{{Database: "crm", Query: "logins", Status: engine.StatusOK, Rows: 90, Rejected: 3,
			Duration: 1500 * time.Millisecond, Attempts: 1}},
		Findings: detect.Findings{Alerts: []detect.Alert{bruteForce("u1", twoDaysAgo), bruteForce("u2", twoDaysAgo)}}}
	id1 := record(t, st, first)
	cancelled := engine.Result{StartedAt: now.Add(-30 * time.Minute), FinishedAt: now.Add(-29 * time.Minute), Cancelled: true}
	id2 := record(t, st, cancelled)

	h, err = s.RunHistory(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Runs) != 2 || h.Runs[0].ID != id2 || h.Runs[1].ID != id1 {
		t.Fatalf("runs newest first: %+v", h.Runs)
	}
	if h.Runs[0].Stored || !h.Runs[1].Stored {
		t.Errorf("only the complete run's findings are stored: cancelled %v, complete %v", h.Runs[0].Stored, h.Runs[1].Stored)
	}
	if got := h.PerDay[HistoryDays-3]; got.Count != 2 {
		t.Errorf("two days ago: %d findings, want 2 (%v)", got.Count, h.PerDay)
	}

	past, err := s.PastResult(ctx, id1)
	if err != nil {
		t.Fatal(err)
	}
	if len(past.Findings.Alerts) != 2 || past.Findings.Alerts[0].User != "u1" || !past.Complete ||
		past.Mode != engine.ModeSliding || !past.StartedAt.Equal(first.StartedAt) || len(past.Queries) != 1 ||
		past.Queries[0].Rows != 90 || past.Queries[0].Rejected != 3 || past.Queries[0].Duration != 1500*time.Millisecond {
		t.Errorf("past result: %+v", past)
	}
	if _, err := s.PastResult(ctx, id2); !errors.Is(err, triage.ErrFindingsNotStored) {
		t.Errorf("cancelled run: %v, want ErrFindingsNotStored", err)
	}

	// A newer complete run keeps the older one's findings, until
	// KeptRunFindings newer complete runs have come.
	id3 := record(t, st, engine.Result{StartedAt: now, FinishedAt: now, Complete: true, Mode: engine.ModeSliding,
		Findings: detect.Findings{Alerts: []detect.Alert{bruteForce("u3", now.Add(-time.Hour))}}})
	if past, err := s.PastResult(ctx, id1); err != nil || past.Findings.Alerts[0].User != "u1" {
		t.Errorf("the run before the newest: %v, want its findings kept", err)
	}
	for range triage.KeptRunFindings - 1 {
		record(t, st, engine.Result{StartedAt: now, FinishedAt: now, Complete: true, Mode: engine.ModeSliding,
			Findings: detect.Findings{Alerts: []detect.Alert{bruteForce("u4", now.Add(-time.Hour))}}})
	}
	if _, err := s.PastResult(ctx, id1); !errors.Is(err, triage.ErrFindingsNotStored) {
		t.Errorf("a run older than the kept ones: %v, want ErrFindingsNotStored", err)
	}
	h, err = s.RunHistory(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[int64]bool{}
	for _, r := range h.Runs {
		stored[r.ID] = r.Stored
	}
	if !h.Runs[0].Stored || !stored[id3] || stored[id1] {
		t.Errorf("after %d newer complete runs: newest stored %v, run %d stored %v, run %d stored %v",
			triage.KeptRunFindings, h.Runs[0].Stored, id3, stored[id3], id1, stored[id1])
	}
	if _, err := s.PastResult(ctx, 999); err == nil {
		t.Error("an unknown run opened")
	}
}

// Looking at a past run changes nothing in the state.
func TestPastResultIsReadOnly(t *testing.T) {
	ctx := context.Background()
	s := historySession(t)
	if _, err := s.RunHistory(ctx, 0); err != nil {
		t.Fatal(err)
	}
	st, _ := s.store()
	now := time.Now().UTC()
	id := record(t, st, engine.Result{StartedAt: now, FinishedAt: now, Complete: true,
		Findings: detect.Findings{Alerts: []detect.Alert{bruteForce("u1", now.Add(-time.Hour))}}})
	before, err := st.List(ctx, triage.Filter{WithSuppressed: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PastResult(ctx, id); err != nil {
		t.Fatal(err)
	}
	after, err := st.List(ctx, triage.Filter{WithSuppressed: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Alerts) != len(before.Alerts) || after.Alerts[0].UpdatedAt != before.Alerts[0].UpdatedAt ||
		after.Alerts[0].Status != before.Alerts[0].Status {
		t.Errorf("opening a past run changed the state: %+v -> %+v", before.Alerts, after.Alerts)
	}
	runs, _ := st.Runs(ctx, 0)
	if len(runs) != 1 {
		t.Errorf("opening a past run recorded a run: %d runs", len(runs))
	}
}
