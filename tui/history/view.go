package history

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"cam/engine/detect"
	"cam/internal/display"
	"cam/internal/inert"
	"cam/session"
	"cam/triage"
	"cam/tui/common"
)

// chrome is the lines around the list: the sparkline, the column header
// and the selected run's two lines below.
const chrome = 4

func (m Model) listHeight() int { return max(1, m.h-chrome) }

// View renders the sparkline, the runs and the selected run's details.
func (m Model) View() string {
	st := m.c.Styles
	switch {
	case m.err != nil && noState(m.err):
		return common.FitLines([]string{st.Muted.Render("No triage state is open: runs are recorded in app_settings state_dir.")}, m.w, m.h)
	case m.err != nil:
		return common.FitLines([]string{st.ErrorText.Render("Cannot read the run history: " + inert.Text(m.err.Error()))}, m.w, m.h)
	case !m.loaded:
		return common.FitLines([]string{st.Muted.Render("Reading the run history…")}, m.w, m.h)
	}
	lines := []string{m.sparkLine()}
	if len(m.hist.Runs) == 0 {
		lines = append(lines, "", st.Muted.Render(fmt.Sprintf("No runs recorded in %s yet: %s starts one.",
			inert.Text(m.hist.StatePath), m.c.Keys.Run.Help().Key)))
		return common.FitLines(lines, m.w, m.h)
	}
	cols := m.columns()
	lines = append(lines, st.Header.Render(common.Truncate(st.Gutter+cols.header(), m.w)))
	rows := m.listHeight()
	for i := m.top; i < len(m.hist.Runs) && i < m.top+rows; i++ {
		r := m.hist.Runs[i]
		text := cols.row(r)
		switch {
		case i == m.cursor:
			lines = append(lines, st.Selected.Render(common.Pad(st.Marker+text, m.w)))
		case !r.Stored:
			lines = append(lines, st.Muted.Render(common.Truncate(st.Gutter+text, m.w)))
		default:
			lines = append(lines, common.Truncate(st.Gutter+text, m.w))
		}
	}
	for len(lines) < 2+rows {
		lines = append(lines, "")
	}
	lines = append(lines, m.detailLines()...)
	return common.FitLines(lines, m.w, m.h)
}

// sparkLine is the header: findings per day over the last 30 days.
func (m Model) sparkLine() string {
	counts := make([]int, len(m.hist.PerDay))
	total, peak := 0, 0
	for i, d := range m.hist.PerDay {
		counts[i] = d.Count
		total += d.Count
		peak = max(peak, d.Count)
	}
	return fmt.Sprintf("Last %d days %s  %d findings, peak %d/day", len(counts), display.Sparkline(counts, m.ascii), total, peak)
}

// detailLines describe the selected run: its counts by rule and by
// severity, and whether it can be opened (and why not).
func (m Model) detailLines() []string {
	r, ok := m.Selected()
	if !ok {
		return nil
	}
	st := m.c.Styles
	first := fmt.Sprintf("Run %d, took %s: %s", r.ID, display.Span(took(r.RunSummary)), bySeverity(r.RunSummary))
	if rules := byRule(r.RunSummary); rules != "" {
		first += " · " + rules
	}
	second := st.Muted.Render(fmt.Sprintf("%s opens its findings read-only in the results pane", m.open.Help().Key))
	if why := Unopenable(r); why != "" {
		second = st.WarnText.Render("Cannot open: " + why)
	}
	return []string{common.Truncate(first, m.w), common.Truncate(second, m.w)}
}

// Unopenable says why run r cannot be opened, or "" when it can.
func Unopenable(r session.PastRun) string {
	switch {
	case r.Stored:
		return ""
	case r.Cancelled:
		return "the run was cancelled, so its findings were not kept"
	case !r.Complete:
		return "the run was incomplete, so its findings were not kept"
	}
	return fmt.Sprintf("only the last %d complete runs' findings are kept", triage.KeptRunFindings)
}

// byRule counts a run's alerts by rule, in reporting order, with rules
// the build does not know (a newer cam's) after them; rules without
// alerts are left out: "1 takeover, 2 brute force".
func byRule(r triage.RunSummary) string {
	var parts []string
	seen := map[string]bool{}
	for _, rule := range display.Rules() {
		seen[string(rule)] = true
		if n := r.ByRule[string(rule)]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, display.Rule(rule)))
		}
	}
	var other []string
	for name := range r.ByRule {
		if !seen[name] && r.ByRule[name] > 0 {
			other = append(other, name)
		}
	}
	sort.Strings(other)
	for _, name := range other {
		parts = append(parts, fmt.Sprintf("%d %s", r.ByRule[name], inert.Text(display.Rule(detect.Rule(name)))))
	}
	return strings.Join(parts, ", ")
}

// severities are shown worst first.
var severities = []string{"critical", "high", "medium", "low"}

// bySeverity counts a run's alerts by severity, worst first: "1 critical,
// 2 high"; "no alerts" when there are none.
func bySeverity(r triage.RunSummary) string {
	var parts []string
	seen := map[string]bool{}
	for _, s := range severities {
		seen[s] = true
		if n := r.BySeverity[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	var other []string
	for s := range r.BySeverity {
		if !seen[s] {
			other = append(other, s)
		}
	}
	sort.Strings(other)
	for _, s := range other {
		parts = append(parts, fmt.Sprintf("%d %s", r.BySeverity[s], inert.Text(s)))
	}
	if len(parts) == 0 {
		return "no alerts"
	}
	return strings.Join(parts, ", ")
}

// mode is how the run read: sliding or anchored window, or incremental.
func mode(r triage.RunSummary) string {
	switch {
	case r.Mode == triage.ModeIncremental || r.Coverage != nil && r.Coverage.Incremental:
		return "incremental"
	case r.WindowMode == "":
		return "-"
	}
	return inert.Text(r.WindowMode)
}

// columns are the list's column widths, fitted to the runs shown and the
// pane: the duration goes when the pane is narrow (the selected run's
// line has it), the counts by rule come when it is wide.
type columns struct {
	when, sid   int
	took, rules bool
	now         time.Time
	zone        *time.Location
}

const (
	modeW   = 11 // "incremental"
	stateW  = 10 // "incomplete"
	keptW   = 4
	alertsW = 6
	rowsW   = 7
	rejW    = 5
	tookW   = 6
	fixedW  = modeW + stateW + keptW + alertsW + rowsW + rejW + 7 // and the gaps between them
)

func (m Model) columns() columns {
	c := columns{when: 11, sid: 3, now: m.c.Now(), zone: m.c.Zone}
	for _, r := range m.hist.Runs {
		c.when = max(c.when, len(display.Stamp(r.StartedAt, c.now, c.zone)))
		c.sid = max(c.sid, len([]rune(inert.Text(r.SID))))
	}
	c.sid = min(c.sid, 10)
	room := m.w - 2 - c.when - 1 - c.sid - fixedW
	c.took = room >= tookW+1
	c.rules = room-tookW-1-2 >= 12 // "3 brute force"
	return c
}

func (c columns) header() string {
	cells := []string{common.Pad("STARTED", c.when), common.Pad("SID", c.sid), common.Pad("MODE", modeW),
		common.Pad("STATE", stateW), common.Pad("KEPT", keptW), common.PadLeft("ALERTS", alertsW),
		common.PadLeft("ROWS", rowsW), common.PadLeft("REJ", rejW)}
	if c.took {
		cells = append(cells, common.PadLeft("TOOK", tookW))
	}
	s := strings.Join(cells, " ")
	if c.rules {
		s += "  BY RULE"
	}
	return s
}

func (c columns) row(r session.PastRun) string {
	kept := "no"
	if r.Stored {
		kept = "yes"
	}
	cells := []string{common.Pad(display.Stamp(r.StartedAt, c.now, c.zone), c.when),
		common.Pad(inert.Text(r.SID), c.sid), common.Pad(mode(r.RunSummary), modeW), common.Pad(r.Ending(), stateW),
		common.Pad(kept, keptW), common.PadLeft(fmt.Sprint(r.Alerts), alertsW), common.PadLeft(compact(r.Rows), rowsW),
		common.PadLeft(compact(r.Rejected), rejW)}
	if c.took {
		cells = append(cells, common.PadLeft(display.Span(took(r.RunSummary)), tookW))
	}
	s := strings.Join(cells, " ")
	if c.rules {
		s += "  " + byRule(r.RunSummary)
	}
	return s
}

// took is the run's duration, to the second.
func took(r triage.RunSummary) time.Duration {
	d := r.FinishedAt.Sub(r.StartedAt)
	if d < 0 {
		return 0
	}
	return d.Round(time.Second)
}

// compact writes a count to fit a narrow column: 12,345 or 1.2M.
func compact(n int64) string {
	switch {
	case n >= 10_000_000:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1_000_000:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	}
	return common.Thousands(n)
}
