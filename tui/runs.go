package tui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"cam/engine"
	"cam/journal"
	"cam/tui/runpane"
)

// startRun starts a run when the run pane allows it.
func (m Model) startRun() (tea.Model, tea.Cmd) {
	if m.running {
		return m.showToast("A run is already in progress — esc cancels it", true)
	}
	if reason := m.run.Blocked(); reason != "" {
		return m.showToast("Run disabled: "+reason, true)
	}
	last, _ := m.settings.LastEventTime()
	ctx, cancel := context.WithCancel(context.Background())
	h, err := m.opts.Engine.Start(ctx, engine.Request{Config: m.cfg, LastEventTime: last, Now: m.c.Now()})
	if err != nil {
		cancel()
		return m.showToast("Cannot start: "+err.Error(), true)
	}
	m.handle, m.cancel, m.runID, m.running = h, cancel, h.ID(), true
	m.tap = tapRun(h)
	m.exported = nil
	mode := engine.ModeSliding
	if last != nil {
		mode = engine.ModeAnchored
	}
	m.audit(journal.ActionRunStarted, journal.RunStartedDetails(h.ID(), m.cfg, mode))
	m.status.Reset(m.c.Now())
	m.run.SetState(runpane.Running, 0, 0, nil)
	// Watch the queries: the status pane takes the focus (and, narrow,
	// the screen) until the results arrive.
	m.setFocus(paneStatus)
	return m, tea.Batch(waitForEvent(h.ID(), m.tap.events), m.status.Spinner())
}

// cancelRun asks the engine to stop; the run reports back as cancelled.
func (m *Model) cancelRun() {
	if m.handle != nil {
		m.handle.Cancel()
		m.run.SetState(runpane.Cancelling, m.status.Done(), len(m.status.Rows()), nil)
	}
}

// onEvent applies an event of the current run and re-arms the listener.
func (m Model) onEvent(ev engine.Event) (tea.Model, tea.Cmd) {
	m.status.Apply(ev, m.c.Now())
	next := waitForEvent(m.runID, m.tap.events)
	if fin, ok := ev.(engine.RunFinished); ok {
		res := fin.Result
		m.running = false
		m.lastRun = &res
		m.audit(journal.ActionRunFinished, journal.RunFinishedDetails(res))
		m.status.Finish(m.c.Now())
		m.run.SetState(runpane.Finished, m.status.Done(), len(m.status.Rows()), &res)
		m.results.SetResult(res)
		m.setFocus(paneResults)
		if m.cancel != nil {
			m.cancel()
		}
		return m, next
	}
	if m.run.State() == runpane.Running {
		m.run.SetState(runpane.Running, m.status.Done(), len(m.status.Rows()), nil)
	}
	return m, next
}
