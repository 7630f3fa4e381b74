package results

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"cam/engine/detect"
	"cam/internal/display"
	"cam/internal/inert"
	"cam/tui/common"
)

// evRow is one event in the detail view or a user's timeline.
type evRow struct {
	User     string
	Time     time.Time
	Type     string // change type or activity operation
	Status   string
	IP       string
	Database string
	Query    string
	Rules    []string // display names of the findings the event belongs to
	lower    string   // what `/` matches inside the timeline
}

// evColumn is a column of an event table; the cell under the cursor is
// what y copies.
type evColumn int

const (
	colTime evColumn = iota
	colDBClock
	colType
	colStatus
	colIP
	colSource
	colUser
	colFindings
)

// evColumnNames head the columns; copyNames name a copied cell in the toast.
var (
	evColumnNames = map[evColumn]string{colTime: "TIME", colDBClock: "DB CLOCK", colType: "EVENT", colStatus: "STATUS",
		colIP: "SOURCE IP", colSource: "DATABASE / QUERY", colUser: "USER", colFindings: "FINDINGS"}
	copyNames = map[evColumn]string{colTime: "time", colDBClock: "database wall clock", colType: "event", colStatus: "status",
		colIP: "source IP", colSource: "database / query", colUser: "user ID", colFindings: "findings"}
)

// evTable is a selectable table of events with a cell cursor.
type evTable struct {
	rows   []evRow
	want   []evColumn // the columns the view offers
	cols   []evColumn // those that fit the pane now (see fit)
	cursor int
	col    int // index into cols
	top    int
}

// paneKeys are the results pane's own bindings for the investigation
// views; the root's key map has no cell movement, pivot or timeline.
type paneKeys struct {
	Left, Right, Pivot, Timeline, Whole key.Binding
}

func newPaneKeys() paneKeys {
	return paneKeys{
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "prev cell")),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next cell")),
		Pivot:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "filter by this IP/user")),
		Timeline: key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "user timeline")),
		Whole:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "whole row")),
	}
}

// WholeRowMsg asks the root to show an event row whole in the message
// view: a table cuts its database, query and address to fit.
type WholeRowMsg struct{ Title, Text string }

// wholeRow is w on an event row: the row in full, one field a line.
func wholeRow(t *evTable) tea.Cmd {
	r, ok := t.current()
	if !ok {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "User: %s\nTime: %s\nEvent: %s\n", r.User, r.Time.Format(time.RFC3339), r.Type)
	if r.Status != "" {
		fmt.Fprintf(&b, "Status: %s\n", r.Status)
	}
	if r.IP != "" {
		fmt.Fprintf(&b, "Source IP: %s\n", r.IP)
	}
	fmt.Fprintf(&b, "Database: %s\nQuery: %s\n", r.Database, r.Query)
	if len(r.Rules) > 0 {
		fmt.Fprintf(&b, "Findings: %s\n", strings.Join(r.Rules, ", "))
	}
	msg := WholeRowMsg{Title: "Event of " + r.User, Text: b.String()}
	return func() tea.Msg { return msg }
}

// newEvTable is a table of rows over the wanted columns, without the
// status and source IP columns when no row has them, fitted to width w.
func newEvTable(rows []evRow, w int, want ...evColumn) evTable {
	t := evTable{rows: rows, want: shownColumns(rows, want...)}
	t.fit(w)
	return t
}

// fit chooses the columns for width w: below 100 cells the database's
// wall clock gives way to the database and query, which an analyst
// cannot read anywhere else.
func (t *evTable) fit(w int) {
	sel := t.column()
	t.cols = t.cols[:0]
	for _, c := range t.want {
		if c == colDBClock && w < 100 {
			continue
		}
		t.cols = append(t.cols, c)
	}
	t.col = 0
	for i, c := range t.cols {
		if c == sel {
			t.col = i
		}
	}
}

// current returns the row under the cursor.
func (t *evTable) current() (evRow, bool) {
	if t.cursor < 0 || t.cursor >= len(t.rows) {
		return evRow{}, false
	}
	return t.rows[t.cursor], true
}

// column is the column under the cursor.
func (t *evTable) column() evColumn {
	if len(t.cols) == 0 {
		return colTime
	}
	return t.cols[max(0, min(t.col, len(t.cols)-1))]
}

// move moves the row cursor by d and keeps it on screen (height rows).
func (t *evTable) move(d, height int) {
	t.cursor = max(0, min(t.cursor+d, len(t.rows)-1))
	if t.cursor < t.top {
		t.top = t.cursor
	}
	if height > 0 && t.cursor >= t.top+height {
		t.top = t.cursor - height + 1
	}
	t.top = max(0, min(t.top, max(0, len(t.rows)-height)))
}

// cell is the text of column c in r, as shown (before escaping).
func cell(r evRow, c evColumn, now time.Time, zone, dbZone *time.Location) string {
	switch c {
	case colTime:
		return display.StampSeconds(r.Time, now, zone)
	case colDBClock:
		if dbZone == nil { // the root gave no zone for it: say UTC
			return display.StampSeconds(r.Time, now, time.UTC) + "Z"
		}
		return display.StampSeconds(r.Time, now, dbZone)
	case colType:
		return r.Type
	case colStatus:
		return r.Status
	case colIP:
		return r.IP
	case colSource:
		return r.Database + " / " + r.Query
	case colUser:
		return r.User
	case colFindings:
		return strings.Join(r.Rules, ", ")
	}
	return ""
}

// widths gives each column its width in w cells: fixed columns first, the
// database/query column whatever is left.
func (t *evTable) widths(w, stamp, timeHead int) map[evColumn]int {
	findings := len("FINDINGS")
	for _, r := range t.rows {
		findings = max(findings, len(strings.Join(r.Rules, ", ")))
	}
	fixed := map[evColumn]int{colTime: max(stamp, timeHead), colDBClock: stamp + 1, colType: 9, colStatus: 7, colIP: 15, colUser: 12,
		colFindings: min(findings, 24)}
	out := map[evColumn]int{}
	used := 2 // the selection gutter
	for _, c := range t.cols {
		if c == colSource {
			continue
		}
		out[c] = fixed[c]
		used += fixed[c] + 1
	}
	out[colSource] = max(12, w-used)
	return out
}

// render draws the header and the visible rows of the table.
func (t *evTable) render(c *common.Common, w, height int, dbZones map[string]*time.Location) []string {
	st := c.Styles
	now := c.Now()
	stamp := 14
	for _, r := range t.rows {
		if r.Time.In(c.Zone).Year() != now.In(c.Zone).Year() {
			stamp = 19
			break
		}
	}
	timeHead := "TIME (" + display.ZoneName(c.Zone) + ")"
	widths := t.widths(w, stamp, min(24, len(timeHead)+2)) // +2: the selection's brackets
	sel := t.column()
	var head []string
	for _, col := range t.cols {
		name := evColumnNames[col]
		switch col {
		case colTime:
			name = timeHead
		case colDBClock:
			name = "DATABASE CLOCK"
		}
		if col == sel {
			name = "[" + name + "]"
		}
		head = append(head, common.Pad(name, widths[col]))
	}
	lines := []string{st.Header.Render(common.Truncate(st.Gutter+strings.Join(head, " "), w))}
	end := min(len(t.rows), t.top+height)
	for i := t.top; i < end; i++ {
		r := t.rows[i]
		var cells []string
		for _, col := range t.cols {
			cells = append(cells, common.Pad(inert.Text(cell(r, col, now, c.Zone, dbZones[r.Database])), widths[col]))
		}
		line := common.Truncate(st.Mark(strings.Join(cells, " "), i == t.cursor), w)
		if i == t.cursor {
			line = st.Selected.Render(common.Pad(line, w))
		}
		lines = append(lines, line)
	}
	return lines
}

// shownColumns is want without the status and source IP columns when no
// row has one (change events carry neither), so narrow panes keep the
// database and query readable.
func shownColumns(rows []evRow, want ...evColumn) []evColumn {
	hasStatus, hasIP := false, false
	for _, r := range rows {
		hasStatus = hasStatus || r.Status != ""
		hasIP = hasIP || r.IP != ""
	}
	out := want[:0:0]
	for _, c := range want {
		if (c == colStatus && !hasStatus) || (c == colIP && !hasIP) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// rowsOf turns a finding's evidence into rows.
func rowsOf(a detect.Alert) []evRow {
	out := make([]evRow, 0, len(a.Evidence))
	for _, e := range a.Evidence {
		out = append(out, evRow{User: a.User, Time: e.Time, Type: e.Type, Status: e.Status, IP: e.IP, Database: e.Database, Query: e.Query,
			Rules: []string{display.Rule(a.Rule)}})
	}
	return out
}

// timelineRows is every event cam holds for user, oldest first: the
// evidence of each of the user's findings (an event behind two findings is
// one row marked with both) and, when the run kept them, the user's other
// events.
func timelineRows(alerts []detect.Alert, user string, more []detect.Evidence) []evRow {
	type evKey struct {
		t                          int64
		typ, status, ip, db, query string
	}
	index := map[evKey]int{}
	var rows []evRow
	// The rules word the evidence of a burst as LOGIN/FAILED whatever the
	// case the database stored ("Failed"): the key ignores case, and the
	// event as fetched gives the row its words.
	add := func(e detect.Evidence, rule string) {
		k := evKey{e.Time.UnixNano(), strings.ToUpper(e.Type), strings.ToUpper(e.Status), e.IP, e.Database, e.Query}
		i, ok := index[k]
		if !ok {
			i = len(rows)
			index[k] = i
			rows = append(rows, evRow{User: user, Time: e.Time, Type: e.Type, Status: e.Status, IP: e.IP, Database: e.Database, Query: e.Query})
		} else if rule == "" {
			rows[i].Type, rows[i].Status = e.Type, e.Status
		}
		if rule != "" && !containsString(rows[i].Rules, rule) {
			rows[i].Rules = append(rows[i].Rules, rule)
		}
	}
	for _, a := range alerts {
		if a.User != user {
			continue
		}
		for _, e := range a.Evidence {
			add(e, display.Rule(a.Rule))
		}
	}
	for _, e := range more {
		add(e, "")
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Time.Before(rows[j].Time) })
	for i := range rows {
		r := &rows[i]
		r.lower = strings.ToLower(strings.Join([]string{r.Type, r.Status, r.IP, r.Database, r.Query, strings.Join(r.Rules, " ")}, "\n"))
	}
	return rows
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
