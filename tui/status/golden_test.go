package status

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"cam/engine"
	"cam/tui/common"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// Without colour the selected status row is marked, at both sizes the
// pane has in the 80x24 and 140x40 layouts.
func TestGoldenStatusWithoutColour(t *testing.T) {
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	for _, size := range []struct {
		name string
		w, h int
	}{{"80x24", 78, 12}, {"140x40", 92, 16}} {
		t.Run(size.name, func(t *testing.T) {
			c := common.New()
			c.Now = func() time.Time { return now.Add(5 * time.Second) }
			m := New(c)
			m.SetSize(size.w, size.h)
			m.Reset(now)
			refs := []engine.QueryRef{
				{RunID: 1, Database: "client_activity_analysis", Query: "Get all email changes"},
				{RunID: 1, Database: "client_activity_analysis", Query: "Get phone changes by client ID"},
				{RunID: 1, Database: "account_activity_analysis", Query: "Get all password changes"},
			}
			for _, r := range refs {
				m.Apply(engine.QueryQueued{QueryRef: r}, now)
				m.Apply(engine.QueryStarted{QueryRef: r, Attempt: 1}, now)
			}
			m.Apply(engine.QueryFinished{QueryRef: refs[0], Rows: 1200, Rejected: 3, RejectNote: "3 unparseable_time in change_timestamp"}, now.Add(2*time.Second))
			m.Apply(engine.QueryFailed{QueryRef: refs[2], Class: engine.ClassConnection, Err: "connection to db:1521 failed: no such host", Attempts: 3}, now.Add(3*time.Second))
			m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")})
			v := m.View()
			golden.RequireEqual(t, v) // go test -update rewrites it
			marked := 0
			for _, l := range strings.Split(v, "\n") {
				if strings.HasPrefix(l, "> ") {
					marked++
					if !strings.Contains(l, "running") {
						t.Errorf("the marked row is not the second query: %q", l)
					}
				}
			}
			if marked != 1 {
				t.Errorf("%d rows marked, want 1:\n%s", marked, v)
			}
		})
	}
}
