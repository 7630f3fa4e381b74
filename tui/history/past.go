package history

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"cam/engine"
	"cam/internal/display"
	"cam/session"
	"cam/tui/common"
	"cam/tui/results"
)

// ClosedMsg says the analyst left a past run (esc): the results pane
// shows the current results again.
type ClosedMsg struct{}

// Past is the results pane over a past run, read-only: it lets through
// only the keys that look (results.Model.ReadOnlyKeys), so no triage key
// reaches it, and it says in its title and first line whose results
// these are. esc, when the view under it has nothing to leave, closes it.
type Past struct {
	c     *common.Common
	inner results.Model
	run   session.PastRun
	w, h  int
}

// NewPast shows res, the findings of the recorded run run, read-only;
// zones are the databases' zones for the detail view's wall clocks.
func NewPast(c *common.Common, run session.PastRun, res engine.Result, zones map[string]*time.Location) Past {
	inner := results.New(c)
	inner.SetDatabaseZones(zones)
	inner.SetResult(res)
	return Past{c: c, inner: inner, run: run}
}

// Run is the past run shown.
func (p Past) Run() session.PastRun { return p.run }

// Label names the view: "past run 11-28 09:14 — read-only".
func (p Past) Label() string {
	return fmt.Sprintf("past run %s — read-only", display.Stamp(p.run.StartedAt, p.c.Now(), p.c.Zone))
}

// Init does nothing.
func (p Past) Init() tea.Cmd { return nil }

// Update lets through what only looks; esc at the top closes the view.
func (p Past) Update(msg tea.Msg) (Past, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || p.inner.InputFocused() {
		var cmd tea.Cmd
		p.inner, cmd = p.inner.Update(msg)
		return p, cmd
	}
	if key.Matches(k, p.c.Keys.Cancel) && !p.inner.EscConsumed() {
		return p, func() tea.Msg { return ClosedMsg{} }
	}
	if !key.Matches(k, p.inner.ReadOnlyKeys()...) {
		return p, nil
	}
	var cmd tea.Cmd
	p.inner, cmd = p.inner.Update(msg)
	return p, cmd
}

// View is a banner line over the results.
func (p Past) View() string {
	st := p.c.Styles
	banner := st.WarnText.Render(common.Truncate(fmt.Sprintf("Read-only: run %d from the history · %s returns to the current results",
		p.run.ID, p.c.Keys.Cancel.Help().Key), p.w))
	return banner + "\n" + p.inner.View()
}

// SetSize gives the results all but the banner line.
func (p *Past) SetSize(w, h int) {
	p.w, p.h = w, h
	p.inner.SetSize(w, max(1, h-1))
}

// Title says whose results these are.
func (p Past) Title() string { return p.inner.Title() + " · " + p.Label() }

// InputFocused reports the results' filter input.
func (p Past) InputFocused() bool { return p.inner.InputFocused() }

// EscConsumed is always true: esc leaves the past run before it could
// cancel a run in progress.
func (p Past) EscConsumed() bool { return true }

// ShortHelp lists the keys that work here, esc first.
func (p Past) ShortHelp() []key.Binding {
	return append([]key.Binding{p.back()}, p.readOnly(p.inner.ShortHelp())...)
}

// FullHelp lists the keys that work here.
func (p Past) FullHelp() [][]key.Binding {
	var out [][]key.Binding
	for _, col := range p.inner.FullHelp() {
		if kept := p.readOnly(col); len(kept) > 0 {
			out = append(out, kept)
		}
	}
	return append(out, []key.Binding{p.back()})
}

func (p Past) back() key.Binding {
	return key.NewBinding(key.WithKeys(p.c.Keys.Cancel.Keys()...), key.WithHelp(p.c.Keys.Cancel.Help().Key, "back"))
}

// readOnly drops from bs the bindings a past run ignores (hand-offs,
// triage), so the help tells the truth.
func (p Past) readOnly(bs []key.Binding) []key.Binding {
	allowed := p.inner.ReadOnlyKeys()
	var out []key.Binding
	for _, b := range bs {
		for _, a := range allowed {
			if sameKeys(a, b) {
				out = append(out, b)
				break
			}
		}
	}
	return out
}

func sameKeys(a, b key.Binding) bool {
	ak, bk := a.Keys(), b.Keys()
	if len(ak) != len(bk) {
		return false
	}
	for i := range ak {
		if ak[i] != bk[i] {
			return false
		}
	}
	return true
}
