package triage

import (
	"context"
	"strings"
	"testing"
	"time"

	"cam/engine/detect"
)

func TestSuppressionExpiresOnItsOwn(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: t0}
	s := openTest(t, t.TempDir(), c)
	night := time.Date(2026, 11, 2, 23, 30, 0, 0, london)
	f := detectAll(params(), nil, append(failures("u1", "crm", t0, 6), nightWork("u1", "crm", night), nightWork("u2", "crm", night)))

	if _, err := s.Suppress(ctx, "u1", detect.RuleBruteForce, "pen test this month", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Suppress(ctx, "u2", "", "service account", 7*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	suppressed := func() map[string]bool {
		n := recordRun(t, s, f)
		out := map[string]bool{}
		for i, a := range f.Alerts {
			out[a.User+"/"+string(a.Rule)] = n.Of(i).Suppressed
		}
		return out
	}
	want := map[string]bool{"u1/brute_force": true, "u1/off_hours": false, "u2/off_hours": true}
	if got := suppressed(); !equalMaps(got, want) {
		t.Errorf("day 0: %v, want %v", got, want)
	}
	list, _ := s.List(ctx, Filter{})
	if len(list.Alerts) != 1 || list.Suppressed != 2 {
		t.Errorf("list on day 0: %d shown, %d suppressed; want 1 and 2", len(list.Alerts), list.Suppressed)
	}
	if all, _ := s.List(ctx, Filter{WithSuppressed: true}); len(all.Alerts) != 3 {
		t.Errorf("list with suppressed: %d alerts, want 3", len(all.Alerts))
	}

	c.t = t0.Add(7*24*time.Hour + time.Second) // the 7-day one is over
	want["u2/off_hours"] = false
	if got := suppressed(); !equalMaps(got, want) {
		t.Errorf("day 7: %v, want %v", got, want)
	}
	c.t = t0.Add(DefaultSuppression) // the default 30 days are over
	want["u1/brute_force"] = false
	if got := suppressed(); !equalMaps(got, want) {
		t.Errorf("day 30: %v, want %v", got, want)
	}
	if active, _ := s.Suppressions(ctx, false); len(active) != 0 {
		t.Errorf("%d suppressions still active after 30 days", len(active))
	}
	if all, _ := s.Suppressions(ctx, true); len(all) != 2 {
		t.Errorf("%d suppressions on record, want both kept", len(all))
	}
}

func equalMaps(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestSuppressRefusals(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	cases := []struct {
		name   string
		user   string
		rule   detect.Rule
		reason string
		d      time.Duration
		want   string
	}{
		{"no user", " ", "", "r", 0, "needs a user"},
		{"no reason", "u1", "", "", 0, "needs a reason"},
		{"over a year", "u1", "", "r", MaxSuppression + time.Hour, "at most 365d"},
		{"negative", "u1", "", "r", -time.Hour, "cannot last"},
		{"unknown rule", "u1", "sql_injection", "r", 0, `"sql_injection" is not a rule`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Suppress(context.Background(), tc.user, tc.rule, tc.reason, tc.d)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	x, err := s.Suppress(context.Background(), "u1", "", "r", MaxSuppression)
	if err != nil || !x.ExpiresAt.Equal(x.CreatedAt.Add(MaxSuppression)) {
		t.Fatalf("a 365-day suppression: %+v, %v", x, err)
	}
}
