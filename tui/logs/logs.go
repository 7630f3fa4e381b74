// Package logs is the log pane: the run's log lines, colour-coded by level,
// following the tail unless the analyst scrolled up.
package logs

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"cam/tui/common"
)

// maxLines bounds memory: older lines are dropped (the log file keeps them).
const maxLines = 5000

// Model is the log pane.
type Model struct {
	c       *common.Common
	lines   []string
	dropped int
	offset  int // lines scrolled up from the tail; 0 follows the tail
	unread  int // lines that arrived while scrolled up
	w, h    int
}

// New returns an empty log pane.
func New(c *common.Common) Model { return Model{c: c} }

// Append adds log lines.
func (m *Model) Append(lines ...string) {
	m.lines = append(m.lines, lines...)
	if over := len(m.lines) - maxLines; over > 0 {
		m.lines = append([]string(nil), m.lines[over:]...)
		m.dropped += over
	}
	if m.offset > 0 {
		m.offset += len(lines)
		m.unread += len(lines)
	}
}

// Lines returns the kept lines.
func (m Model) Lines() []string { return m.lines }

// Update scrolls.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	keys := m.c.Keys
	page := max(1, m.h-2)
	switch {
	case key.Matches(k, keys.Up):
		m.offset++
	case key.Matches(k, keys.Down):
		m.offset--
	case key.Matches(k, keys.PageUp):
		m.offset += page
	case key.Matches(k, keys.PageDown):
		m.offset -= page
	case key.Matches(k, keys.Top):
		m.offset = len(m.lines)
	case key.Matches(k, keys.Bottom):
		m.offset = 0
	}
	m.offset = max(0, min(m.offset, len(m.lines)-m.bodyHeight()))
	if m.offset == 0 {
		m.unread = 0
	}
	return m, nil
}

func (m Model) bodyHeight() int {
	if m.offset > 0 {
		return max(1, m.h-1)
	}
	return max(1, m.h)
}

// SetSize sets the inner size.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h }

// Title names the pane and says when it is not following.
func (m Model) Title() string {
	if m.offset > 0 {
		return "Logs (scrolled)"
	}
	return "Logs"
}

// InputFocused is always false.
func (m Model) InputFocused() bool { return false }

// ShortHelp lists the pane's keys.
func (m Model) ShortHelp() []key.Binding {
	return []key.Binding{m.c.Keys.Up, m.c.Keys.Down, m.c.Keys.Bottom}
}

// FullHelp lists the pane's keys.
func (m Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
}

// View renders the visible lines.
func (m Model) View() string {
	if len(m.lines) == 0 {
		return common.FitLines([]string{m.c.Styles.Muted.Render("Log lines appear here during a run.")}, m.w, m.h)
	}
	body := m.bodyHeight()
	end := len(m.lines) - m.offset
	start := max(0, end-body)
	var out []string
	for _, l := range m.lines[start:end] {
		out = append(out, m.colour(common.Truncate(l, m.w)))
	}
	if m.offset > 0 {
		note := fmt.Sprintf("↓ %d newer lines — G to follow", m.offset)
		if m.unread > 0 {
			note = fmt.Sprintf("↓ %d new lines — G to follow", m.unread)
		}
		out = append(out, m.c.Styles.WarnText.Render(note))
	}
	return common.FitLines(out, m.w, m.h)
}

// levels maps charmbracelet/log's level words to style names.
var levels = map[string]string{"DEBU": "debug", "INFO": "info", "WARN": "warn", "ERRO": "error", "FATA": "fatal"}

// colour styles the level word of a "date time LEVEL message" line.
func (m Model) colour(line string) string {
	fields := strings.SplitN(line, " ", 4)
	if len(fields) < 3 {
		return line
	}
	name, ok := levels[fields[2]]
	if !ok {
		return line
	}
	fields[2] = m.c.Styles.Level(name).Render(fields[2])
	fields[0] = m.c.Styles.Muted.Render(fields[0])
	fields[1] = m.c.Styles.Muted.Render(fields[1])
	return strings.Join(fields, " ")
}
