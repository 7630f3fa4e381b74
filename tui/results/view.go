package results

import (
	"fmt"
	"strings"
	"time"

	"cam/engine"
	"cam/engine/detect"
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
	if m.detail {
		lines = append(lines, m.detailLines()...)
		return common.FitLines(lines, m.w, m.h)
	}
	control := st.Muted.Render(fmt.Sprintf("sort: %s%s · / filter · enter detail · y/Y yank · e/m/o hand off", sortNames[m.sortBy], map[bool]string{true: " ↑", false: ""}[m.reverse]))
	if m.editing || m.Filter() != "" {
		control = m.filter.View()
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
	lines = append(lines, st.Header.Render(cols.header()))
	end := min(len(m.visible), m.top+m.tableHeight())
	for i := m.top; i < end; i++ {
		line := cols.row(m.alerts[m.visible[i]], m.c)
		if i == m.cursor {
			line = st.Selected.Render(common.Pad(stripStyle(cols, m.alerts[m.visible[i]], m.c), m.w))
		}
		lines = append(lines, line)
	}
	if len(m.visible) == 0 {
		lines = append(lines, st.Muted.Render("No alert matches the filter — esc clears it."))
	}
	return common.FitLines(lines, m.w, m.h)
}

// summaryCounts are the summary line's numbers.
type summaryCounts struct {
	rules  map[detect.Rule]int
	sev    map[detect.Severity]int
	failed int
}

func countAlerts(r engine.Result) summaryCounts {
	c := summaryCounts{rules: map[detect.Rule]int{}, sev: map[detect.Severity]int{}}
	for _, a := range r.Findings.Alerts {
		c.rules[a.Rule]++
		c.sev[a.Severity]++
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
	s := fmt.Sprintf("%d suspicious · brute %d · off-hours %d · guest %d │ crit %d high %d med %d",
		len(f.Takeovers), counts[detect.RuleBruteForce], counts[detect.RuleOffHours], counts[detect.RuleRoleViolation],
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

func (m Model) columns() columns {
	c := columns{sev: 8, rule: 14, user: 14, when: 23, count: 5}
	c.msg = m.w - (c.sev + c.rule + c.user + c.when + c.count + 5)
	if c.msg < 12 { // narrow: shorter names before the message disappears
		c.rule, c.user = 11, 12
		c.msg = m.w - (c.sev + c.rule + c.user + c.when + c.count + 5)
	}
	if c.msg < 8 {
		c.msg = 0
	}
	return c
}

func (c columns) header() string {
	s := common.Pad("SEVERITY", c.sev) + " " + common.Pad("RULE", c.rule) + " " + common.Pad("USER", c.user) + " " +
		common.Pad("WHEN", c.when) + " " + common.PadLeft("COUNT", c.count)
	if c.msg > 0 {
		s += " " + common.Pad("MESSAGE", c.msg)
	}
	return s
}

var ruleNames = map[detect.Rule]string{
	detect.RuleTakeover: "takeover", detect.RuleBruteForce: "brute force", detect.RuleOffHours: "off-hours",
	detect.RuleRoleViolation: "guest write",
}

func (c columns) cells(a detect.Alert, cm *common.Common) []string {
	cells := []string{common.Pad(a.Severity.String(), c.sev), common.Pad(ruleNames[a.Rule], c.rule), common.Pad(inert.Text(a.User), c.user),
		common.Pad(span(a.FirstSeen, a.LastSeen, cm.Zone), c.when), common.PadLeft(fmt.Sprint(a.Count), c.count)}
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

// span renders a window compactly in the analyst's zone: "11-03 14:02–15:10"
// within a day, "11-03 14:02–11-04 13:59" across days.
func span(a, b time.Time, loc *time.Location) string {
	a, b = a.In(loc), b.In(loc)
	if a.Equal(b) {
		return a.Format("01-02 15:04:05")
	}
	if a.YearDay() == b.YearDay() && a.Year() == b.Year() {
		return a.Format("01-02 15:04") + "–" + b.Format("15:04")
	}
	return a.Format("01-02 15:04") + "–" + b.Format("01-02 15:04")
}

// detailLines shows every event behind the selected finding and the
// user's other alerts.
func (m Model) detailLines() []string {
	st := m.c.Styles
	a, ok := m.selected()
	if !ok {
		return nil
	}
	zone := m.c.Zone
	lines := []string{
		st.TitleFocused.Render(common.Truncate(fmt.Sprintf("%s — %s (%s)", inert.Text(a.User), ruleNames[a.Rule], a.Severity), m.w)),
		common.Truncate(inert.Text(a.Message), m.w),
		st.Header.Render(common.Truncate(fmt.Sprintf("%-9s %-19s %-20s %s", "EVENT", "TIME ("+zoneName(zone)+")", "UTC", "DATABASE / QUERY"), m.w)),
	}
	for _, ev := range a.Evidence {
		lines = append(lines, common.Truncate(fmt.Sprintf("%-9s %-19s %-20s %s / %s", common.Truncate(inert.Text(ev.Type), 9),
			ev.Time.In(zone).Format("2006-01-02 15:04:05"), ev.Time.UTC().Format("2006-01-02 15:04:05Z"),
			inert.Text(ev.Database), inert.Text(ev.Query))+ipSuffix(ev.IP), m.w))
	}
	if a.Rule == detect.RuleTakeover {
		lines = append(lines, st.Muted.Render(common.Truncate(fmt.Sprintf("window %s – %s (%s)", a.FirstSeen.In(zone).Format("2006-01-02 15:04:05"),
			a.LastSeen.In(zone).Format("2006-01-02 15:04:05"), a.LastSeen.Sub(a.FirstSeen)), m.w)))
	}
	var others []string
	for _, o := range m.alerts {
		if o.User == a.User && !(o.Rule == a.Rule && o.FirstSeen.Equal(a.FirstSeen)) {
			others = append(others, common.Truncate(fmt.Sprintf("  %-8s %-11s %s", o.Severity, ruleNames[o.Rule], inert.Text(o.Message)), m.w))
		}
	}
	lines = append(lines, "", st.Header.Render(fmt.Sprintf("Other alerts for %s: %d", inert.Text(a.User), len(others))))
	lines = append(lines, others...)
	lines = append(lines, st.Muted.Render("esc back · y copy user ID"))
	return lines
}

func ipSuffix(ip string) string {
	if ip == "" {
		return ""
	}
	return " from " + inert.Text(ip)
}

func zoneName(loc *time.Location) string {
	if loc == time.Local {
		name, _ := time.Now().Zone()
		return name
	}
	return loc.String()
}
