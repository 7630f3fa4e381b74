package logs

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"cam/tui/common"
)

func TestFollowsTheTailUntilScrolledUp(t *testing.T) {
	m := New(common.New())
	m.SetSize(60, 5)
	for i := 1; i <= 20; i++ {
		m.Append(fmt.Sprintf("[2026-11-22 14:00:%02d] [INFO] [engine] line %d", i, i))
	}
	if v := m.View(); !strings.Contains(v, "line 20") || strings.Contains(v, "line 15") {
		t.Fatalf("not following the tail:\n%s", v)
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyUp})
	m.Append("[2026-11-22 14:00:21] [WARN] [engine] line 21")
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

func TestShowsSeedLinesCompactlyAndFitsTheWidth(t *testing.T) {
	m := New(common.New())
	m.SetSize(40, 4)
	m.Append("[2026-11-22 14:03:07] [ERROR] [engine] query failed db=accounts class=connection message=\"refused\"",
		"not a seed line at all, kept as it is but cut to the width")
	lines := strings.Split(m.View(), "\n")
	if !strings.HasPrefix(lines[0], "14:03:07 ERROR engine query failed") {
		t.Errorf("seed line shown as %q", lines[0])
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > 40 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
	if !strings.HasPrefix(lines[1], "not a seed line") {
		t.Errorf("other text shown as %q", lines[1])
	}
}
