// Package message is the message view: the whole text of something the
// screen had to cut — a toast (`!` shows the last one), a status row's
// failure (`enter` on it) — wrapped to the width and scrollable, so an
// export path, a failed query's cause or kinit's complaint can always be
// read in full.
package message

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"cam/internal/inert"
	"cam/tui/common"
)

// Model is an open message view.
type Model struct {
	c      *common.Common
	title  string
	text   string
	lines  []string // text wrapped at w
	offset int      // first line shown
	w, h   int
	closed bool
}

// New opens a view of text under title. Both are untrusted (a database's
// error, a path): they are made inert before they reach the terminal.
func New(c *common.Common, title, text string) Model {
	m := Model{c: c, title: inert.Text(title), text: inertLines(text)}
	m.SetSize(80, 20)
	return m
}

// inertLines makes each line of s inert, keeping the line breaks.
func inertLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = inert.Text(l)
	}
	return strings.Join(lines, "\n")
}

// SetSize wraps the text to w cells and shows h lines at a time.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = max(10, w), max(1, h)
	// Words break at spaces and at path or URL separators, and a word
	// longer than the line breaks anywhere: nothing is ever cut off.
	m.lines = strings.Split(ansi.Wrap(m.text, m.w, "/&?=,;"), "\n")
	m.offset = min(m.offset, m.maxOffset())
}

func (m Model) maxOffset() int { return max(0, len(m.lines)-m.h) }

// Title names the message and, when it is longer than the view, where the
// view is in it.
func (m Model) Title() string {
	if len(m.lines) <= m.h {
		return m.title
	}
	return m.title + " · lines " + strconv.Itoa(m.offset+1) + "–" + strconv.Itoa(min(len(m.lines), m.offset+m.h)) + " of " + strconv.Itoa(len(m.lines))
}

// Closed reports whether the analyst has closed the view.
func (m Model) Closed() bool { return m.closed }

// Text is the whole message as shown (inert), unwrapped.
func (m Model) Text() string { return m.text }

// Update scrolls, or closes the view on esc, enter or !.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	keys := m.c.Keys
	if key.Matches(k, keys.Cancel, keys.Detail, keys.LastMessage) {
		m.closed = true
	}
	if d, ok := keys.Movement(k, m.h, m.maxOffset()); ok {
		m.offset = max(0, min(m.maxOffset(), m.offset+d))
	}
	return m, nil
}

// View is the lines in view.
func (m Model) View() string {
	end := min(len(m.lines), m.offset+m.h)
	return strings.Join(m.lines[m.offset:end], "\n")
}

// ShortHelp lists the view's keys.
func (m Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	back := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close"))
	return []key.Binding{back, k.Down, k.Up, k.PageDown}
}

// FullHelp lists the view's keys.
func (m Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{m.ShortHelp(), {k.PageUp, k.Top, k.Bottom}}
}
