package triage

import (
	"context"
	"testing"
	"time"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
)

var (
	london = mustZone("Europe/London")
	t0     = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func params() detect.Params {
	return detect.Params{
		TakeoverWindow: 24 * time.Hour, BruteForceThreshold: 5, BruteForceWindow: 5 * time.Minute,
		BusinessLocation: london, BusinessStart: 9 * time.Hour, BusinessEnd: 18 * time.Hour, GuestRoles: []string{"Guest"},
	}
}

func detectAll(p detect.Params, changes []detect.ChangeEvent, activity []detect.ActivityEvent) detect.Findings {
	a := detect.NewAccumulator(p)
	a.AddChanges(changes)
	a.AddActivities(activity)
	return a.Findings(nil)
}

// takeover returns the four changes of a takeover by user starting at at.
func takeover(user string, at time.Time) []detect.ChangeEvent {
	var out []detect.ChangeEvent
	for i, ct := range config.ChangeTypes {
		out = append(out, detect.ChangeEvent{User: user, Type: ct, Time: at.Add(time.Duration(i) * time.Hour), Database: "hr", Query: "q-" + string(ct)})
	}
	return out
}

// failures returns n failed logins by user, a second apart from at.
func failures(user, db string, at time.Time, n int) []detect.ActivityEvent {
	var out []detect.ActivityEvent
	for i := range n {
		out = append(out, detect.ActivityEvent{User: user, Time: at.Add(time.Duration(i) * time.Second), Operation: "LOGIN",
			Status: "FAILED", IP: "10.0.0.1", Database: db, Query: "logins"})
	}
	return out
}

// nightWork returns an off-hours UPDATE by user at at.
func nightWork(user, db string, at time.Time) detect.ActivityEvent {
	return detect.ActivityEvent{User: user, Time: at, Operation: "UPDATE", Status: "SUCCESS", Database: db, Query: "activity"}
}

// clock is an injectable clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func openTest(t *testing.T, dir string, c *clock) *Store {
	t.Helper()
	opts := Options{SID: "A123456", OSUser: "analyst"}
	if c != nil {
		opts.Now = c.now
	}
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// recordRun records a complete run of f and annotates it.
func recordRun(t *testing.T, s *Store, f detect.Findings) *Annotation {
	t.Helper()
	ctx := context.Background()
	res := engine.Result{StartedAt: t0, FinishedAt: t0.Add(time.Second), Mode: engine.ModeSliding, Complete: true, Findings: f}
	sum, err := s.Record(ctx, res, "A123456", ModeHeadless)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Annotate(ctx, sum.ID, f, london)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// oneAlert stores a run with a single brute-force alert and returns its id.
func oneAlert(t *testing.T, s *Store) string {
	t.Helper()
	f := detectAll(params(), nil, failures("u1", "crm", t0, 6))
	if len(f.Alerts) != 1 {
		t.Fatalf("fixture: %d alerts, want 1", len(f.Alerts))
	}
	return recordRun(t, s, f).Of(0).ID
}
