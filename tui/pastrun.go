package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"cam/internal/inert"
	"cam/tui/history"
	"cam/tui/results"
)

// resultsSlot is the results pane, or the past run opened from the
// history pane in its place.
func (m *Model) resultsSlot() component {
	if m.pastOpen {
		return slotOf(&m.past)
	}
	return slotOf(&m.results)
}

// resultsEscConsumed reports whether esc means something to what the
// results pane shows: a past run always takes it (to close).
func (m Model) resultsEscConsumed() bool {
	if m.pastOpen {
		return m.past.EscConsumed()
	}
	return m.results.EscConsumed()
}

// onHistory takes the history pane's reads and the past run's opening
// and closing, wherever the focus is.
func (m Model) onHistory(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case history.LoadedMsg:
		var cmd tea.Cmd
		m.history, cmd = m.history.Update(msg)
		return m, cmd
	case history.OpenedMsg:
		if msg.Err != nil {
			return m.flash(toastError(fmt.Sprintf("Cannot open run %d: %s", msg.Run.ID, inert.Text(msg.Err.Error()))))
		}
		m.past = history.NewPast(m.c, msg.Run, msg.Result, results.DatabaseZones(m.cfg))
		m.pastOpen = true
		m.layout()
		m.setFocus(paneResults)
	case history.ClosedMsg:
		m.closePast()
	}
	return m, nil
}

// onKeysRefreshingHistory routes keys and reads the history again when
// they focus its pane, so it shows the runs recorded since.
func (m Model) onKeysRefreshingHistory(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	before := m.focus
	next, cmd := m.onKeys(k)
	nm := next.(Model)
	if nm.quitting || nm.focus != paneHistory || before == paneHistory {
		return next, cmd
	}
	refresh := nm.history.Refresh()
	return nm, tea.Batch(cmd, refresh)
}

// afterRun closes a past run the analyst was looking at (the new results
// take the pane) and reads the history again.
func (m *Model) afterRun() tea.Cmd {
	m.closePast()
	return m.history.Refresh()
}

// closePast shows the current results again, sized to the pane (a
// resize while the past run was open reached only the past run).
func (m *Model) closePast() {
	if !m.pastOpen {
		return
	}
	m.pastOpen = false
	m.past = history.Past{}
	m.layout()
}
