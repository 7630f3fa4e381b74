// Package results is the results pane: a summary line, the alerts table
// (suspicious users first) with filter and sort, a per-user detail view,
// and yanking user ids.
package results

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
	"cam/internal/inert"
	"cam/report"
	"cam/triage"
	"cam/tui/clipboard"
	"cam/tui/common"
)

// sortColumn is a column the table can be sorted by.
type sortColumn int

const (
	bySeverity sortColumn = iota
	byRule
	byUser
	byTime
	byCount
)

var sortNames = []string{"severity", "rule", "user", "time", "count"}

// Model is the results pane.
type Model struct {
	c       *common.Common
	res     *engine.Result
	alerts  []detect.Alert
	visible []int // indices into alerts after filter and sort
	// order is every alert's index in the current sort; a filter keystroke
	// only filters it (or, when the filter grows, the visible rows), so
	// typing never sorts. lower holds each alert's user and message in
	// lower case, made once per result for matching. Neither copies an
	// alert.
	order    []int
	lower    []string
	matched  string // the filter that visible reflects, when filtered
	filtered bool
	cursor   int
	top      int
	sortBy   sortColumn
	reverse  bool
	filter   textinput.Model
	editing  bool
	detail   bool
	w, h     int
	counts   summaryCounts // computed once per result, not per frame

	pk paneKeys
	// ev is the detail view's evidence table (a cell cursor for y and f).
	ev evTable
	// tl is the open user timeline, or nil.
	tl *timeline
	// dbZones are the databases' zones, for the detail's wall clocks.
	dbZones map[string]*time.Location
	// pivotNote says why the last f did not filter; "" when it did.
	pivotNote string

	// Triage: the session's use cases (nil without a state), each alert's
	// id (parallel to alerts) and state by id, the open/all toggle, the
	// open dialog, the detail's history and the last change's note.
	tr         Triager
	stateErr   error
	business   *time.Location
	ids        []string
	states     map[string]rowState
	showAll    bool
	version    int64
	dlg        *dialog
	hist       []triage.HistoryEntry
	histErr    error
	triageNote string
}

// New returns an empty results pane.
func New(c *common.Common) Model {
	ti := textinput.New()
	ti.Prompt = "/"
	ti.Placeholder = "user or message"
	return Model{c: c, filter: ti, pk: newPaneKeys()}
}

// SetDatabaseZones gives the pane each database's zone (config
// Database.Location by name), so the detail view shows the wall clock the
// database itself recorded beside the display zone.
func (m *Model) SetDatabaseZones(zones map[string]*time.Location) { m.dbZones = zones }

// DatabaseZones maps each configured database to its zone, for
// SetDatabaseZones.
func DatabaseZones(cfg *config.Config) map[string]*time.Location {
	zones := make(map[string]*time.Location, len(cfg.Databases))
	for _, db := range cfg.Databases {
		zones[db.Name] = db.Location
	}
	return zones
}

// SetResult shows a run's result.
func (m *Model) SetResult(r engine.Result) {
	m.res = &r
	m.alerts = r.Findings.Alerts
	m.counts = countAlerts(r, m.c.Now(), m.c.Zone)
	m.cursor, m.top, m.detail, m.tl = 0, 0, false, nil
	m.ids, m.states, m.dlg, m.hist, m.triageNote = nil, nil, nil, nil, ""
	m.lower = make([]string, len(m.alerts))
	for i := range m.alerts {
		m.lower[i] = haystack(&m.alerts[i])
	}
	m.order = nil
	m.refresh()
}

// Filter is the active filter text.
func (m Model) Filter() string { return strings.TrimSpace(m.filter.Value()) }

// Visible returns the alerts as shown: filtered and sorted.
func (m Model) Visible() []detect.Alert {
	out := make([]detect.Alert, len(m.visible))
	for i, idx := range m.visible {
		out[i] = m.alerts[idx]
	}
	return out
}

// InDetail reports whether the detail view is open.
func (m Model) InDetail() bool { return m.detail }

// InTimeline reports whether a user's timeline is open.
func (m Model) InTimeline() bool { return m.tl != nil }

// InputFocused reports whether a filter input has focus.
// An open triage dialog counts: it is modal, and its keys (digits, q)
// must not reach the root's bindings.
func (m Model) InputFocused() bool { return m.editing || (m.tl != nil && m.tl.editing) || m.dlg != nil }

// VisibleSummary says what the table shows, for hand-off subjects and the
// audit trail: "10 alerts", or "2 of 10 alerts, filter: failed" — the
// words every hand-off uses (report.Headline).
func (m Model) VisibleSummary() string {
	return report.Headline(len(m.visible), len(m.alerts), m.Filter())
}

// refresh recomputes the visible rows after a sort change or a new result.
func (m *Model) refresh() {
	if len(m.order) != len(m.alerts) {
		m.order = make([]int, len(m.alerts))
	}
	for i := range m.order {
		m.order[i] = i
	}
	less := m.lessFunc()
	sort.SliceStable(m.order, func(i, j int) bool {
		a, b := &m.alerts[m.order[i]], &m.alerts[m.order[j]]
		if m.reverse {
			return less(b, a)
		}
		return less(a, b)
	})
	m.filtered = false // filter from the whole order
	m.refilter()
}

// refilter recomputes the visible rows after the filter changed. When the
// new filter is free text containing the old one, only the rows visible
// now can match (a field term can widen what an old word matched, so
// field filters start from every row); either way the rows keep the sort
// order, so nothing is sorted again.
func (m *Model) refilter() {
	needle := strings.ToLower(m.Filter())
	if m.filtered && needle == m.matched {
		return
	}
	q := parseFilter(needle)
	from := m.order
	if m.filtered && !q.fielded() && !strings.Contains(m.matched, ":") && strings.Contains(needle, m.matched) {
		from = m.visible
	} else if len(m.visible) > 0 && &m.visible[0] == &m.order[0] {
		m.visible = nil // never filter order into itself
	}
	kept := m.visible[:0]
	if m.states != nil {
		// Triage hides resolved and suppressed alerts unless shown all or
		// asked for by status; the general loop below applies it.
		q.triage = true
	}
	switch {
	case needle == "" && !q.triage:
		kept = append(kept, from...)
	case !q.fielded() && !q.triage:
		// Free text alone, the common case while typing: one substring
		// test per row, no per-row call.
		for _, i := range from {
			if strings.Contains(m.lower[i], q.free) {
				kept = append(kept, i)
			}
		}
	default:
		byStatus := len(q.status) > 0
		for _, i := range from {
			if q.matches(&m.alerts[i], m.lower[i]) && (!q.triage || m.shown(i, byStatus) && (!byStatus || m.matchesStatus(i, q.status))) {
				kept = append(kept, i)
			}
		}
	}
	m.visible, m.matched, m.filtered = kept, needle, true
	m.cursor = max(0, min(m.cursor, len(m.visible)-1))
	m.clampTop()
}

func (m Model) lessFunc() func(a, b *detect.Alert) bool {
	takeoverFirst := func(a, b *detect.Alert) (bool, bool) {
		at, bt := a.Rule == detect.RuleTakeover, b.Rule == detect.RuleTakeover
		return at && !bt, at != bt
	}
	switch m.sortBy {
	case byRule:
		return func(a, b *detect.Alert) bool { return a.Rule < b.Rule }
	case byUser:
		return func(a, b *detect.Alert) bool { return a.User < b.User }
	case byTime:
		return func(a, b *detect.Alert) bool { return a.FirstSeen.Before(b.FirstSeen) }
	case byCount:
		return func(a, b *detect.Alert) bool { return a.Count > b.Count }
	}
	// Default: suspicious users (takeovers) first, then the rules' order.
	return func(a, b *detect.Alert) bool {
		if less, differ := takeoverFirst(a, b); differ {
			return less
		}
		return false
	}
}

func (m Model) tableHeight() int { return max(1, m.h-3) } // summary, filter/sort line, header

func (m *Model) clampTop() {
	h := m.tableHeight()
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.cursor >= m.top+h {
		m.top = m.cursor - h + 1
	}
	m.top = max(0, min(m.top, max(0, len(m.visible)-h)))
}

// selected returns the alert under the cursor.
func (m Model) selected() (detect.Alert, bool) {
	if m.cursor < 0 || m.cursor >= len(m.visible) {
		return detect.Alert{}, false
	}
	return m.alerts[m.visible[m.cursor]], true
}

// Init starts polling the triage state for other analysts' changes, when
// the pane has one.
func (m Model) Init() tea.Cmd {
	if m.tr == nil {
		return nil
	}
	return pollTick()
}

// Update handles the pane's keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if sm, ok := msg.(StateMsg); ok {
		return m.updateState(sm)
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		if m.dlg != nil && m.dlg.texting() {
			var cmd tea.Cmd
			m.dlg.input, cmd = m.dlg.input.Update(msg)
			return m, cmd
		}
		if m.editing {
			var cmd tea.Cmd
			m.filter, cmd = m.filter.Update(msg)
			return m, cmd
		}
		return m, nil
	}
	keys := m.c.Keys
	if m.tl != nil {
		return m.updateTimeline(k)
	}
	if m.editing {
		switch {
		case key.Matches(k, keys.Submit):
			m.editing = false
			m.filter.Blur()
			return m, nil
		case key.Matches(k, keys.Discard):
			m.editing = false
			m.filter.Blur()
			m.filter.SetValue("")
			m.refilter()
			return m, nil
		}
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		m.refilter()
		return m, cmd
	}
	if m.dlg != nil {
		return m.updateDialog(k)
	}
	if next, cmd, ok := m.triageKey(k); ok {
		return next, cmd
	}
	if m.detail {
		return m.updateDetail(k)
	}
	d, moved := keys.Movement(k, m.tableHeight(), len(m.visible))
	switch {
	case moved:
		m.cursor += d
	case key.Matches(k, keys.Filter):
		m.editing = true
		return m, m.filter.Focus()
	case key.Matches(k, keys.Cancel) && m.Filter() != "":
		m.filter.SetValue("")
		m.refilter()
	case key.Matches(k, keys.Sort):
		m.sortBy = (m.sortBy + 1) % sortColumn(len(sortNames))
		m.refresh()
	case key.Matches(k, keys.Reverse):
		m.reverse = !m.reverse
		m.refresh()
	case key.Matches(k, keys.Detail):
		if a, ok := m.selected(); ok {
			m.detail = true
			m.ev = newEvTable(rowsOf(a), m.w, colTime, colDBClock, colType, colStatus, colIP, colSource)
			m.hist, m.histErr = nil, nil
			return m, m.loadHistory()
		}
	case key.Matches(k, m.pk.Timeline):
		if a, ok := m.selected(); ok {
			m.openTimeline(a.User)
		}
	case key.Matches(k, keys.Yank):
		return m, m.yankSelected()
	case key.Matches(k, keys.YankAll):
		return m, m.yankAll()
	}
	m.cursor = max(0, min(m.cursor, len(m.visible)-1))
	m.clampTop()
	return m, nil
}

// EscConsumed reports whether esc means something to the pane now (leave
// the detail view or clear the filter) rather than cancelling a run.
func (m Model) EscConsumed() bool {
	return m.detail || m.editing || m.tl != nil || m.Filter() != "" || m.dlg != nil
}

func (m Model) yankSelected() tea.Cmd {
	a, ok := m.selected()
	if !ok {
		return func() tea.Msg { return clipboard.CopiedMsg{Err: fmt.Errorf("nothing to copy: no row selected")} }
	}
	text, note := yankPlan([]string{a.User}, false)
	return clipboard.CopyCounted(m.c.ClipboardMode, text, note, "user_ids", 1)
}

// yankPlan is what a yank of ids copies and the toast that says so. Each
// id is copied as its real bytes when they are all printable, else in the
// escaped form the screen shows, so a pasted id can never act on the
// terminal or shell it is pasted into; the toast counts the escaped ones.
// all is Y (every id shown), whose toast counts rather than names.
func yankPlan(ids []string, all bool) (text, note string) {
	texts := make([]string, len(ids))
	escaped := 0
	for i, id := range ids {
		texts[i] = id
		if !inert.IsPlain(id) {
			texts[i] = inert.Text(id)
			escaped++
		}
	}
	text = strings.Join(texts, "\n")
	if !all {
		note = "Copied user ID " + text
		if escaped > 0 {
			note += " (escaped: it holds control characters)"
		}
		return text, note
	}
	note = fmt.Sprintf("Copied %d user IDs", len(ids))
	if len(ids) == 1 {
		note = "Copied 1 user ID"
	}
	if escaped > 0 {
		note += fmt.Sprintf(" (%d escaped: control characters)", escaped)
	}
	return text, note
}

// userIDs are the distinct user ids of the visible rows, in row order.
func (m Model) userIDs() []string {
	seen := map[string]bool{}
	var ids []string
	for _, idx := range m.visible {
		if u := m.alerts[idx].User; !seen[u] {
			seen[u] = true
			ids = append(ids, u)
		}
	}
	return ids
}

func (m Model) yankAll() tea.Cmd {
	ids := m.userIDs()
	if len(ids) == 0 {
		return func() tea.Msg { return clipboard.CopiedMsg{Err: fmt.Errorf("nothing to copy: no results shown")} }
	}
	text, note := yankPlan(ids, true)
	return clipboard.CopyCounted(m.c.ClipboardMode, text, note, "user_ids", len(ids))
}

// SetSize sets the inner size.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.filter.Width = max(10, w-20)
	m.ev.fit(w)
	if m.tl != nil {
		m.tl.table.fit(w)
	}
	m.clampTop()
}

// Title counts what is shown.
func (m Model) Title() string {
	if m.res == nil {
		return "Results"
	}
	if m.Filter() != "" {
		return fmt.Sprintf("Results %d/%d", len(m.visible), len(m.alerts))
	}
	return fmt.Sprintf("Results %d", len(m.alerts))
}

// ShortHelp lists the pane's keys.
func (m Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	// The views' own hint lines name the cell keys and f; the footer keeps
	// to the few that fit 80 columns beside the global ones.
	if m.tl != nil {
		return []key.Binding{k.Cancel, k.Filter, k.Yank}
	}
	if m.dlg != nil {
		return []key.Binding{k.Submit, k.Discard}
	}
	if m.detail {
		if m.triageOn() {
			return []key.Binding{k.Cancel, k.Acknowledge, k.Resolve, k.Note, k.Undo}
		}
		return []key.Binding{k.Cancel, k.Yank, m.pk.Timeline}
	}
	if m.triageOn() {
		return []key.Binding{k.Filter, k.Detail, k.Acknowledge, k.Resolve, k.Suppress, k.ShowAll}
	}
	return []key.Binding{k.Filter, k.Detail, k.Yank, k.Export, k.Mail, k.Summary}
}

// FullHelp lists the pane's keys.
func (m Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Filter, k.Sort, k.Reverse, k.Detail, k.Yank, k.YankAll},
		{m.pk.Timeline, m.pk.Pivot, m.pk.Left, m.pk.Right}, {k.Export, k.Mail, k.Summary},
		{k.Acknowledge, k.Escalate, k.Resolve, k.Note, k.Suppress, k.Undo, k.ShowAll}}
}
