// Package history is the history pane: the recorded runs, newest first,
// under a sparkline of findings per day over the last 30 days; enter
// opens a past run's results read-only (see Past).
package history

import (
	"context"
	"errors"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"cam/engine"
	"cam/session"
	"cam/tui/common"
)

// maxRuns bounds the runs listed: months of daily runs, read in one query.
const maxRuns = 500

// Source is where the pane reads the history: the session, off the UI
// goroutine.
type Source interface {
	RunHistory(ctx context.Context, limit int) (session.History, error)
	PastResult(ctx context.Context, id int64) (engine.Result, error)
}

// LoadedMsg carries a read of the history; seq names the refresh that
// asked, so an older read arriving late is dropped.
type LoadedMsg struct {
	seq     int
	History session.History
	Err     error
}

// OpenedMsg carries a past run's findings, read to be shown read-only in
// the results pane; the root model handles it.
type OpenedMsg struct {
	Run    session.PastRun
	Result engine.Result
	Err    error
}

// Model is the history pane.
type Model struct {
	c     *common.Common
	src   Source
	ascii bool // draw the sparkline in ASCII (NO_COLOR, the ASCII profile)

	hist    session.History
	loaded  bool
	loading bool
	err     error
	seq     int

	cursor, top int
	w, h        int
	open        key.Binding
}

// New returns the pane reading from src.
func New(c *common.Common, src Source) Model {
	return Model{c: c, src: src, ascii: lipgloss.ColorProfile() == termenv.Ascii,
		open: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open read-only"))}
}

// SetASCII draws the sparkline in ASCII whatever the terminal (tests).
func (m *Model) SetASCII(ascii bool) { m.ascii = ascii }

// Refresh reads the history again, off the UI goroutine; the root calls
// it when the pane gains focus and after each run.
func (m *Model) Refresh() tea.Cmd {
	if m.src == nil {
		return nil
	}
	m.seq++
	m.loading = true
	seq, src := m.seq, m.src
	return func() tea.Msg {
		h, err := src.RunHistory(context.Background(), maxRuns)
		return LoadedMsg{seq: seq, History: h, Err: err}
	}
}

// Runs are the runs listed, newest first.
func (m Model) Runs() []session.PastRun { return m.hist.Runs }

// Selected is the run under the cursor.
func (m Model) Selected() (session.PastRun, bool) {
	if m.cursor < 0 || m.cursor >= len(m.hist.Runs) {
		return session.PastRun{}, false
	}
	return m.hist.Runs[m.cursor], true
}

// Init reads nothing: the root refreshes the pane when it gains focus.
func (m Model) Init() tea.Cmd { return nil }

// Update handles the pane's reads and keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case LoadedMsg:
		if msg.seq != m.seq {
			return m, nil // a refresh superseded this read
		}
		m.loading = false
		m.err = msg.Err
		if msg.Err == nil {
			m.keepSelection(msg.History)
			m.loaded = true
		}
		return m, nil
	case tea.KeyMsg:
		return m.onKey(msg)
	}
	return m, nil
}

// keepSelection takes a new read and keeps the cursor on the same run,
// so a refresh under the analyst's hand does not move it.
func (m *Model) keepSelection(h session.History) {
	id := int64(-1)
	if r, ok := m.Selected(); ok {
		id = r.ID
	}
	m.hist = h
	m.cursor = 0
	for i, r := range h.Runs {
		if r.ID == id {
			m.cursor = i
		}
	}
	m.clamp()
}

func (m Model) onKey(k tea.KeyMsg) (Model, tea.Cmd) {
	keys := m.c.Keys
	if d, ok := keys.Movement(k, m.listHeight(), len(m.hist.Runs)); ok {
		m.cursor += d
	}
	switch {
	case key.Matches(k, m.open):
		return m, m.openSelected()
	}
	m.clamp()
	return m, nil
}

// openSelected reads the selected run's findings off the UI goroutine;
// a run whose findings are not kept is not read (the pane says why).
func (m Model) openSelected() tea.Cmd {
	r, ok := m.Selected()
	if !ok || !r.Stored || m.src == nil {
		return nil
	}
	src := m.src
	return func() tea.Msg {
		res, err := src.PastResult(context.Background(), r.ID)
		return OpenedMsg{Run: r, Result: res, Err: err}
	}
}

func (m *Model) clamp() {
	m.cursor = max(0, min(m.cursor, len(m.hist.Runs)-1))
	rows := m.listHeight()
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.cursor >= m.top+rows {
		m.top = m.cursor - rows + 1
	}
	m.top = max(0, min(m.top, len(m.hist.Runs)-rows))
}

// SetSize sets the inner size.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.clamp()
}

// InputFocused is false: the pane has no text input.
func (m Model) InputFocused() bool { return false }

// Title counts the runs listed.
func (m Model) Title() string {
	if !m.loaded {
		return "History"
	}
	return fmt.Sprintf("History %d", len(m.hist.Runs))
}

// ShortHelp lists the pane's keys.
func (m Model) ShortHelp() []key.Binding {
	return []key.Binding{m.c.Keys.Up, m.c.Keys.Down, m.open}
}

// FullHelp lists the pane's keys.
func (m Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {m.open}}
}

// noState says the session has no state to read.
func noState(err error) bool { return errors.Is(err, session.ErrNoState) }
