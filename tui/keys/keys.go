// Package keys defines cam's key bindings. Panes match keys with
// key.Matches against these bindings, never against raw strings, so the
// help footer always tells the truth.
package keys

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// KeyMap is every binding cam knows. Bindings that do not apply in the
// current state are disabled with SetEnabled so help hides them.
type KeyMap struct {
	// Global
	NextPane      key.Binding
	PrevPane      key.Binding
	Pane1         key.Binding // settings
	Pane2         key.Binding // run
	Pane3         key.Binding // status
	Pane4         key.Binding // logs
	Pane5         key.Binding // results
	Pane6         key.Binding // history
	Run           key.Binding
	Cancel        key.Binding // cancel a run, or leave detail/filter
	Help          key.Binding
	Quit          key.Binding
	ForceQuit     key.Binding
	ToggleResults key.Binding // wide layout: results <-> status and logs
	LastMessage   key.Binding // the last footer message, whole, in the message view
	Watch         key.Binding // the schedule of cam watch for this session

	// Lists and tables
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Filter   key.Binding
	Detail   key.Binding
	Sort     key.Binding // next sort column
	Reverse  key.Binding // reverse sort order
	Yank     key.Binding // selected user id
	YankAll  key.Binding // every user id in the current (filtered) results

	// Triage (results and detail)
	Acknowledge key.Binding
	Escalate    key.Binding
	Resolve     key.Binding // asks for the closing reason and a note
	Note        key.Binding
	Suppress    key.Binding // asks for the scope, reason and expiry
	Undo        key.Binding // this session's last change
	ShowAll     key.Binding // open alerts only, or every alert

	// Hand-off (reports issue)
	Export  key.Binding
	Mail    key.Binding
	Summary key.Binding

	// Forms
	Save      key.Binding
	Confirm   key.Binding // run pane: "I ran kinit"
	Kinit     key.Binding
	NextField key.Binding
	PrevField key.Binding
	Yes       key.Binding // answer a question such as "overwrite?"
	No        key.Binding

	// Text inputs: how an edit ends.
	Submit     key.Binding // keep the text
	SubmitNext key.Binding // keep the text and edit the next field
	Discard    key.Binding // drop the edit
}

// New returns cam's default key map.
func New() *KeyMap {
	return &KeyMap{
		NextPane:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		PrevPane:      key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev pane")),
		Pane1:         key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "settings")),
		Pane2:         key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "run")),
		Pane3:         key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "status")),
		Pane4:         key.NewBinding(key.WithKeys("4"), key.WithHelp("4", "logs")),
		Pane5:         key.NewBinding(key.WithKeys("5"), key.WithHelp("5", "results")),
		Pane6:         key.NewBinding(key.WithKeys("6"), key.WithHelp("6", "history")),
		Run:           key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "run")),
		Cancel:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel/back")),
		Help:          key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:          key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		ToggleResults: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "results/status")),
		LastMessage:   key.NewBinding(key.WithKeys("!"), key.WithHelp("!", "last message")),
		Watch:         key.NewBinding(key.WithKeys("W"), key.WithHelp("W", "watch every 15m")),

		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Detail:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail")),
		Sort:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Reverse:  key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse")),
		Yank:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yank id")),
		YankAll:  key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "yank all ids")),

		Acknowledge: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "acknowledge")),
		Escalate:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "escalate")),
		Resolve:     key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "resolve")),
		Note:        key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "note")),
		Suppress:    key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "suppress")),
		Undo:        key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo")),
		ShowAll:     key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "open/all")),

		Export:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export")),
		Mail:    key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mail")),
		Summary: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "summary")),

		Save:      key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Confirm:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "I ran kinit")),
		Kinit:     key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "kinit")),
		NextField: key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "next field")),
		PrevField: key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "prev field")),
		Yes:       key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:        key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "no")),

		Submit:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")),
		SubmitNext: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		Discard:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "undo")),
	}
}

// PaneKeys are the jump keys, in pane order: PaneKeys()[i] focuses pane i.
func (k *KeyMap) PaneKeys() []key.Binding {
	return []key.Binding{k.Pane1, k.Pane2, k.Pane3, k.Pane4, k.Pane5, k.Pane6}
}

// GlobalHelp is the global part of the footer, shown after the focused
// pane's own keys.
func (k *KeyMap) GlobalHelp() []key.Binding {
	return []key.Binding{k.Run, k.NextPane, k.Help, k.Quit}
}

// FullGlobalHelp is the global column of the full help view.
func (k *KeyMap) FullGlobalHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.NextPane, k.PrevPane, k.Pane1, k.Pane2, k.Pane3, k.Pane4, k.Pane5, k.Pane6},
		{k.Run, k.Watch, k.Cancel, k.ToggleResults, k.LastMessage, k.Help, k.Quit, k.ForceQuit},
	}
}

// Movement is how far a list or scroll key moves a cursor over n rows
// with page rows on screen: up/down one, a page, or past either end for
// top and bottom (the pane clamps). ok is false for any other key.
func (k *KeyMap) Movement(msg tea.KeyMsg, page, n int) (delta int, ok bool) {
	switch {
	case key.Matches(msg, k.Up):
		return -1, true
	case key.Matches(msg, k.Down):
		return 1, true
	case key.Matches(msg, k.PageUp):
		return -page, true
	case key.Matches(msg, k.PageDown):
		return page, true
	case key.Matches(msg, k.Top):
		return -n, true
	case key.Matches(msg, k.Bottom):
		return n, true
	}
	return 0, false
}
