package runpane

import (
	"strings"
	"testing"
	"time"

	"cam/config"
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
