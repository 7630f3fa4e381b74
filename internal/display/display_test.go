package display

import (
	"testing"
	"time"

	"cam/engine/detect"
)

func TestSpan(t *testing.T) {
	cases := []struct {
		name string
		d    time.Duration
		want string
	}{
		{"zero", 0, "0s"},
		{"a day as the window is written", 24 * time.Hour, "24h"},
		{"hours and minutes", 3*time.Hour + 12*time.Minute + 40*time.Second, "3h 12m"},
		{"minutes", 45 * time.Minute, "45m"},
		{"minutes and seconds", 4*time.Minute + 30*time.Second, "4m 30s"},
		{"seconds", 12 * time.Second, "12s"},
		{"sub-second", 250 * time.Millisecond, "250ms"},
		{"thirty days", 720 * time.Hour, "30d"},
		{"three days stay hours", 72 * time.Hour, "72h"},
		{"negative", -90 * time.Minute, "-1h 30m"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Span(c.d); got != c.want {
				t.Errorf("Span(%v) = %q, want %q", c.d, got, c.want)
			}
		})
	}
}

func TestRuleNamesAreShortAndDistinct(t *testing.T) {
	seen := map[string]detect.Rule{}
	for _, r := range Rules() {
		n := Rule(r)
		if n == string(r) || len(n) > 11 {
			t.Errorf("rule %s shows as %q: want a short display name", r, n)
		}
		if o, dup := seen[n]; dup {
			t.Errorf("rules %s and %s both show as %q", o, r, n)
		}
		seen[n] = r
	}
	if got := Rule("new_rule"); got != "new_rule" {
		t.Errorf("unknown rule shows as %q, want its identifier", got)
	}
}

func TestStampShowsTheYearOnlyWhenNotThisYear(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip(err)
	}
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		t    time.Time
		want string
	}{
		{"this year in summer time", time.Date(2026, 7, 1, 8, 30, 0, 0, time.UTC), "07-01 09:30"},
		{"last year", time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), "2025-12-31 23:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Stamp(c.t, now, london); got != c.want {
				t.Errorf("Stamp = %q, want %q", got, c.want)
			}
		})
	}
}

func TestClassedErrorSaysTheClassOnce(t *testing.T) {
	cases := []struct{ name, class, msg, want string }{
		{"stutter", "connection", "connection to db:1521 failed", "connection to db:1521 failed"},
		{"distinct", "auth", "ORA-01017 invalid username", "auth: ORA-01017 invalid username"},
		{"no class", "", "boom", "boom"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ClassedError(c.class, c.msg); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
