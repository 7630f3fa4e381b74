package runpane

import (
	"strings"
	"testing"
	"time"

	"cam/config"
	"cam/engine"
	"cam/tui/common"
)

// The pane names the configured takeover window, not a fixed 24h.
func TestPlanShowsTheConfiguredTakeoverWindow(t *testing.T) {
	for _, c := range []struct {
		window time.Duration
		want   string
	}{
		{24 * time.Hour, "sliding: any 24h window"},
		{12 * time.Hour, "sliding: any 12h window"},
		{3*time.Hour + 12*time.Minute, "sliding: any 3h 12m window"},
		{45 * time.Minute, "sliding: any 45m window"},
	} {
		t.Run(c.want, func(t *testing.T) {
			m := New(common.New(), false)
			m.SetSize(80, 24)
			cfg := &config.Config{Settings: config.Settings{Detection: config.Detection{TakeoverWindow: c.window, Lookback: 720 * time.Hour}}}
			m.SetPlan(Plan{Config: cfg, Now: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}, "")
			if v := m.View(); !strings.Contains(v, c.want) {
				t.Errorf("view lacks %q:\n%s", c.want, v)
			}
		})
	}
}

// After a cancel the pane says cancelled, in its title and its state line.
func TestCancelledRunIsNotFinished(t *testing.T) {
	t0 := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name      string
		res       engine.Result
		title     string
		stateWord string
	}{
		{"complete", engine.Result{Complete: true, StartedAt: t0, FinishedAt: t0.Add(3*time.Minute + 12*time.Second)}, "Run · finished", "Finished in 3m 12s"},
		{"cancelled", engine.Result{Cancelled: true, StartedAt: t0, FinishedAt: t0.Add(2 * time.Second)}, "Run · cancelled", "Cancelled in 2s"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := New(common.New(), false)
			m.SetSize(80, 24)
			m.SetState(Finished, 1, 1, &c.res)
			if got := m.Title(); got != c.title {
				t.Errorf("title %q, want %q", got, c.title)
			}
			if v := m.View(); !strings.Contains(v, c.stateWord) {
				t.Errorf("view lacks %q:\n%s", c.stateWord, v)
			}
		})
	}
}

// The pane names the change types the takeover rule needs, as configured.
func TestPlanNamesTheConfiguredTakeoverTypes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		types []config.ChangeType
		min   int
		want  string
	}{
		{name: "default four", want: "Takeover: all of password, email, phone, token"},
		{name: "five, three needed", types: []config.ChangeType{"password", "email", "phone", "token", "address"}, min: 3,
			want: "Takeover: 3 of password, email, phone, token, address"},
		{name: "minimum equal to the list", types: []config.ChangeType{"password", "mfa_device"}, min: 2,
			want: "Takeover: all of password, mfa_device"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := takeoverLine(config.Detection{TakeoverTypes: tc.types, TakeoverMinTypes: tc.min})
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
