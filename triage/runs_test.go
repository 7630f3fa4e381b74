package triage

import (
	"context"
	"testing"
	"time"

	"cam/engine"
)

func TestRecordAndListRuns(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), nil)
	f := detectAll(params(), takeover("u3", t0), failures("u1", "crm", t0, 6))
	res := engine.Result{StartedAt: t0, FinishedAt: t0.Add(3 * time.Second), StartDate: t0.Add(-720 * time.Hour),
		Mode: engine.ModeSliding, Complete: true, Findings: f,
		Queries: []engine.QueryResult{
			{Database: "crm", Query: "logins", Status: engine.StatusOK, Rows: 100, Rejected: 2,
				RejectedBy: map[string]int64{"null_user": 2}, Duration: 1500 * time.Millisecond, Attempts: 1},
			{Database: "hr", Query: "password", Status: engine.StatusOK, Rows: 40, Duration: time.Second, Attempts: 1},
		}}
	sum, err := s.Record(ctx, res, "A123456", ModeTUI)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(ctx, engine.Result{StartedAt: t0.Add(time.Hour), FinishedAt: t0.Add(time.Hour), Cancelled: true},
		"A123456", ModeHeadless); err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs(ctx, 0)
	if err != nil || len(runs) != 2 {
		t.Fatalf("runs: %d, %v", len(runs), err)
	}
	got := runs[1]
	if got.ID != sum.ID || !got.Complete || got.Mode != ModeTUI || got.WindowMode != "sliding" || got.Rows != 140 ||
		got.Rejected != 2 || got.Alerts != 2 || got.ByRule["brute_force"] != 1 || got.ByRule["account_takeover"] != 1 ||
		got.BySeverity["critical"] != 1 || got.BySeverity["high"] != 1 || len(got.Queries) != 2 ||
		got.Queries[0].RejectedBy["null_user"] != 2 || got.Queries[0].DurationMS != 1500 || !got.StartedAt.Equal(t0) {
		t.Errorf("recorded run: %+v", got)
	}
	if runs[0].Complete || !runs[0].Cancelled {
		t.Errorf("newest run first: %+v", runs[0])
	}
}

func TestNewMeansNotInThePreviousCompleteRun(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), nil)
	a := detectAll(params(), nil, failures("u1", "crm", t0, 6))
	ab := detectAll(params(), nil, append(failures("u1", "crm", t0, 6), failures("u2", "crm", t0, 6)...))
	recordRun(t, s, a)
	// An incomplete run that saw both does not count as "previous".
	inc, err := s.Record(ctx, engine.Result{StartedAt: t0, FinishedAt: t0, Findings: ab}, "A1", ModeHeadless)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Annotate(ctx, inc.ID, ab, london); err != nil {
		t.Fatal(err)
	}
	n := recordRun(t, s, ab)
	for i, al := range ab.Alerts {
		if want := al.User == "u2"; n.Of(i).New != want {
			t.Errorf("%s: new %v, want %v", al.User, n.Of(i).New, want)
		}
	}
	if c := n.Counts(); c.Open != 2 || c.New != 1 || c.Suppressed != 0 {
		t.Errorf("counts %+v", c)
	}
}

func TestFindingsPerDay(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 11, 3, 12, 0, 0, 0, london)}
	s := openTest(t, t.TempDir(), c)
	f := detectAll(params(), nil, append(append(failures("u1", "crm", t0, 6), failures("u2", "crm", t0, 6)...),
		failures("u1", "crm", t0.Add(-24*time.Hour), 6)...))
	recordRun(t, s, f)
	days, err := s.FindingsPerDay(ctx, 30, london)
	if err != nil || len(days) != 30 {
		t.Fatalf("%d days, %v", len(days), err)
	}
	last := days[29]
	if !last.Day.Equal(time.Date(2026, 11, 3, 0, 0, 0, 0, london)) || last.Count != 0 || days[28].Count != 2 || days[27].Count != 1 {
		t.Errorf("the last three days: %+v", days[27:])
	}
}
