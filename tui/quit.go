package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"cam/tui/common"
)

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
	case m.running() && dirty:
		return "Run in progress, settings not saved. Quit, cancel it and drop the edits?" + yesNo
	case m.running():
		return "A run is in progress. Quit and cancel it?" + yesNo
	case dirty:
		return "Settings not saved (ctrl+s saves). Quit and drop the edits?" + yesNo
	}
	return ""
}

// yesNo ends every quit question; a narrow footer cuts the question
// before it, never it.
const yesNo = " (y/n)"

// quitLine is the quit question fitted to width cells, ending in (y/n).
func (m Model) quitLine(width int) string {
	q := m.quitQuestion()
	if lipgloss.Width(q) <= width {
		return q
	}
	return common.Truncate(strings.TrimSuffix(q, yesNo), max(0, width-len(yesNo))) + yesNo
}

// settleQuit drops the quit prompt once nothing would be lost any more
// (the run ended while the question was up).
func (m *Model) settleQuit() {
	if m.confirmQuit && m.quitQuestion() == "" {
		m.confirmQuit = false
	}
}
