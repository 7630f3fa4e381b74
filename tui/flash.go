package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"cam/tui/toast"
)

// flash shows t in the footer.
func (m Model) flash(t toast.Toast) (tea.Model, tea.Cmd) {
	cmd := m.toast.Show(t)
	return m, cmd
}

// toastError is a failure that hides itself after a while.
func toastError(text string) toast.Toast { return toast.Toast{Text: text, Level: toast.Error} }

// toastSticky is a failure that stays until the next message replaces it
// or the analyst presses esc: a failed export must not vanish unread.
func toastSticky(text string) toast.Toast {
	return toast.Toast{Text: text, Level: toast.Error, Sticky: true}
}
