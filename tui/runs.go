package tui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"cam/engine"
	"cam/session"
	"cam/tui/runpane"
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

// startRun starts a run when the run pane allows it.
func (m Model) startRun() (tea.Model, tea.Cmd) {
	if m.running() {
		return m.flash(toastError("A run is already in progress — esc cancels it"))
	}
	if reason := m.run.Blocked(); reason != "" {
		return m.flash(toastError("Run disabled: " + reason))
	}
	last, _ := m.settings.LastEventTime()
	run, err := m.sess.Start(context.Background(), last)
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
		m.results.SetResult(res)
		m.setFocus(paneResults)
		refresh := m.afterRun()
		return m, tea.Batch(next, refresh)
	}
	if m.run.State() == runpane.Running {
		m.run.SetState(runpane.Running, m.status.Done(), len(m.status.Rows()), nil)
	}
	return m, next
}
