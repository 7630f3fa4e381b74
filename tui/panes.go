package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"cam/tui/common"
)

// pane identifies a pane; the numbers are the 1–6 jump keys.
type pane int

const (
	paneSettings pane = iota
	paneRun
	paneStatus
	paneLogs
	paneResults
	paneHistory
	paneCount
)

// paneNames label the tab bar, in pane order.
var paneNames = [paneCount]string{"Settings", "Run", "Status", "Logs", "Results", "History"}

// panes is every pane, indexed by pane: the one place that lists them.
// Adding a pane is a field on Model, a line here, a name above and its
// place in layout's geometry.
func (m *Model) panes() [paneCount]component {
	return [paneCount]component{
		paneSettings: slotOf(&m.settings),
		paneRun:      slotOf(&m.run),
		paneStatus:   slotOf(&m.status),
		paneLogs:     slotOf(&m.logs),
		paneResults:  m.resultsSlot(),
		paneHistory:  slotOf(&m.history),
	}
}

// component is a pane as the root model routes to it: the pane contract
// (common.Component) over the pane's field, updated in place.
type component interface {
	update(msg tea.Msg) tea.Cmd
	setSize(w, h int)
	view() string
	title() string
	inputFocused() bool
	shortHelp() []key.Binding
	fullHelp() [][]key.Binding
}

// slot adapts a pane field to component.
type slot[P common.Component[P], PP common.Sized[P]] struct{ p PP }

func slotOf[P common.Component[P], PP common.Sized[P]](p PP) component { return slot[P, PP]{p} }

func (s slot[P, PP]) update(msg tea.Msg) tea.Cmd {
	next, cmd := (*s.p).Update(msg)
	*s.p = next
	return cmd
}

func (s slot[P, PP]) setSize(w, h int)          { s.p.SetSize(w, h) }
func (s slot[P, PP]) view() string              { return (*s.p).View() }
func (s slot[P, PP]) title() string             { return (*s.p).Title() }
func (s slot[P, PP]) inputFocused() bool        { return (*s.p).InputFocused() }
func (s slot[P, PP]) shortHelp() []key.Binding  { return (*s.p).ShortHelp() }
func (s slot[P, PP]) fullHelp() [][]key.Binding { return (*s.p).FullHelp() }

// focused is the focused pane.
func (m *Model) focused() component { return m.panes()[m.focus] }
