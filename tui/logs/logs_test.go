package logs

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"cam/tui/common"
)

func TestFollowsTheTailUntilScrolledUp(t *testing.T) {
	m := New(common.New())
	m.SetSize(60, 5)
	for i := 1; i <= 20; i++ {
		m.Append(fmt.Sprintf("2026-11-22 14:00:%02d INFO line %d", i, i))
	}
	if v := m.View(); !strings.Contains(v, "line 20") || strings.Contains(v, "line 15") {
		t.Fatalf("not following the tail:\n%s", v)
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyUp})
	m.Append("2026-11-22 14:00:21 WARN line 21")
	v := m.View()
	if strings.Contains(v, "line 21") || !strings.Contains(v, "new lines") {
		t.Fatalf("scrolled view jumped to the new line or hides the indicator:\n%s", v)
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("G")})
	if v := m.View(); !strings.Contains(v, "line 21") || m.Title() != "Logs" {
		t.Errorf("G did not resume following:\n%s", v)
	}
}

func TestKeepsABoundedNumberOfLines(t *testing.T) {
	m := New(common.New())
	for i := 0; i < maxLines+10; i++ {
		m.Append("x")
	}
	if len(m.Lines()) != maxLines {
		t.Errorf("%d lines kept", len(m.Lines()))
	}
}
