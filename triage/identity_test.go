package triage

import (
	"context"
	"testing"
	"time"

	"cam/engine/detect"
)

func TestIdentityIsStableAcrossReruns(t *testing.T) {
	ctx := context.Background()
	night := time.Date(2026, 11, 2, 23, 30, 0, 0, london)
	first := append(failures("u1", "crm", t0, 6), nightWork("u2", "crm", night))
	// The rerun: more failures in the same burst, a second night action
	// on the same day in another database, and the takeover.
	second := append(failures("u1", "crm", t0, 9), nightWork("u2", "crm", night), nightWork("u2", "erp", night.Add(10*time.Minute)))

	s := openTest(t, t.TempDir(), nil)
	run1 := detectAll(params(), takeover("u3", t0), first)
	n1 := recordRun(t, s, run1)
	ids := map[detect.Rule]string{}
	for i, a := range run1.Alerts {
		ids[a.Rule] = n1.Of(i).ID
		if !n1.Of(i).New || n1.Of(i).FirstSeenRun != n1.RunID || n1.Of(i).Status != StatusNew {
			t.Errorf("%s in the first run: %+v", a.Rule, n1.Of(i))
		}
	}
	if len(ids) != 3 {
		t.Fatalf("first run: %d rules, want takeover, brute force, off hours", len(ids))
	}
	if _, _, err := s.Set(ctx, ids[detect.RuleBruteForce], Change{Status: StatusEscalated}); err != nil {
		t.Fatal(err)
	}

	run2 := detectAll(params(), takeover("u3", t0), second)
	n2 := recordRun(t, s, run2)
	for i, a := range run2.Alerts {
		st := n2.Of(i)
		if st.ID != ids[a.Rule] {
			t.Errorf("%s: id %s on the rerun, was %s", a.Rule, st.ID, ids[a.Rule])
		}
		if st.New || st.FirstSeenRun != n1.RunID {
			t.Errorf("%s on the rerun: new %v, first seen run %d, want not new, run %d", a.Rule, st.New, st.FirstSeenRun, n1.RunID)
		}
	}
	bf, _ := s.Get(ctx, ids[detect.RuleBruteForce])
	if bf.Status != StatusEscalated || bf.Count != 9 {
		t.Errorf("grown brute force: status %s count %d, want escalated 9", bf.Status, bf.Count)
	}
	h, _ := s.History(ctx, bf.ID)
	if last := h[len(h)-1]; last.Kind != KindEvidence || last.Count != 9 || last.ToStatus != StatusEscalated {
		t.Errorf("grown evidence history row: %+v", last)
	}
	night2, _ := s.Get(ctx, ids[detect.RuleOffHours])
	if night2.Count != 2 || night2.Database != "crm, erp" {
		t.Errorf("grown off-hours alert: count %d database %q", night2.Count, night2.Database)
	}
}

func TestIdentityTellsAlertsApart(t *testing.T) {
	base := detectAll(params(), nil, failures("u1", "crm", t0, 6)).Alerts[0]
	id := AlertID(&base, london)
	if len(id) != IDLen {
		t.Fatalf("id %q has %d characters, want %d", id, len(id), IDLen)
	}
	night := time.Date(2026, 11, 2, 23, 30, 0, 0, london)
	cases := []struct {
		name  string
		other detect.Alert
	}{
		{"another user", detectAll(params(), nil, failures("u2", "crm", t0, 6)).Alerts[0]},
		{"another burst", detectAll(params(), nil, failures("u1", "crm", t0.Add(time.Hour), 6)).Alerts[0]},
		{"another database", detectAll(params(), nil, failures("u1", "erp", t0, 6)).Alerts[0]},
		{"another rule", detectAll(params(), nil, []detect.ActivityEvent{nightWork("u1", "crm", night)}).Alerts[0]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if AlertID(&tc.other, london) == id {
				t.Errorf("same id %s for a different alert", id)
			}
		})
	}
	t.Run("day in the business zone", func(t *testing.T) {
		// 00:30 London on 3 Nov is still 2 Nov in New York: the day is
		// the business zone's.
		late := detectAll(params(), nil, []detect.ActivityEvent{nightWork("u1", "crm", time.Date(2026, 11, 3, 0, 30, 0, 0, london))}).Alerts[0]
		early := detectAll(params(), nil, []detect.ActivityEvent{nightWork("u1", "crm", time.Date(2026, 11, 3, 5, 0, 0, 0, london))}).Alerts[0]
		if AlertID(&late, london) != AlertID(&early, london) {
			t.Errorf("two off-hours alerts of one London day have different ids")
		}
		if Key(&late, mustZone("America/New_York")) == Key(&early, mustZone("America/New_York")) {
			t.Errorf("in New York the two fall on different days, yet share a key")
		}
	})
}
