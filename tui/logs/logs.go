// Package logs is the log pane: the run's log lines, colour-coded by level,
// following the tail unless the analyst scrolled up.
package logs

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"cam/internal/inert"
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

// Init is part of the pane contract (common.Component); the pane starts
// nothing of its own.
func (m Model) Init() tea.Cmd { return nil }

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
		out = append(out, m.render(l))
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

// levels maps the seed format's level words to style names.
var levels = map[string]string{"DEBUG": "debug", "INFO": "info", "WARN": "warn", "ERROR": "error", "FATAL": "fatal"}

// seedLine is one application-log line, "[date time] [LEVEL] [module] msg".
type seedLine struct{ clock, level, module, msg string }

// parseSeed splits a seed-format line; ok is false for any other text.
func parseSeed(line string) (seedLine, bool) {
	var l seedLine
	if !strings.HasPrefix(line, "[") {
		return l, false
	}
	var parts [3]string
	rest := line
	for i := range parts {
		if !strings.HasPrefix(rest, "[") {
			return l, false
		}
		end := strings.Index(rest, "] ")
		if end < 0 {
			return l, false
		}
		parts[i], rest = rest[1:end], rest[end+2:]
	}
	// The pane shows the time of day only: the date is today's for a live
	// run, and 80 columns are better spent on the message.
	l.clock = parts[0]
	if sp := strings.LastIndexByte(l.clock, ' '); sp >= 0 {
		l.clock = l.clock[sp+1:]
	}
	l.level, l.module, l.msg = parts[1], parts[2], rest
	return l, true
}

// render fits one line to the pane width and colours its level.
func (m Model) render(line string) string {
	// Log lines quote database errors and names: made inert before they
	// are parsed, so nothing in them can reach the terminal.
	line = inert.Text(line)
	l, ok := parseSeed(line)
	name, known := levels[l.level]
	if !ok || !known {
		return common.Truncate(line, m.w)
	}
	st := m.c.Styles
	head := fmt.Sprintf("%s %-5s %s ", l.clock, l.level, l.module)
	msg := common.Truncate(l.msg, max(0, m.w-len(head)))
	return st.Muted.Render(l.clock) + " " + st.Level(name).Render(fmt.Sprintf("%-5s", l.level)) + " " +
		st.Muted.Render(l.module) + " " + msg
}
