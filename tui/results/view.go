package results

import (
	"fmt"
	"strings"
	"time"

	"cam/engine"
	"cam/engine/detect"
	"cam/internal/display"
	"cam/internal/inert"
	"cam/internal/plural"
	"cam/tui/common"
)

// View renders the summary line and either the table or the detail view.
// Only the rows on screen are formatted, so 100k alerts stay fast.
func (m Model) View() string {
	st := m.c.Styles
	if m.res == nil {
		return common.FitLines([]string{st.Muted.Render("No run yet — press r to run the analysis.")}, m.w, m.h)
	}
	lines := []string{m.summary()}
	if m.dlg != nil {
		lines = append(lines, m.dialogLines()...)
		return common.FitLines(lines, m.w, m.h)
	}
	if m.tl != nil {
		lines = append(lines, m.timelineLines()...)
		return common.FitLines(lines, m.w, m.h)
	}
	if m.detail {
		lines = append(lines, m.detailLines()...)
		return common.FitLines(lines, m.w, m.h)
	}
	control := st.Muted.Render("/ filter (rule: sev: db: user: ip:) · enter detail · t timeline · y/Y yank · e/m/o hand off")
	if m.states != nil {
		control = st.Muted.Render(m.triageControl())
	}
	if m.editing || m.Filter() != "" {
		control = m.filter.View()
		q := parseFilter(m.Filter())
		q.triage = m.states != nil
		if note := q.note(); note != "" && !m.editing {
			control = "/" + m.Filter() + "  " + st.WarnText.Render(note)
		}
	}
	lines = append(lines, common.Truncate(control, m.w))
	if len(m.alerts) == 0 {
		ok := 0
		for _, q := range m.res.Queries {
			if q.Status == engine.StatusOK {
				ok++
			}
		}
		lines = append(lines, st.OKText.Render(fmt.Sprintf("No findings: %d of %d queries ok.", ok, len(m.res.Queries))))
		return common.FitLines(append(lines, m.candidateLines()...), m.w, m.h)
	}
	cols := m.columns()
	header := cols.header(m.sortBy, m.sortArrow(), display.ZoneName(m.c.Zone))
	if m.states != nil {
		header = common.Pad("STATUS", statusWidth) + " " + header
	}
	lines = append(lines, st.Header.Render(common.Truncate(st.Gutter+header, m.w)))
	end := min(len(m.visible), m.top+m.tableHeight())
	for i := m.top; i < end; i++ {
		a := m.alerts[m.visible[i]]
		prefix := ""
		if m.states != nil {
			rs, _ := m.stateOf(m.visible[i])
			prefix = common.Pad(statusCell(rs), statusWidth) + " "
		}
		line := st.Gutter + prefix + cols.row(a, m.c)
		if i == m.cursor {
			line = st.Selected.Render(common.Pad(st.Mark(prefix+stripStyle(cols, a, m.c), true), m.w))
		}
		lines = append(lines, line)
	}
	if len(m.visible) == 0 {
		if m.Filter() == "" && m.states != nil {
			lines = append(lines, st.OKText.Render("No open alert — "+m.c.Keys.ShowAll.Help().Key+" shows all."))
		} else {
			lines = append(lines, st.Muted.Render("No alert matches the filter — esc clears it."))
		}
	}
	return common.FitLines(lines, m.w, m.h)
}

// summaryCounts are the summary line's numbers.
type summaryCounts struct {
	rules  map[detect.Rule]int
	sev    map[detect.Severity]int
	failed int
	// oldYear is set when some alert is not in the current year, so the
	// WHEN column makes room for years.
	oldYear bool
}

func countAlerts(r engine.Result, now time.Time, zone *time.Location) summaryCounts {
	c := summaryCounts{rules: map[detect.Rule]int{}, sev: map[detect.Severity]int{}}
	year := now.In(zone).Year()
	for _, a := range r.Findings.Alerts {
		c.rules[a.Rule]++
		c.sev[a.Severity]++
		if a.FirstSeen.In(zone).Year() != year || a.LastSeen.In(zone).Year() != year {
			c.oldYear = true
		}
	}
	for _, q := range r.Queries {
		if q.Status != engine.StatusOK {
			c.failed++
		}
	}
	return c
}

func (m Model) summary() string {
	st := m.c.Styles
	f := m.res.Findings
	counts, sev := m.counts.rules, m.counts.sev
	s := fmt.Sprintf("%d suspicious · %s %d · %s %d · %s %d │ crit %d high %d med %d",
		len(f.Takeovers), display.Rule(detect.RuleBruteForce), counts[detect.RuleBruteForce], display.Rule(detect.RuleOffHours),
		counts[detect.RuleOffHours], display.Rule(detect.RuleRoleViolation), counts[detect.RuleRoleViolation],
		sev[detect.SeverityCritical], sev[detect.SeverityHigh], sev[detect.SeverityMedium])
	if !m.res.Complete {
		failed := m.counts.failed
		warn := fmt.Sprintf("INCOMPLETE: %d %s failed — findings may be missing", failed, plural.Word(failed, "query", "queries"))
		if m.res.Cancelled {
			warn = "CANCELLED: results cover what arrived"
		}
		if n := len(f.Candidates); n > 0 {
			warn += fmt.Sprintf(" · %d possible", n)
		}
		return st.WarnText.Render(common.Truncate(warn, m.w))
	}
	if m.states != nil {
		// First, so a narrow pane still shows what the table leaves out.
		sup, res := m.hiddenCounts()
		s = fmt.Sprintf("%d suppressed · %d resolved │ ", sup, res) + s
	} else if m.stateErr != nil {
		return st.WarnText.Render(common.Truncate(s+" │ no triage state: "+inert.Text(m.stateErr.Error()), m.w))
	}
	return st.Bold.Render(common.Truncate(s, m.w))
}

func (m Model) candidateLines() []string {
	if len(m.res.Findings.Candidates) == 0 {
		return nil
	}
	var ids []string
	for _, c := range m.res.Findings.Candidates {
		ids = append(ids, inert.Text(c.User))
	}
	return []string{m.c.Styles.WarnText.Render("Possible takeovers (a change query failed): " + strings.Join(ids, ", "))}
}

// columns are the table's column widths for the pane width.
type columns struct{ sev, rule, user, when, count, msg int }

// statusWidth is the status column's width ("★ done").
const statusWidth = 6

// columns fits the table to the pane; the selection gutter takes two
// cells (and the status column its own, with triage), and WHEN grows to
// hold years when some alert is not this year's.
func (m Model) columns() columns {
	w := m.w - 2
	if m.states != nil {
		w -= statusWidth + 1
	}
	c := columns{sev: 8, rule: 11, user: 14, when: 23, count: 5}
	if m.counts.oldYear {
		c.when = 28 // "2025-12-30 22:00–12-31 01:00"; a window across years is cut
	}
	c.msg = w - (c.sev + c.rule + c.user + c.when + c.count + 5)
	if c.msg < 12 { // narrow: shorter names before the message disappears
		c.user = 12
		c.msg = w - (c.sev + c.rule + c.user + c.when + c.count + 5)
	}
	if c.msg < 8 {
		c.msg = 0
	}
	return c
}

// sortArrow is the sorted column's direction: ascending or descending as
// the rows read from the top.
func (m Model) sortArrow() string {
	st := m.c.Styles
	desc := m.sortBy == bySeverity || m.sortBy == byCount // worst and most first
	if m.reverse {
		desc = !desc
	}
	if desc {
		return st.SortDesc
	}
	return st.SortAsc
}

// header names the columns, the WHEN column with its zone, and marks the
// sorted column with its direction.
func (c columns) header(by sortColumn, arrow, zone string) string {
	name := func(col sortColumn, s string) string {
		if col == by {
			return s + " " + arrow
		}
		return s
	}
	s := common.Pad(name(bySeverity, "SEV"), c.sev) + " " + common.Pad(name(byRule, "RULE"), c.rule) + " " +
		common.Pad(name(byUser, "USER"), c.user) + " " + common.Pad(name(byTime, "WHEN ("+zone+")"), c.when) + " " +
		common.PadLeft(map[bool]string{true: "CNT " + arrow, false: "COUNT"}[by == byCount], c.count)
	if c.msg > 0 {
		s += " " + common.Pad("MESSAGE", c.msg)
	}
	return s
}

func (c columns) cells(a detect.Alert, cm *common.Common) []string {
	cells := []string{common.Pad(a.Severity.String(), c.sev), common.Pad(display.Rule(a.Rule), c.rule), common.Pad(inert.Text(a.User), c.user),
		common.Pad(display.Window(a.FirstSeen, a.LastSeen, cm.Now(), cm.Zone), c.when), common.PadLeft(fmt.Sprint(a.Count), c.count)}
	if c.msg > 0 {
		cells = append(cells, common.Pad(inert.Text(a.Message), c.msg))
	}
	return cells
}

func (c columns) row(a detect.Alert, cm *common.Common) string {
	cells := c.cells(a, cm)
	cells[0] = cm.Styles.Severity(a.Severity.String()).Render(cells[0])
	return strings.Join(cells, " ")
}

func stripStyle(c columns, a detect.Alert, cm *common.Common) string {
	return strings.Join(c.cells(a, cm), " ")
}

// detailLines shows every event behind the selected finding, in the
// display zone and as the database's own wall clock, and the user's other
// alerts.
func (m Model) detailLines() []string {
	st := m.c.Styles
	a, ok := m.selected()
	if !ok {
		return nil
	}
	zone, now := m.c.Zone, m.c.Now()
	lines := []string{
		st.TitleFocused.Render(common.Truncate(fmt.Sprintf("%s — %s (%s)", inert.Text(a.User), display.Rule(a.Rule), a.Severity), m.w)),
		common.Truncate(inert.Text(a.Message), m.w),
	}
	lines = append(lines, m.ev.render(m.c, m.w, m.detailHeight(), m.dbZones)...)
	if a.Rule == detect.RuleTakeover {
		lines = append(lines, st.Muted.Render(common.Truncate(fmt.Sprintf("window %s – %s (%s, %s)", display.StampSeconds(a.FirstSeen, now, zone),
			display.StampSeconds(a.LastSeen, now, zone), display.Span(a.LastSeen.Sub(a.FirstSeen)), display.ZoneName(zone)), m.w)))
	}
	var others []string
	for _, o := range m.alerts {
		if o.User == a.User && !(o.Rule == a.Rule && o.FirstSeen.Equal(a.FirstSeen)) {
			others = append(others, common.Truncate(fmt.Sprintf("  %-8s %-11s %s", o.Severity, display.Rule(o.Rule), inert.Text(o.Message)), m.w))
		}
	}
	lines = append(lines, m.historyLines()...)
	lines = append(lines, st.Header.Render(fmt.Sprintf("Other alerts for %s: %d", inert.Text(a.User), len(others))))
	lines = append(lines, others...)
	hint := "esc back · ←/→ cell · y copy " + copyNames[m.ev.column()] + " · " + pivotHint(&m.ev) + " · t timeline · w whole row"
	if m.triageNote != "" {
		hint = m.triageNote
	}
	if m.pivotNote != "" {
		hint = m.pivotNote
	}
	// The hint is the last line whatever the room, so the keys stay known.
	if room := m.h - 2; len(lines) > room && room > 0 {
		lines = lines[:room]
	}
	return append(lines, st.Muted.Render(common.Truncate(hint, m.w)))
}

// timelineLines is a user's timeline: every event cam holds for the user,
// in the display zone, with the findings each belongs to.
func (m Model) timelineLines() []string {
	st, tl := m.c.Styles, m.tl
	title := fmt.Sprintf("Timeline of %s: %d events", inert.Text(tl.user), len(tl.all))
	if n := len(tl.table.rows); n != len(tl.all) {
		title = fmt.Sprintf("Timeline of %s: %d of %d events", inert.Text(tl.user), n, len(tl.all))
	}
	if m.res != nil && m.res.UserEvents == nil {
		title += " (events behind findings)"
	} else if m.res != nil && m.res.UserEvents.Truncated() > 0 {
		title += " (the run kept the first events only)"
	}
	lines := []string{st.TitleFocused.Render(common.Truncate(title, m.w))}
	control := st.Muted.Render("/ filter")
	if tl.editing || tl.filter.Value() != "" {
		control = tl.filter.View()
	}
	lines = append(lines, common.Truncate(control, m.w))
	lines = append(lines, tl.table.render(m.c, m.w, m.timelineHeight(), m.dbZones)...)
	if len(tl.table.rows) == 0 {
		lines = append(lines, st.Muted.Render("No event matches — esc clears the filter."))
	}
	for len(lines) < m.h-2 {
		lines = append(lines, "")
	}
	hint := "esc back · ←/→ cell · y copy " + copyNames[tl.table.column()] + " · " + pivotHint(&tl.table) + " · w whole row"
	if m.pivotNote != "" {
		hint = m.pivotNote
	}
	return append(lines[:min(len(lines), m.h-2)], st.Muted.Render(common.Truncate(hint, m.w)))
}
