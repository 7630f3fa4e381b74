// Package toast is the footer's flash message: one line with a level
// (info, warn, error) and an optional link, which hides itself after a
// while unless it must be read (a sticky error stays until esc or the next
// message).
package toast

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"cam/internal/inert"
	"cam/report"
	"cam/tui/common"
)

// Level is how much a toast matters; it picks the colour and how long the
// toast stays.
type Level int

// Levels, from a confirmation to a failure.
const (
	Info Level = iota
	Warn
	Error
)

// String names the level.
func (l Level) String() string { return [...]string{"info", "warn", "error"}[l] }

// Durations a toast stays by default: an error takes longer to read.
const (
	infoFor  = 3 * time.Second
	errorFor = 6 * time.Second
)

// Toast is one message.
type Toast struct {
	Text  string
	Level Level
	// Link is a URL shown after the text as a terminal hyperlink, under
	// LinkLabel.
	Link      string
	LinkLabel string
	// For overrides how long the toast stays; Sticky keeps it until it is
	// dismissed or replaced.
	For    time.Duration
	Sticky bool
	// Detail is the whole text behind a short toast (every path an export
	// wrote, an error's full cause), for the message view; "" means Text.
	Detail string
	// Progress marks a toast that only says work is under way
	// ("Exporting…"): it is not kept as the last message.
	Progress bool
}

// Full is the toast's whole text: Detail, else Text with its link.
func (t Toast) Full() string {
	if t.Detail != "" {
		return t.Detail
	}
	if t.Link != "" {
		return t.Text + "\n\n" + t.Link
	}
	return t.Text
}

// Model shows at most one toast.
type Model struct {
	c    *common.Common
	cur  Toast
	last Toast // the last toast shown that was not progress
	on   bool
	id   int // counts toasts, so an old toast's timer cannot hide a new one
}

// ExpiredMsg hides toast number id when it is still the one shown.
type ExpiredMsg struct{ id int }

// New returns an empty toast line.
func New(c *common.Common) Model { return Model{c: c} }

// Show replaces the current toast with t and returns the command that
// hides it in time (nil for a sticky toast).
func (m *Model) Show(t Toast) tea.Cmd {
	m.id++
	m.cur, m.on = t, true
	if !t.Progress {
		m.last = t
	}
	if t.Sticky {
		return nil
	}
	d := t.For
	if d == 0 {
		d = infoFor
		if t.Level == Error {
			d = errorFor
		}
	}
	id := m.id
	return tea.Tick(d, func(time.Time) tea.Msg { return ExpiredMsg{id} })
}

// Update hides an expired toast.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if e, ok := msg.(ExpiredMsg); ok && e.id == m.id {
		m.Dismiss()
	}
	return m, nil
}

// Dismiss hides the toast.
func (m *Model) Dismiss() { m.cur, m.on = Toast{}, false }

// Visible reports whether a toast is shown.
func (m Model) Visible() bool { return m.on && m.cur.Text != "" }

// Last is the last toast shown (even once hidden), for `!`; ok is false
// when none has been.
func (m Model) Last() (t Toast, ok bool) { return m.last, m.last.Text != "" }

// Level is the shown toast's level.
func (m Model) Level() Level { return m.cur.Level }

// Text is the shown toast's text ("" when none is shown).
func (m Model) Text() string { return m.cur.Text }

// Link is the shown toast's link ("" when none).
func (m Model) Link() string { return m.cur.Link }

// moreHint ends a toast whose whole text the line cannot hold.
const moreHint = " · ! more"

// View renders the toast on one line of width cells. A toast cut short,
// or with more behind it, ends with "· ! more": the message view has it.
func (m Model) View(width int) string {
	st := m.c.Styles
	style := st.Toast
	switch m.cur.Level {
	case Warn:
		style = st.WarnText
	case Error:
		style = st.ErrorText
	}
	text := inert.Text(m.cur.Text)
	room := width
	if m.cur.Link != "" {
		room = max(0, width-ansi.StringWidth(m.cur.LinkLabel)-1)
	}
	hint := ""
	if m.cur.Detail != "" || ansi.StringWidth(text) > room {
		hint = moreHint
		room = max(0, room-ansi.StringWidth(hint))
	}
	line := style.Render(common.Truncate(text, room) + hint)
	if m.cur.Link != "" {
		// The label is the clickable part (OSC 8); terminals without
		// hyperlinks show the label, and the link is on the clipboard.
		line += " " + report.Hyperlink(m.cur.Link, m.cur.LinkLabel)
	}
	return line
}
