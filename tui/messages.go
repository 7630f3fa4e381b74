package tui

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"cam/tui/common"
	"cam/tui/message"
	"cam/tui/status"
)

// openMessage shows text whole in the message view, over the panes.
func (m Model) openMessage(title, text string) (tea.Model, tea.Cmd) {
	v := message.New(m.c, title, text)
	m.message = &v
	m.layout()
	return m, nil
}

// lastMessage is `!`: the last footer message, whole.
func (m Model) lastMessage() (tea.Model, tea.Cmd) {
	t, ok := m.toast.Last()
	if !ok {
		return m.flash(toastError("No message yet"))
	}
	return m.openMessage("Last message ("+t.Level.String()+")", t.Full())
}

// statusMessage is `enter` on a status row: its whole name, state, counts,
// failure and rejected rows by reason.
func (m Model) statusMessage() (tea.Model, tea.Cmd) {
	r, ok := m.status.Selected()
	if !ok {
		return m, nil
	}
	return m.openMessage(r.Database+" / "+r.Query, statusText(r))
}

// statusText words a status row in full.
func statusText(r status.Row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Database: %s\nQuery: %s\nState: %s", r.Database, r.Query, r.State)
	if r.Max > 0 {
		fmt.Fprintf(&b, " (attempt %d of %d)", r.Attempt, r.Max)
	}
	fmt.Fprintf(&b, "\nRows read: %s, rejected: %s\n", common.Thousands(r.Rows), common.Thousands(r.Rejected))
	if r.Err != "" {
		fmt.Fprintf(&b, "\nError:\n%s\n", r.Err)
	}
	if r.RejectNote != "" {
		fmt.Fprintf(&b, "\nRejected rows: %s\n", r.RejectNote)
	}
	return b.String()
}

// updateMessage sends a key to the open message view and closes it when
// the analyst is done.
func (m Model) updateMessage(msg tea.Msg) (tea.Model, tea.Cmd) {
	v, cmd := m.message.Update(msg)
	if v.Closed() {
		m.message = nil
		m.layout()
		return m, cmd
	}
	m.message = &v
	return m, cmd
}

// logged writes a record to the application log (the file and the log
// pane) from a command: the log's file is disk I/O, which stays out of
// Update.
func logged(l *slog.Logger, level slog.Level, msg string, args ...any) tea.Cmd {
	return func() tea.Msg {
		l.Log(context.Background(), level, msg, args...)
		return nil
	}
}
