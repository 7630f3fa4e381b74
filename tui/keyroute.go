package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"cam/tui/toast"
)

// onKeys routes a key message. Bubble Tea delivers runes that arrive in
// one read (a fast typist, a paste, `tmux send-keys jjjj`) as one message
// with several runes. A text input takes them as text; anywhere else they
// are that many key presses, in order: "jjjj" moves down four rows. Each
// press is routed afresh, so a press that opens an input ("/") hands the
// runes after it to that input as text.
//
// An escape and the key after it in one read arrive as that key with Alt
// set (a burst, or keystrokes an SSH link delivers together): cam binds no
// Alt key, so it is both presses, Esc first.
func (m Model) onKeys(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	if k.Alt && !k.Paste {
		next, escCmd := m.onKey(tea.KeyMsg{Type: tea.KeyEsc})
		if next.(Model).quitting {
			return next, escCmd
		}
		k.Alt = false
		next, cmd := next.(Model).onKeys(k)
		return next, tea.Sequence(escCmd, cmd)
	}
	if k.Type != tea.KeyRunes || len(k.Runes) < 2 || k.Paste {
		return m.onKey(k)
	}
	var cmds []tea.Cmd
	var next tea.Model = m
	for i, r := range k.Runes {
		cur := next.(Model)
		if cur.quitting {
			break
		}
		if cur.focusedInput() && !cur.confirmQuit {
			rest := k
			rest.Runes = k.Runes[i:]
			var cmd tea.Cmd
			next, cmd = cur.onKey(rest)
			cmds = append(cmds, cmd)
			break
		}
		one := k
		one.Runes = []rune{r}
		var cmd tea.Cmd
		next, cmd = cur.onKey(one)
		cmds = append(cmds, cmd)
	}
	// In order: the effects of several presses arrive as they were pressed.
	return next, tea.Sequence(cmds...)
}

// onKey: a focused text input gets every key; then the quit prompt, the
// global bindings, and the focused pane.
func (m Model) onKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	keys := m.c.Keys
	if key.Matches(k, keys.ForceQuit) {
		return m.quit()
	}
	if m.message != nil && !m.confirmQuit && !key.Matches(k, keys.Help, keys.Quit) {
		return m.updateMessage(k) // ? and q keep their meaning over the view
	}
	if m.confirmQuit {
		m.confirmQuit = false
		if key.Matches(k, keys.Yes) {
			return m.quit()
		}
		return m, nil
	}
	if m.focusedInput() {
		return m.updateFocused(k)
	}
	switch {
	case key.Matches(k, keys.Quit):
		return m.askQuit()
	case key.Matches(k, keys.Help):
		m.fullHelp = !m.fullHelp
		m.layout()
		return m, nil
	case key.Matches(k, keys.Run):
		return m.startRun()
	case key.Matches(k, keys.Watch):
		return m.toggleWatch()
	case m.pastOpen && m.focus == paneResults && key.Matches(k, keys.Export, keys.Mail, keys.Summary):
		return m.flash(toastError("A past run is read-only: " + keys.Cancel.Help().Key + " returns to the current results to hand them on"))
	case key.Matches(k, keys.Export):
		return m.export()
	case key.Matches(k, keys.Mail):
		return m.mail()
	case key.Matches(k, keys.Summary):
		return m.summary()
	case key.Matches(k, keys.Kinit):
		return m.kinit()
	case key.Matches(k, keys.LastMessage):
		return m.lastMessage()
	case key.Matches(k, keys.Detail) && m.focus == paneStatus:
		return m.statusMessage()
	case key.Matches(k, keys.Cancel) && m.toast.Visible() && m.toast.Level() == toast.Error:
		m.toast.Dismiss() // esc dismisses an error first
		return m, nil
	case key.Matches(k, keys.Cancel) && (m.focus != paneResults || !m.resultsEscConsumed()):
		if m.running() {
			m.cancelRun()
			return m, nil
		}
	case key.Matches(k, keys.NextPane):
		m.setFocus((m.focus + 1) % paneCount)
		return m, nil
	case key.Matches(k, keys.PrevPane):
		m.setFocus((m.focus + paneCount - 1) % paneCount)
		return m, nil
	case key.Matches(k, keys.ToggleResults):
		if m.focus == paneResults {
			m.setFocus(paneStatus)
		} else {
			m.setFocus(paneResults)
		}
		return m, nil
	}
	for i, b := range keys.PaneKeys() {
		if key.Matches(k, b) {
			m.setFocus(pane(i))
			return m, nil
		}
	}
	return m.updateFocused(k)
}
