package results

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"cam/engine/detect"
	"cam/internal/inert"
	"cam/session"
	"cam/triage"
)

// Triager is what the pane asks of the session to change and read the
// triage state; *session.Session is one. Every call runs in a tea.Cmd,
// off the UI goroutine, and every change is audited by the session.
type Triager interface {
	SetAlert(ctx context.Context, id string, c triage.Change) (triage.Alert, triage.HistoryEntry, error)
	UndoAlert(ctx context.Context) (triage.Alert, triage.HistoryEntry, error)
	Suppress(ctx context.Context, user string, rule detect.Rule, reason string, d time.Duration) (triage.Suppression, error)
	StateVersion(ctx context.Context) (int64, error)
	Alerts(ctx context.Context) ([]triage.Alert, error)
	AlertHistory(ctx context.Context, id string) ([]triage.HistoryEntry, error)
}

// pollInterval is how often the pane looks for another analyst's change.
const pollInterval = 2 * time.Second

// rowState is the triage state of one alert as the table shows it.
type rowState struct {
	status     triage.Status
	reason     triage.Reason
	suppressed bool
	isNew      bool // not seen in the previous complete run
	note       string
	resolvedBy string
}

// StateMsg is every message the pane's triage sends itself; the root
// routes them to the pane whatever has the focus.
type StateMsg interface{ triageMsg() }

// PollMsg is the poll's tick.
type PollMsg struct{}

// ChangedMsg reports a change made through the session (verb says which).
type ChangedMsg struct {
	Verb  string
	Alert triage.Alert
	Err   error
}

// SuppressedMsg reports a suppression made through the session.
type SuppressedMsg struct {
	Suppression triage.Suppression
	Err         error
}

// StatesLoadedMsg carries the state's alerts after another process
// changed them (Version is the data version read).
type StatesLoadedMsg struct {
	Alerts  []triage.Alert
	Version int64
	Err     error
}

// HistoryLoadedMsg carries an alert's history for the detail view.
type HistoryLoadedMsg struct {
	ID   string
	Rows []triage.HistoryEntry
	Err  error
}

// polledMsg says the data version did not move.
type polledMsg struct{ version int64 }

func (PollMsg) triageMsg()          {}
func (ChangedMsg) triageMsg()       {}
func (SuppressedMsg) triageMsg()    {}
func (StatesLoadedMsg) triageMsg()  {}
func (HistoryLoadedMsg) triageMsg() {}
func (polledMsg) triageMsg()        {}

// SetTriager gives the pane the session's triage use cases; without it the
// pane shows no status column and the triage keys are off.
func (m *Model) SetTriager(t Triager) { m.tr = t }

// SetStateError says why the triage state could not open; the summary
// shows it and the triage keys stay off.
func (m *Model) SetStateError(err error) { m.stateErr = err }

// SetOutcome shows a run recorded in the triage state: its (perhaps
// merged) result and every alert's state.
func (m *Model) SetOutcome(o session.Outcome) {
	m.SetResult(o.Result)
	if o.Triage == nil {
		return
	}
	m.business = o.Business
	m.ids = make([]string, len(m.alerts))
	m.states = make(map[string]rowState, len(m.alerts))
	for i := range m.alerts {
		st, ok := o.State(&m.alerts[i])
		if !ok {
			continue
		}
		m.ids[i] = st.ID
		m.states[st.ID] = rowState{status: st.Status, reason: st.Reason, suppressed: st.Suppressed, isNew: st.New, note: st.Note,
			resolvedBy: st.ResolvedBy}
	}
	m.refresh()
}

// pollTick waits one interval.
func pollTick() tea.Cmd { return tea.Tick(pollInterval, func(time.Time) tea.Msg { return PollMsg{} }) }

// poll reads the data version and, when it moved, the alerts.
func (m Model) poll() tea.Cmd {
	tr, last := m.tr, m.version
	return func() tea.Msg {
		ctx := context.Background()
		v, err := tr.StateVersion(ctx)
		if err != nil || v == last {
			return polledMsg{last}
		}
		alerts, err := tr.Alerts(ctx)
		return StatesLoadedMsg{Alerts: alerts, Version: v, Err: err}
	}
}

// updateState handles the triage messages.
func (m Model) updateState(msg StateMsg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case PollMsg:
		if m.tr == nil {
			return m, nil
		}
		return m, m.poll()
	case polledMsg:
		return m, pollTick()
	case StatesLoadedMsg:
		if msg.Err == nil {
			m.version = msg.Version
			m.applyAlerts(msg.Alerts, true)
		}
		cmds := []tea.Cmd{pollTick()}
		if m.detail {
			cmds = append(cmds, m.loadHistory())
		}
		return m, tea.Batch(cmds...)
	case ChangedMsg:
		if msg.Err != nil {
			m.triageNote = "Not changed: " + inert.Text(msg.Err.Error())
			return m, nil
		}
		m.applyAlerts([]triage.Alert{msg.Alert}, false)
		m.triageNote = fmt.Sprintf("%s %s: %s · %s undoes", msg.Verb, msg.Alert.ID, describeState(msg.Alert.Status, msg.Alert.Reason),
			m.c.Keys.Undo.Help().Key)
		return m, m.loadHistory()
	case SuppressedMsg:
		if msg.Err != nil {
			m.triageNote = "Suppress failed: " + inert.Text(msg.Err.Error())
			return m, nil
		}
		x := msg.Suppression
		for i, id := range m.ids {
			if st, ok := m.states[id]; ok && x.Covers(m.alerts[i].Rule, m.alerts[i].User) {
				st.suppressed = true
				m.states[id] = st
			}
		}
		scope := "every rule"
		if x.Rule != "" {
			scope = string(x.Rule)
		}
		m.triageNote = fmt.Sprintf("Suppressed %s for user %s until %s", scope, inert.Text(x.User), x.ExpiresAt.In(m.c.Zone).Format("2006-01-02"))
		m.keepSelection(m.refresh)
		return m, nil
	case HistoryLoadedMsg:
		if a, ok := m.selectedID(); ok && a == msg.ID {
			m.hist, m.histErr = msg.Rows, msg.Err
		}
		return m, nil
	}
	return m, nil
}

// applyAlerts takes the stored state of the run's alerts; a reload
// (listed) carries their suppression too, a changed alert does not.
func (m *Model) applyAlerts(alerts []triage.Alert, listed bool) {
	if m.states == nil {
		return
	}
	for _, a := range alerts {
		st, ok := m.states[a.ID]
		if !ok {
			continue
		}
		st.status, st.reason, st.note, st.resolvedBy = a.Status, a.Reason, a.Note, a.ResolvedBy
		if listed {
			st.suppressed = a.Suppressed
		}
		m.states[a.ID] = st
	}
	m.keepSelection(m.refresh)
}

// keepSelection runs f (which may hide rows) and keeps the cursor on the
// same alert when it is still shown, else on the row where it was.
func (m *Model) keepSelection(f func()) {
	id, had := m.selectedID()
	f()
	if !had {
		return
	}
	for r, i := range m.visible {
		if m.ids[i] == id {
			m.cursor = r
			m.clampTop()
			return
		}
	}
}

// selectedID is the triage id of the alert under the cursor.
func (m Model) selectedID() (string, bool) {
	if m.ids == nil || m.cursor < 0 || m.cursor >= len(m.visible) {
		return "", false
	}
	id := m.ids[m.visible[m.cursor]]
	return id, id != ""
}

// stateOf is alert i's state; ok is false without triage.
func (m Model) stateOf(i int) (rowState, bool) {
	if m.ids == nil || m.ids[i] == "" {
		return rowState{}, false
	}
	st, ok := m.states[m.ids[i]]
	return st, ok
}

// shown reports whether alert i belongs in the table: open and not
// suppressed, unless the analyst shows all or filters by status.
func (m Model) shown(i int, byStatus bool) bool {
	st, ok := m.stateOf(i)
	return !ok || m.showAll || byStatus || st.status.Open() && !st.suppressed
}

// hiddenCounts counts the alerts the open-only view leaves out.
func (m Model) hiddenCounts() (suppressed, resolved int) {
	for i := range m.alerts {
		st, ok := m.stateOf(i)
		switch {
		case !ok:
		case st.suppressed:
			suppressed++
		case !st.status.Open():
			resolved++
		}
	}
	return suppressed, resolved
}

// matchesStatus reports whether alert i passes the filter's status terms:
// a status name (or its beginning), "open", "suppressed" or "new".
func (m Model) matchesStatus(i int, terms []string) bool {
	st, ok := m.stateOf(i)
	if !ok {
		return false
	}
	for _, v := range terms {
		switch {
		case v == "open":
			if !st.status.Open() || st.suppressed {
				return false
			}
		case strings.HasPrefix("suppressed", v) && len(v) >= 3:
			if !st.suppressed {
				return false
			}
		case v == "new": // the status, or new since the last run
			if st.status != triage.StatusNew && !st.isNew {
				return false
			}
		case !strings.HasPrefix(string(st.status), v):
			return false
		}
	}
	return true
}

// triageKey handles a triage key in the table or the detail view; ok is
// false for any other key.
func (m Model) triageKey(k tea.KeyMsg) (Model, tea.Cmd, bool) {
	keys := m.c.Keys
	if !m.triageOn() {
		return m, nil, false
	}
	switch {
	case key.Matches(k, keys.ShowAll):
		m.showAll = !m.showAll
		m.keepSelection(m.refresh)
		return m, nil, true
	case key.Matches(k, keys.Undo):
		tr := m.tr
		return m, func() tea.Msg {
			a, _, err := tr.UndoAlert(context.Background())
			return ChangedMsg{Verb: "Undid", Alert: a, Err: err}
		}, true
	}
	id, ok := m.selectedID()
	a, _ := m.selected()
	switch {
	case !ok:
		return m, nil, false
	case key.Matches(k, keys.Acknowledge):
		return m, m.change("Acknowledged", id, triage.Change{Status: triage.StatusAcknowledged}), true
	case key.Matches(k, keys.Escalate):
		return m, m.change("Escalated", id, triage.Change{Status: triage.StatusEscalated}), true
	case key.Matches(k, keys.Resolve):
		m.dlg = newResolveDialog(id)
		return m, nil, true
	case key.Matches(k, keys.Note):
		m.dlg = newNoteDialog(id)
		return m, m.dlg.input.Focus(), true
	case key.Matches(k, keys.Suppress):
		m.dlg = newSuppressDialog(a.User, a.Rule)
		return m, nil, true
	}
	return m, nil, false
}

// triageOn reports whether the triage keys apply: a state and a run
// recorded in it.
func (m Model) triageOn() bool { return m.tr != nil && m.states != nil }

// change applies c to alert id through the session, off the UI goroutine.
func (m Model) change(verb, id string, c triage.Change) tea.Cmd {
	tr := m.tr
	return func() tea.Msg {
		a, _, err := tr.SetAlert(context.Background(), id, c)
		return ChangedMsg{Verb: verb, Alert: a, Err: err}
	}
}

// suppress adds a suppression through the session.
func (m Model) suppress(user string, rule detect.Rule, reason string, d time.Duration) tea.Cmd {
	tr := m.tr
	return func() tea.Msg {
		x, err := tr.Suppress(context.Background(), user, rule, reason, d)
		return SuppressedMsg{Suppression: x, Err: err}
	}
}

// loadHistory reads the selected alert's history for the detail view.
func (m Model) loadHistory() tea.Cmd {
	id, ok := m.selectedID()
	if !ok || !m.detail || m.tr == nil {
		return nil
	}
	tr := m.tr
	return func() tea.Msg {
		rows, err := tr.AlertHistory(context.Background(), id)
		return HistoryLoadedMsg{ID: id, Rows: rows, Err: err}
	}
}
