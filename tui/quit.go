package tui

import tea "github.com/charmbracelet/bubbletea"

// askQuit is q: it quits at once unless quitting would lose something —
// a run in progress or settings edits not saved — and then asks.
func (m Model) askQuit() (tea.Model, tea.Cmd) {
	if m.quitQuestion() == "" {
		return m.quit()
	}
	m.confirmQuit = true
	return m, nil
}

// quitQuestion is what quitting now would lose, as a y/n question, or ""
// when nothing would be lost. The footer words it from the state at each
// frame, so it never names a run that has ended.
func (m Model) quitQuestion() string {
	dirty := m.settings.Dirty()
	switch {
	case m.running && dirty:
		return "A run is in progress and settings are not saved. Quit, cancel the run and drop the edits? (y/n)"
	case m.running:
		return "A run is in progress. Quit and cancel it? (y/n)"
	case dirty:
		return "Settings have edits not saved (ctrl+s in Settings saves). Quit and drop them? (y/n)"
	}
	return ""
}

// settleQuit drops the quit prompt once nothing would be lost any more
// (the run ended while the question was up).
func (m *Model) settleQuit() {
	if m.confirmQuit && m.quitQuestion() == "" {
		m.confirmQuit = false
	}
}
