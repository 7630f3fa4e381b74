// Package status is the status pane: one row per database and query with
// its live state, rows, rejected rows, elapsed time and error.
package status

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"cam/engine"
	"cam/internal/display"
	"cam/internal/inert"
	"cam/tui/common"
)

// State is a query's state in the table.
type State int

// Query states.
const (
	Queued State = iota
	Running
	Retrying
	OK
	Failed
	Cancelled
)

func (s State) String() string {
	return [...]string{"queued", "running", "retrying", "ok", "failed", "cancelled"}[s]
}

// Row is one database/query.
type Row struct {
	Database, Query  string
	State            State
	Attempt, Max     int
	Rows, Rejected   int64
	Started, Stopped time.Time
	Err              string
	RejectNote       string // rejections by reason and column, when any
}

// Model is the status pane.
type Model struct {
	c        *common.Common
	rows     []*Row
	index    map[[2]string]*Row
	spin     spinner.Model
	began    time.Time
	ended    time.Time
	w, h     int
	selected int
}

// New returns an empty status pane.
func New(c *common.Common) Model {
	sp := spinner.New(spinner.WithSpinner(spinner.Line))
	return Model{c: c, index: map[[2]string]*Row{}, spin: sp}
}

// Reset clears the table for a new run.
func (m *Model) Reset(now time.Time) {
	m.rows, m.index, m.began, m.ended, m.selected = nil, map[[2]string]*Row{}, now, time.Time{}, 0
}

// Finish stops the run clock.
func (m *Model) Finish(now time.Time) { m.ended = now }

// Spinner returns the command that animates running rows.
func (m Model) Spinner() tea.Cmd { return m.spin.Tick }

// Apply folds one engine event into the table.
func (m *Model) Apply(ev engine.Event, now time.Time) {
	row := func(ref engine.QueryRef) *Row {
		k := [2]string{ref.Database, ref.Query}
		r := m.index[k]
		if r == nil {
			r = &Row{Database: ref.Database, Query: ref.Query}
			m.index[k] = r
			m.rows = append(m.rows, r)
		}
		return r
	}
	switch e := ev.(type) {
	case engine.QueryQueued:
		row(e.QueryRef)
	case engine.QueryStarted:
		r := row(e.QueryRef)
		r.State, r.Attempt = Running, e.Attempt
		if r.Started.IsZero() {
			r.Started = now
		}
	case engine.QueryProgressed:
		r := row(e.QueryRef)
		r.Rows, r.Rejected = e.Rows, e.Rejected
	case engine.QueryRetrying:
		r := row(e.QueryRef)
		r.State, r.Attempt, r.Max, r.Err = Retrying, e.Attempt, e.MaxAttempts, display.ClassedError(string(e.Class), e.Err)
	case engine.QueryFinished:
		r := row(e.QueryRef)
		r.State, r.Rows, r.Rejected, r.Stopped, r.Err, r.RejectNote = OK, e.Rows, e.Rejected, now, "", e.RejectNote
	case engine.QueryFailed:
		r := row(e.QueryRef)
		r.State, r.Rows, r.Rejected, r.Stopped, r.Err, r.RejectNote = Failed, e.Rows, e.Rejected, now, display.ClassedError(string(e.Class), e.Err), e.RejectNote
	case engine.QueryCancelled:
		r := row(e.QueryRef)
		r.State, r.Rows, r.Rejected, r.Stopped, r.RejectNote = Cancelled, e.Rows, e.Rejected, now, e.RejectNote
	}
}

// Done counts rows in a final state.
func (m Model) Done() int {
	n := 0
	for _, r := range m.rows {
		if r.State >= OK {
			n++
		}
	}
	return n
}

// Rows returns the table rows (for tests and the run pane).
func (m Model) Rows() []Row {
	out := make([]Row, len(m.rows))
	for i, r := range m.rows {
		out[i] = *r
	}
	return out
}

// Init is part of the pane contract (common.Component); the pane starts
// nothing of its own.
func (m Model) Init() tea.Cmd { return nil }

// Update animates the spinner and moves the selection.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.c.Keys.Up):
			m.selected = max(0, m.selected-1)
		case key.Matches(msg, m.c.Keys.Down):
			m.selected = min(len(m.rows)-1, m.selected+1)
		}
	}
	return m, nil
}

// SetSize sets the inner size.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h }

// Title shows progress and the run clock.
func (m Model) Title() string {
	if len(m.rows) == 0 {
		return "Status"
	}
	end := m.ended
	if end.IsZero() {
		end = m.c.Now()
	}
	return fmt.Sprintf("Status %d/%d · %s", m.Done(), len(m.rows), clock(end.Sub(m.began)))
}

// InputFocused is always false: the pane has no text input.
func (m Model) InputFocused() bool { return false }

// ShortHelp lists the pane's keys.
func (m Model) ShortHelp() []key.Binding {
	return []key.Binding{m.c.Keys.Up, m.c.Keys.Down, m.c.Keys.Cancel}
}

// FullHelp lists the pane's keys.
func (m Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

func clock(d time.Duration) string {
	d = d.Round(time.Second)
	return fmt.Sprintf("%02d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

func (m Model) glyph(r *Row) string {
	st := m.c.Styles
	switch r.State {
	case Queued:
		return st.Muted.Render("·")
	case Running:
		return st.OKText.Render(m.spin.View())
	case Retrying:
		return st.WarnText.Render("↻")
	case OK:
		return st.OKText.Render("✓")
	case Failed:
		return st.ErrorText.Render("✗")
	}
	return st.WarnText.Render("⊘")
}

// View renders the table; a failed row's error sits on the line below it,
// and the selected row's full error at the bottom.
func (m Model) View() string {
	st := m.c.Styles
	if len(m.rows) == 0 {
		return common.FitLines([]string{st.Muted.Render("No run yet — press r to run the analysis.")}, m.w, m.h)
	}
	numW, elapsedW, stateW := 9, 6, 11
	gutter := len(st.Gutter)
	nameW := max(8, m.w-(gutter+2+stateW+1+numW+1+numW+1+elapsedW)-1)
	header := st.Header.Render(st.Gutter + common.Pad("  "+common.Pad("STATE", stateW)+" "+common.Pad("DATABASE / QUERY", nameW), 2+stateW+1+nameW) +
		" " + common.PadLeft("ROWS", numW) + " " + common.PadLeft("REJECTED", numW) + " " + common.PadLeft("TIME", elapsedW))
	lines := []string{header}
	now := m.c.Now()
	names := make([]string, len(m.rows))
	for i, r := range m.rows {
		names[i] = inert.Text(r.Database + " / " + r.Query)
	}
	for i, r := range m.rows {
		word := r.State.String()
		if r.State == Retrying && r.Max > 0 {
			word = fmt.Sprintf("retry %d/%d", r.Attempt+1, r.Max)
		}
		elapsed := ""
		if !r.Started.IsZero() {
			end := r.Stopped
			if end.IsZero() {
				end = now
			}
			elapsed = clock(end.Sub(r.Started))
		}
		cells := common.Pad(word, stateW) + " " + common.Pad(shortName(names[i], names, nameW), nameW) + " " +
			common.PadLeft(common.Thousands(r.Rows), numW) + " " + common.PadLeft(common.Thousands(r.Rejected), numW) + " " +
			common.PadLeft(elapsed, elapsedW)
		line := st.Gutter + m.glyph(r) + " " + cells
		if i == m.selected {
			// The glyph's colour is dropped on the selected row: reverse
			// video over one coloured cell reads as a gap.
			line = st.Selected.Render(common.Pad(st.Mark(plainGlyph(r.State)+" "+cells, true), m.w))
		}
		lines = append(lines, line)
		if r.Err != "" && (r.State == Failed || r.State == Retrying) {
			lines = append(lines, "    "+st.ErrorText.Render(common.Truncate(inert.Text(r.Err), m.w-4)))
		}
	}
	if m.selected < len(m.rows) {
		r := m.rows[m.selected]
		// The full name first: two queries cut to the same prefix are
		// told apart here.
		detail := []string{}
		for _, l := range wrap(inert.Text(r.Database+" / "+r.Query), m.w) {
			detail = append(detail, st.Bold.Render(l))
		}
		if r.Err != "" && r.State == Failed {
			for _, l := range wrap(inert.Text(r.Err), m.w) {
				detail = append(detail, st.ErrorText.Render(l))
			}
		}
		if r.RejectNote != "" {
			for _, l := range wrap("Rejected rows: "+inert.Text(r.RejectNote), m.w) {
				detail = append(detail, st.WarnText.Render(l))
			}
		}
		if room := m.h - len(lines) - 1; len(detail) > 0 && room > 0 {
			lines = append(lines, "")
			lines = append(lines, detail[:min(len(detail), room)]...)
		}
	}
	return common.FitLines(lines, m.w, m.h)
}

// plainGlyph is a state's glyph without colour, for the selected row.
func plainGlyph(s State) string {
	return [...]string{"·", "*", "↻", "✓", "✗", "⊘"}[s]
}

// shortName fits a row's name into width cells by its distinguishing
// part: when the name is too long and shares a beginning with another
// row's, the shared words give way to "…", so "Get all email…" and "Get
// all phone…" do not both show as "Get all e…".
func shortName(name string, others []string, width int) string {
	if ansi.StringWidth(name) <= width {
		return name
	}
	shared := 0
	for _, o := range others {
		if o == name {
			continue
		}
		n := 0
		for n < len(name) && n < len(o) && name[n] == o[n] {
			n++
		}
		shared = max(shared, n)
	}
	// Back up to the start of the word the names differ in.
	cut := strings.LastIndexAny(name[:shared], " /_.-") + 1
	if cut <= 0 {
		return name
	}
	return "…" + name[cut:]
}

// wrap breaks s into lines of at most width runes on spaces.
func wrap(s string, width int) []string {
	if width < 10 {
		return []string{s}
	}
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(word)) > width {
			out = append(out, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return append(out, line)
}

// Selected is the selected row, for the message view of its whole text;
// ok is false before a run.
func (m Model) Selected() (Row, bool) {
	if m.selected < 0 || m.selected >= len(m.rows) {
		return Row{}, false
	}
	return *m.rows[m.selected], true
}
