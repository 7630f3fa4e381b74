// Package runpane is the run pane: what will run, the Kerberos state, the
// run state, and why Run is disabled when it is.
package runpane

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"cam/config"
	"cam/engine"
	"cam/tui/common"
)

// State is the run's lifecycle as the pane shows it.
type State int

// Run states.
const (
	Idle State = iota
	Running
	Finished
	Cancelling
)

func (s State) String() string { return [...]string{"idle", "running", "finished", "cancelling"}[s] }

// Plan is what the next run will do.
type Plan struct {
	Config        *config.Config
	LastEventTime *time.Time
	Now           time.Time
}

// Model is the run pane.
type Model struct {
	c         *common.Common
	plan      Plan
	confirmed bool // the analyst said they ran kinit
	state     State
	done, all int
	result    *engine.Result
	blocked   string // why Run is disabled; "" when it is enabled
	w, h      int
}

// New returns the run pane.
func New(c *common.Common) Model { return Model{c: c} }

// NeedsKerberos reports whether any database authenticates with the
// analyst's ticket.
func (m Model) NeedsKerberos() bool {
	if m.plan.Config == nil {
		return false
	}
	for _, db := range m.plan.Config.Databases {
		if db.Driver == config.DriverOracle {
			return true
		}
	}
	return false
}

// SetPlan updates what will run and why it may not.
func (m *Model) SetPlan(p Plan, blocked string) {
	m.plan = p
	m.blocked = blocked
	if blocked == "" && m.NeedsKerberos() && !m.confirmed {
		m.blocked = "confirm you ran kinit (press c)"
	}
}

// Blocked is why Run is disabled, or "".
func (m Model) Blocked() string { return m.blocked }

// Confirmed reports the kinit confirmation.
func (m Model) Confirmed() bool { return m.confirmed }

// SetState records the run's progress.
func (m *Model) SetState(s State, done, all int, res *engine.Result) {
	m.state, m.done, m.all, m.result = s, done, all, res
}

// State is the current run state.
func (m Model) State() State { return m.state }

// Update handles the kinit confirmation.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, m.c.Keys.Confirm) && m.NeedsKerberos() {
		m.confirmed = !m.confirmed
		if !m.confirmed && m.blocked == "" {
			m.blocked = "confirm you ran kinit (press c)"
		} else if m.confirmed && m.blocked == "confirm you ran kinit (press c)" {
			m.blocked = ""
		}
	}
	return m, nil
}

// SetSize sets the inner size.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h }

// Title names the pane with its state.
func (m Model) Title() string { return "Run · " + m.state.String() }

// InputFocused is always false.
func (m Model) InputFocused() bool { return false }

// ShortHelp lists the pane's keys.
func (m Model) ShortHelp() []key.Binding {
	if m.NeedsKerberos() {
		return []key.Binding{m.c.Keys.Confirm}
	}
	return nil
}

// FullHelp lists the pane's keys.
func (m Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// View renders the plan and state.
func (m Model) View() string {
	st := m.c.Styles
	var lines []string
	if cfg := m.plan.Config; cfg != nil {
		queries := 0
		for _, db := range cfg.Databases {
			queries += len(db.Queries)
		}
		lines = append(lines, fmt.Sprintf("%d %s, %d %s", len(cfg.Databases), plural(len(cfg.Databases), "database", "databases"),
			queries, plural(queries, "query", "queries")))
		anchor := m.plan.Now
		mode := "sliding: any 24h window"
		if t := m.plan.LastEventTime; t != nil {
			anchor = *t
			mode = "anchored: 24h up to " + t.In(m.c.Zone).Format("2006-01-02 15:04")
		}
		start := anchor.Add(-cfg.Settings.Detection.Lookback)
		lines = append(lines, "Mode: "+mode, "Since: "+start.In(m.c.Zone).Format("2006-01-02 15:04 MST"))
		for _, db := range cfg.Databases {
			lines = append(lines, st.Muted.Render(fmt.Sprintf("  %s: %d %s", db.Name, len(db.Queries), plural(len(db.Queries), "query", "queries"))))
		}
	}
	switch {
	case !m.NeedsKerberos():
		lines = append(lines, "Kerberos: not needed")
	case m.confirmed:
		lines = append(lines, st.OKText.Render("Kerberos: ticket obtained with kinit (confirmed)"))
	default:
		lines = append(lines, st.WarnText.Render("Kerberos: run kinit, then press c"))
	}
	switch m.state {
	case Running:
		lines = append(lines, st.Bold.Render(fmt.Sprintf("Running %d/%d — esc cancels", m.done, m.all)))
	case Cancelling:
		lines = append(lines, st.WarnText.Render("Cancelling…"))
	case Finished:
		if r := m.result; r != nil {
			state := st.OKText.Render("Finished")
			if r.Cancelled {
				state = st.WarnText.Render("Cancelled")
			} else if !r.Complete {
				state = st.WarnText.Render("Incomplete")
			}
			lines = append(lines, fmt.Sprintf("%s in %s: %d suspicious, %d alerts", state,
				r.FinishedAt.Sub(r.StartedAt).Round(100*time.Millisecond), len(r.Findings.Takeovers), len(r.Findings.Alerts)))
		}
	}
	if m.state != Running && m.state != Cancelling {
		if m.blocked != "" {
			lines = append(lines, st.ErrorText.Render("Run disabled: "+m.blocked))
		} else {
			lines = append(lines, st.TitleFocused.Render("Press r to run"))
		}
	}
	for i := range lines {
		lines[i] = common.Truncate(lines[i], m.w)
	}
	return common.FitLines(lines, m.w, m.h)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
