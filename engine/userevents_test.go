package engine

import (
	"context"
	"testing"
	"time"

	"cam/config"
	"cam/engine/detect"
)

func TestUserEventsKeepsEachUsersEventsOldestFirstUpToTheLimit(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	u := newUserEvents(3)
	u.addActivities([]detect.ActivityEvent{
		{User: "jdoe", Time: t0.Add(time.Hour), Operation: "LOGIN", Status: "FAILED", IP: "10.0.0.7", Database: "dam", Query: "activity"},
		{User: "asmith", Time: t0, Operation: "SELECT", Status: "SUCCESS", Database: "dam", Query: "activity"},
	})
	// The change is read in the database's zone, which its timeline
	// row shows (the rules keep only its instant).
	east := time.FixedZone("UTC+3", 3*3600)
	u.addChanges(config.ChangePassword, "accounts", "pw", []detect.ChangeRow{{User: "jdoe", At: t0.UnixNano()}}, []time.Time{t0.In(east)})
	late := t0.Add(2 * time.Hour) // past the limit
	u.addChanges(config.ChangeEmail, "crm", "email", []detect.ChangeRow{{User: "jdoe", At: late.UnixNano()}}, []time.Time{late})
	got := u.Of("jdoe")
	if len(got) != 2 {
		t.Fatalf("jdoe has %d events, want 2 (the third arrived past the limit)", len(got))
	}
	if got[0].Type != string(config.ChangePassword) || got[0].Database != "accounts" || got[0].Query != "pw" {
		t.Errorf("first event %+v, want the 10:00 password change", got[0])
	}
	if got[0].Time.Location() != east || !got[0].Time.Equal(t0) {
		t.Errorf("first event at %v, want %v as read", got[0].Time, t0.In(east))
	}
	if got[1].IP != "10.0.0.7" || got[1].Status != "FAILED" || got[1].Type != "LOGIN" {
		t.Errorf("second event %+v, want the failed login with its address", got[1])
	}
	if n := u.Truncated(); n != 1 {
		t.Errorf("Truncated = %d, want 1", n)
	}
	got[0].Database = "changed"
	if u.Of("jdoe")[0].Database != "accounts" {
		t.Error("Of returns the index's own slice")
	}
	var none *UserEvents
	none.addChanges(config.ChangePassword, "a", "q", []detect.ChangeRow{{User: "x"}}, []time.Time{t0})
	if none.Of("x") != nil || none.Truncated() != 0 {
		t.Error("a run that keeps no events answers with events")
	}
}

func TestRunKeepsUserEventsOnlyWhenAsked(t *testing.T) {
	// Every user changes all four types, two in each database: all are
	// takeovers, so the run keeps their events.
	cfg := testConfig(map[string][]config.ChangeType{"a": {config.ChangePassword, config.ChangeEmail},
		"b": {config.ChangePhone, config.ChangeToken}}, []string{"a", "b"})
	sources := func() map[string]*fakeSource { return map[string]*fakeSource{"a": newSource(3), "b": newSource(2)} }
	res := start(t, context.Background(), sources(), cfg, func(o *Options) { o.KeepUserEvents = true }).Wait()
	got := res.UserEvents.Of("1001")
	dbs := map[string]int{}
	for _, e := range got {
		dbs[e.Database]++
	}
	if len(got) != 4 || dbs["a"] != 2 || dbs["b"] != 2 {
		t.Errorf("user 1001 has %+v, want two changes from each database", got)
	}
	if plain := start(t, context.Background(), sources(), cfg).Wait(); plain.UserEvents != nil {
		t.Error("a run that did not ask keeps user events")
	}
}

// After a run only the users a finding names keep their events: the
// timeline opens from a finding, and the rest would only hold memory.
func TestUserEventsKeepOnlyTheUsersFindingsName(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	u := newUserEvents(0)
	for _, user := range []string{"taken", "possible", "brute", "bystander"} {
		u.addChanges(config.ChangePassword, "a", "q", []detect.ChangeRow{{User: user, At: t0.UnixNano()}}, []time.Time{t0})
	}
	u.keepOnly(detect.Findings{
		Takeovers:  []detect.Takeover{{User: "taken"}},
		Candidates: []detect.Candidate{{User: "possible"}},
		Alerts:     []detect.Alert{{User: "brute", Rule: detect.RuleBruteForce}},
	})
	for _, user := range []string{"taken", "possible", "brute"} {
		if len(u.Of(user)) != 1 {
			t.Errorf("%s lost the events its finding needs", user)
		}
	}
	if len(u.Of("bystander")) != 0 {
		t.Error("a user no finding names kept its events")
	}
}
