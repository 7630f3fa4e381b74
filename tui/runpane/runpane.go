// Package runpane is the run pane: what will run, the Kerberos state, the
// run state, and why Run is disabled when it is.
package runpane

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"cam/config"
	"cam/engine"
	"cam/internal/display"
	"cam/internal/inert"
	"cam/internal/plural"
	"cam/krb5"
	"cam/session"
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

// TicketLevel is what a ticket check means for a run.
type TicketLevel int

// Ticket levels, from fine to blocking.
const (
	TicketOK          TicketLevel = iota // valid for an hour or more
	TicketWarn                           // valid, but not for long
	TicketOverridable                    // cam cannot check the ticket; the analyst may say they ran kinit
	TicketBlocked                        // missing or expired: a run would fail to log in
)

// TicketState is a ticket check in the words the pane shows.
type TicketState struct {
	State     krb5.State // the facts the words were made from; the session's gate reads them
	Level     TicketLevel
	Principal string // of the cached ticket, also when expired; "" when unknown
	Line      string // "analyst@CORP.EXAMPLE — valid for 7h12m, renewable until 11-29 14:00"
	// Reason is why a run is blocked (Blocked, or Overridable without the
	// analyst's confirmation); "" otherwise.
	Reason string
}

// Model is the run pane.
type Model struct {
	c         *common.Common
	plan      Plan
	kerberos  bool         // some database logs in with the analyst's ticket
	ticket    *TicketState // the last ticket check; nil before the first
	confirmed bool         // the analyst said they ran kinit (unreadable caches only)
	state     State
	done, all int
	result    *engine.Result
	settings  string // why the settings stop a run; "" when they do not
	w, h      int
}

// New returns the run pane. kerberos says whether any database uses the
// analyst's ticket, so the pane shows and gates on the ticket check.
func New(c *common.Common, kerberos bool) Model { return Model{c: c, kerberos: kerberos} }

// NeedsKerberos reports whether any database authenticates with the
// analyst's ticket.
func (m Model) NeedsKerberos() bool { return m.kerberos }

// SetPlan updates what will run and why the settings may stop it.
func (m *Model) SetPlan(p Plan, blocked string) {
	m.plan = p
	m.settings = blocked
}

// SetTicket records a ticket check. A readable ticket clears an earlier
// "I ran kinit" confirmation: it is no longer needed.
func (m *Model) SetTicket(s TicketState) {
	m.ticket = &s
	if s.Level != TicketOverridable {
		m.confirmed = false
	}
}

// Principal is the principal of the last ticket seen, or "".
func (m Model) Principal() string {
	if m.ticket == nil {
		return ""
	}
	return m.ticket.Principal
}

// Blocked is why Run is disabled, or "".
func (m Model) Blocked() string {
	switch {
	case m.settings != "":
		return m.settings
	case !m.kerberos:
		return ""
	case m.ticket == nil:
		return "checking your Kerberos ticket…"
	}
	if session.TicketAllowsRun(m.ticket.State, m.confirmed) {
		return ""
	}
	return m.ticket.Reason
}

// Confirmed reports the kinit confirmation.
func (m Model) Confirmed() bool { return m.confirmed }

// overridable reports whether c means something now.
func (m Model) overridable() bool {
	return m.kerberos && m.ticket != nil && m.ticket.Level == TicketOverridable
}

// SetState records the run's progress.
func (m *Model) SetState(s State, done, all int, res *engine.Result) {
	m.state, m.done, m.all, m.result = s, done, all, res
}

// State is the current run state.
func (m Model) State() State { return m.state }

// Init is part of the pane contract (common.Component); the pane starts
// nothing of its own.
func (m Model) Init() tea.Cmd { return nil }

// Update handles the "I ran kinit" confirmation, offered only when cam
// cannot read the ticket cache itself.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, m.c.Keys.Confirm) && m.overridable() {
		m.confirmed = !m.confirmed
	}
	return m, nil
}

// SetSize sets the inner size.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h }

// Title names the pane with its state; a run the analyst cancelled is
// "cancelled", not "finished".
func (m Model) Title() string {
	if m.state == Finished && m.result != nil && m.result.Cancelled {
		return "Run · cancelled"
	}
	return "Run · " + m.state.String()
}

// InputFocused is always false.
func (m Model) InputFocused() bool { return false }

// ShortHelp lists the pane's keys.
func (m Model) ShortHelp() []key.Binding {
	switch {
	case m.overridable():
		return []key.Binding{m.c.Keys.Kinit, m.c.Keys.Confirm}
	case m.kerberos:
		return []key.Binding{m.c.Keys.Kinit}
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
		lines = append(lines, fmt.Sprintf("%d %s, %d %s", len(cfg.Databases), plural.Word(len(cfg.Databases), "database", "databases"),
			queries, plural.Word(queries, "query", "queries")))
		anchor := m.plan.Now
		window := display.Span(cfg.Settings.Detection.TakeoverWindow)
		mode := "sliding: any " + window + " window"
		if t := m.plan.LastEventTime; t != nil {
			anchor = *t
			mode = "anchored: " + window + " up to " + t.In(m.c.Zone).Format("2006-01-02 15:04")
		}
		start := anchor.Add(-cfg.Settings.Detection.Lookback)
		lines = append(lines, "Mode: "+mode, "Since: "+start.In(m.c.Zone).Format("2006-01-02 15:04 MST"),
			takeoverLine(cfg.Settings.Detection))
		for _, db := range cfg.Databases {
			lines = append(lines, st.Muted.Render(fmt.Sprintf("  %s: %d %s", inert.Text(db.Name), len(db.Queries), plural.Word(len(db.Queries), "query", "queries"))))
		}
	}
	lines = append(lines, m.kerberosLines()...)
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
				display.Span(r.FinishedAt.Sub(r.StartedAt)), len(r.Findings.Takeovers), len(r.Findings.Alerts)))
		}
	}
	if m.state != Running && m.state != Cancelling {
		if why := m.Blocked(); why != "" {
			lines = append(lines, st.ErrorText.Render("Run disabled: "+inert.Text(why)))
		} else {
			lines = append(lines, st.TitleFocused.Render("Press r to run"))
		}
	}
	for i := range lines {
		lines[i] = common.Truncate(lines[i], m.w)
	}
	return common.FitLines(lines, m.w, m.h)
}

// kerberosLines shows the ticket check, wrapped rather than cut: its
// message says what to type.
func (m Model) kerberosLines() []string {
	st := m.c.Styles
	if !m.kerberos {
		return []string{"Kerberos: not needed"}
	}
	if m.ticket == nil {
		return []string{st.Muted.Render("Kerberos: checking…")}
	}
	style := st.OKText
	switch m.ticket.Level {
	case TicketWarn, TicketOverridable:
		style = st.WarnText
	case TicketBlocked:
		style = st.ErrorText
	}
	width := max(m.w, 20)
	wrapped := lipgloss.NewStyle().Width(width).Render("Kerberos: " + inert.Text(m.ticket.Line))
	var out []string
	for _, l := range strings.Split(wrapped, "\n") {
		out = append(out, style.Render(strings.TrimRight(l, " ")))
	}
	if m.confirmed {
		out = append(out, st.OKText.Render("You confirmed you ran kinit (c to undo)"))
	}
	return out
}

// takeoverLine says which change types the takeover rule needs, as
// configured (detection.takeover_types and takeover_min_types).
func takeoverLine(d config.Detection) string {
	types := d.TakeoverTypes
	if len(types) == 0 { // a Config built in code: the rule's default four
		types = config.ChangeTypes
	}
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = inert.Text(string(t))
	}
	need := "all of"
	if d.TakeoverMinTypes > 0 && d.TakeoverMinTypes < len(names) {
		need = fmt.Sprintf("%d of", d.TakeoverMinTypes)
	}
	return "Takeover: " + need + " " + strings.Join(names, ", ")
}
