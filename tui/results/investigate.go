package results

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"cam/engine/detect"
	"cam/internal/inert"
	"cam/tui/clipboard"
)

// timeline is a user's events across databases and queries.
type timeline struct {
	user    string
	all     []evRow // every event, oldest first
	table   evTable // the rows passing the filter
	filter  textinput.Model
	editing bool
}

// openTimeline opens user's timeline over the evidence of every finding
// and whatever other events the run kept for the user.
func (m *Model) openTimeline(user string) {
	var more []detect.Evidence
	if m.res != nil && m.res.UserEvents != nil {
		more = m.res.UserEvents.Of(user)
	}
	ti := textinput.New()
	ti.Prompt = "/"
	ti.Placeholder = "event, status, IP, database or finding"
	ti.Width = max(10, m.w-20)
	tl := &timeline{user: user, all: timelineRows(m.alerts, user, more), filter: ti}
	tl.table = newEvTable(tl.all, m.w, colTime, colType, colStatus, colIP, colSource, colFindings)
	m.tl = tl
}

// timelineHeight is the rows the timeline table has on screen: the pane
// less the summary, title, filter line, header and hint.
func (m Model) timelineHeight() int { return max(1, m.h-5) }

// detailHeight is the rows the evidence table may take.
func (m Model) detailHeight() int { return max(1, min(len(m.ev.rows), m.h-8)) }

func (m Model) updateTimeline(k tea.KeyMsg) (Model, tea.Cmd) {
	keys, tl := m.c.Keys, m.tl
	m.pivotNote = "" // said once, for the key that caused it
	if tl.editing {
		switch {
		case key.Matches(k, keys.Submit):
			tl.editing = false
			tl.filter.Blur()
			return m, nil
		case key.Matches(k, keys.Discard):
			tl.editing = false
			tl.filter.Blur()
			tl.filter.SetValue("")
			tl.refilter()
			return m, nil
		}
		var cmd tea.Cmd
		tl.filter, cmd = tl.filter.Update(k)
		tl.refilter()
		return m, cmd
	}
	h := m.timelineHeight()
	d, moved := keys.Movement(k, h, len(tl.table.rows))
	switch {
	case key.Matches(k, keys.Cancel):
		if tl.filter.Value() != "" {
			tl.filter.SetValue("")
			tl.refilter()
		} else {
			m.tl = nil
		}
	case key.Matches(k, keys.Filter):
		tl.editing = true
		return m, tl.filter.Focus()
	case moved:
		tl.table.move(d, h)
	case key.Matches(k, m.pk.Left):
		tl.table.col = max(0, tl.table.col-1)
	case key.Matches(k, m.pk.Right):
		tl.table.col = min(len(tl.table.cols)-1, tl.table.col+1)
	case key.Matches(k, keys.Yank):
		return m, m.yankCell(&tl.table)
	case key.Matches(k, m.pk.Pivot):
		m.pivot(&tl.table)
	case key.Matches(k, m.pk.Whole):
		return m, wholeRow(&tl.table)
	}
	return m, nil
}

// refilter keeps the timeline rows holding the filter text.
func (tl *timeline) refilter() {
	needle := strings.ToLower(strings.TrimSpace(tl.filter.Value()))
	if needle == "" {
		tl.table.rows = tl.all
	} else {
		var kept []evRow
		for _, r := range tl.all {
			if strings.Contains(r.lower, needle) {
				kept = append(kept, r)
			}
		}
		tl.table.rows = kept
	}
	tl.table.cursor, tl.table.top = min(tl.table.cursor, max(0, len(tl.table.rows)-1)), 0
}

func (m Model) updateDetail(k tea.KeyMsg) (Model, tea.Cmd) {
	keys := m.c.Keys
	m.pivotNote = "" // said once, for the key that caused it
	h := m.detailHeight()
	switch {
	case key.Matches(k, keys.Cancel) || key.Matches(k, keys.Detail):
		m.detail = false
	case key.Matches(k, keys.Up):
		m.ev.move(-1, h)
	case key.Matches(k, keys.Down):
		m.ev.move(1, h)
	case key.Matches(k, m.pk.Left):
		m.ev.col = max(0, m.ev.col-1)
	case key.Matches(k, m.pk.Right):
		m.ev.col = min(len(m.ev.cols)-1, m.ev.col+1)
	case key.Matches(k, keys.Yank):
		if len(m.ev.rows) == 0 {
			return m, m.yankSelected()
		}
		return m, m.yankCell(&m.ev)
	case key.Matches(k, keys.YankAll):
		return m, m.yankSelected()
	case key.Matches(k, m.pk.Pivot):
		m.pivot(&m.ev)
	case key.Matches(k, m.pk.Whole):
		return m, wholeRow(&m.ev)
	case key.Matches(k, m.pk.Timeline):
		if a, ok := m.selected(); ok {
			m.openTimeline(a.User)
		}
	}
	return m, nil
}

// pivot filters the results to the source IP under the cursor when the
// IP cell is selected, else to the row's user, and shows the table.
func (m *Model) pivot(t *evTable) {
	r, ok := t.current()
	if !ok {
		if a, ok := m.selected(); ok {
			r = evRow{User: a.User}
		} else {
			return
		}
	}
	value, field := r.User, "user:"
	if t.column() == colIP && r.IP != "" {
		value, field = r.IP, "ip:"
	}
	// The filter line shows its text as typed, so text from a database
	// goes in only when it is plain; a value with spaces filters as free
	// text.
	if value == "" || !inert.IsPlain(value) {
		m.pivotNote = "f: this value holds control characters or is empty; filter by hand"
		return
	}
	term := field + value
	if strings.ContainsAny(value, " \t") {
		term = value
	}
	m.tl, m.detail, m.pivotNote = nil, false, ""
	m.filter.SetValue(term)
	m.refilter()
	m.clampTop()
}

// pivotHint says what f does on the current cell.
func pivotHint(t *evTable) string {
	if r, ok := t.current(); ok && t.column() == colIP && r.IP != "" {
		return "f filter by this IP"
	}
	return "f filter by this user"
}

// yankCell copies the cell under the cursor, escaped when it holds
// control characters, like a yanked id.
func (m Model) yankCell(t *evTable) tea.Cmd {
	text, note, err := m.cellPlan(t)
	if err != nil {
		return func() tea.Msg { return clipboard.CopiedMsg{Err: err} }
	}
	// A cell (an address, a time) is not audited; user id copies are.
	return clipboard.CopyCounted(m.c.ClipboardMode, text, note, "", 0)
}

// cellPlan is what y copies from an event table and the toast saying so.
func (m Model) cellPlan(t *evTable) (text, note string, err error) {
	r, ok := t.current()
	if !ok {
		return "", "", fmt.Errorf("nothing to copy: no event selected")
	}
	col := t.column()
	text = cell(r, col, m.c.Now(), m.c.Zone, m.dbZones[r.Database])
	if strings.TrimSpace(strings.Trim(text, "/")) == "" {
		return "", "", fmt.Errorf("nothing to copy: the %s cell is empty", copyNames[col])
	}
	note = "Copied " + copyNames[col] + " " + inert.Text(text)
	if !inert.IsPlain(text) {
		text = inert.Text(text)
		note += " (escaped: it holds control characters)"
	}
	return text, note, nil
}
