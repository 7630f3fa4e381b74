package tui

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"cam/engine"
	"cam/session"
	"cam/triage"
	"cam/tui/runpane"
	"cam/tui/toast"
)

// engineEventMsg wraps one engine event of run id.
type engineEventMsg struct {
	id int64
	ev engine.Event
}

// runEndedMsg says a run's event channel closed.
type runEndedMsg struct{ id int64 }

// waitForEvent returns the next event of a run as a message; Update re-arms
// it after each event.
func waitForEvent(run *session.Run) tea.Cmd {
	id, ch := run.ID(), run.Events()
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return runEndedMsg{id}
		}
		return engineEventMsg{id, ev}
	}
}

// concludedMsg carries a finished run as the triage state recorded it.
type concludedMsg struct {
	id  int64
	run *session.Run
	out session.Outcome
	err error
}

// conclude records a finished run in the triage state (merging an
// incremental run's findings), off the UI goroutine.
func conclude(run *session.Run, res engine.Result) tea.Cmd {
	return func() tea.Msg {
		out, err := run.Conclude(context.Background(), res, triage.ModeTUI)
		return concludedMsg{id: run.ID(), run: run, out: out, err: err}
	}
}

// onConcluded shows the recorded run, or runs again in full when an
// incremental run could not be merged exactly.
func (m Model) onConcluded(msg concludedMsg) (tea.Model, tea.Cmd) {
	if m.active == nil || msg.run != m.active {
		return m, nil // a stale run's
	}
	if session.NeedsFullRun(msg.err) {
		next, cmd := m.startWith(session.StartOptions{})
		nm := next.(Model)
		return nm.flashWith(cmd, toast.Toast{Text: "Incremental run could not be merged (" + msg.err.Error() + "); running in full", Level: toast.Warn})
	}
	refresh := m.afterRun() // the history pane lists the recorded run
	if msg.err != nil {
		m.results.SetResult(msg.out.Result)
		return m.flashWith(refresh, toastError("Run not recorded in the triage state: "+msg.err.Error()))
	}
	m.results.SetOutcome(msg.out)
	if p := msg.run.Plan(); p.Incremental {
		return m.flashWith(refresh, toast.Toast{Text: fmt.Sprintf("Incremental run: read events since %s, merged with run %d",
			p.Start.In(m.c.Zone).Format("01-02 15:04"), p.Base), Level: toast.Info})
	}
	return m, refresh
}

// flashWith shows t beside cmd.
func (m Model) flashWith(cmd tea.Cmd, t toast.Toast) (tea.Model, tea.Cmd) {
	next, flash := m.flash(t)
	return next, tea.Batch(cmd, flash)
}

// startRun starts a run when the run pane allows it: incremental when the
// triage state holds a complete run within the lookback (the session
// decides), in full otherwise.
func (m Model) startRun() (tea.Model, tea.Cmd) {
	if m.running() {
		return m.flash(toastError("A run is already in progress — esc cancels it"))
	}
	if reason := m.run.Blocked(); reason != "" {
		return m.flash(toastError("Run disabled: " + reason))
	}
	last, _ := m.settings.LastEventTime()
	return m.startWith(session.StartOptions{LastEventTime: last, SinceLast: m.sess.HasState()})
}

// startWith starts a run as opts say.
func (m Model) startWith(opts session.StartOptions) (tea.Model, tea.Cmd) {
	run, err := m.sess.StartWith(context.Background(), opts)
	if err != nil {
		return m.flash(toastError("Cannot start: " + err.Error()))
	}
	m.active = run
	m.status.Reset(m.c.Now())
	m.run.SetState(runpane.Running, 0, 0, nil)
	// Watch the queries: the status pane takes the focus (and, narrow,
	// the screen) until the results arrive.
	m.setFocus(paneStatus)
	return m, tea.Batch(waitForEvent(run), m.status.Spinner())
}

// cancelRun asks the engine to stop; the run reports back as cancelled.
func (m *Model) cancelRun() {
	if m.active != nil {
		m.active.Cancel()
		m.run.SetState(runpane.Cancelling, m.status.Done(), len(m.status.Rows()), nil)
	}
}

// onEvent applies an event of the current run and re-arms the listener.
func (m Model) onEvent(ev engine.Event) (tea.Model, tea.Cmd) {
	m.status.Apply(ev, m.c.Now())
	next := waitForEvent(m.active)
	if fin, ok := ev.(engine.RunFinished); ok {
		res := fin.Result
		m.active.Finish(res, "")
		m.status.Finish(m.c.Now())
		m.run.SetState(runpane.Finished, m.status.Done(), len(m.status.Rows()), &res)
		m.setFocus(paneResults)
		if m.sess.HasState() {
			// The results show once recorded: an incremental run's own
			// findings are only the new part until merged.
			return m, tea.Batch(next, conclude(m.active, res))
		}
		m.results.SetResult(res)
		refresh := m.afterRun()
		return m, tea.Batch(next, refresh)
	}
	if m.run.State() == runpane.Running {
		m.run.SetState(runpane.Running, m.status.Done(), len(m.status.Rows()), nil)
	}
	return m, next
}
