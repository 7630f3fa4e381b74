package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestWideResultsTakeTheWidth: at 140x40 the results get the whole width,
// so the MESSAGE column is not cut; settings are one key (1) away and 5
// brings the results back.
func TestWideResultsTakeTheWidth(t *testing.T) {
	m, _ := newModel(t)
	next, _ := m.Update(tea.WindowSizeMsg{Width: 140, Height: 40})
	m = next.(Model)
	m, _ = press(t, m, "r")
	m = send(m, 1, finishedTwoUsers())
	v := m.View()
	if !strings.Contains(v, "password, email, phone and token changed within 3h") {
		t.Errorf("the MESSAGE column is cut at 140 columns:\n%s", v)
	}
	if strings.Contains(v, "SID          ") || !strings.Contains(v, "[5 Results]") {
		t.Errorf("the results do not have the screen, or the tab bar is missing:\n%s", v)
	}
	m, _ = press(t, m, "1")
	v = m.View()
	if !strings.Contains(v, "1 Settings") || !strings.Contains(v, "2 Run") || !strings.Contains(v, "3 Status") {
		t.Errorf("1 does not show the settings beside run and status:\n%s", v)
	}
	m, _ = press(t, m, "5")
	if v := m.View(); !strings.Contains(v, "within 3h") || strings.Contains(v, "3 Status") && !strings.Contains(v, "[5 Results]") {
		t.Errorf("5 did not bring the results back:\n%s", v)
	}
	for i, l := range strings.Split(m.View(), "\n") {
		if lipglossWidth(l) > 140 {
			t.Errorf("line %d is %d wide", i, lipglossWidth(l))
		}
	}
}
