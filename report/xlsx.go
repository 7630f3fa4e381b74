package report

import (
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/tealeg/xlsx/v3"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
)

// Sheet names of the workbook.
const (
	SheetSummary    = "Summary"
	SheetSuspicious = "Suspicious Users"
	SheetAlerts     = "Alerts"
	SheetEvidence   = "Evidence"
)

// Header rows of the data sheets; tests and readers rely on them.
var (
	SuspiciousHeader = []string{"User", "Window start (UTC)", "Window end (UTC)", "Password changed (UTC)", "Email changed (UTC)", "Phone changed (UTC)", "MFA token changed (UTC)"}
	AlertsHeader     = []string{"Rule", "Severity", "User", "Database", "First seen (UTC)", "Last seen (UTC)", "Count", "Message"}
	EvidenceHeader   = []string{"Finding", "User", "Type", "Time (UTC)", "Time (local)", "Database", "Query"}
	QueriesHeader    = []string{"Database", "Query", "Status", "Rows", "Rejected rows", "Attempts", "Duration (s)", "Error"}
)

// excelDateTime is the number format of date-time cells.
const excelDateTime = "yyyy-mm-dd hh:mm:ss"

// WriteWorkbook writes the run's workbook (Summary, Suspicious Users,
// Alerts, Evidence) for what the analyst sees to w.
func WriteWorkbook(w io.Writer, res engine.Result, view View, meta Meta) error {
	f := xlsx.NewFile()
	b := &book{f: f, zone: meta.zone()}
	if err := b.summary(res, view, meta); err != nil {
		return err
	}
	if err := b.suspicious(view.Takeovers); err != nil {
		return err
	}
	if err := b.alerts(view.Alerts); err != nil {
		return err
	}
	if err := b.evidence(view); err != nil {
		return err
	}
	return f.Write(w)
}

// book builds one workbook.
type book struct {
	f      *xlsx.File
	zone   *time.Location
	header *xlsx.Style
}

// sheet is a sheet under construction that tracks column widths.
type sheet struct {
	s      *xlsx.Sheet
	widths []int
	zone   *time.Location
}

func (b *book) newSheet(name string) (*sheet, error) {
	s, err := b.f.AddSheet(name)
	if err != nil {
		return nil, fmt.Errorf("workbook sheet %s: %w", name, err)
	}
	return &sheet{s: s, zone: b.zone}, nil
}

func (b *book) headerStyle() *xlsx.Style {
	if b.header == nil {
		st := xlsx.NewStyle()
		st.Font.Bold = true
		st.Fill = *xlsx.NewFill("solid", "FFD9E1F2", "FFD9E1F2")
		st.ApplyFont = true
		st.ApplyFill = true
		b.header = st
	}
	return b.header
}

// headerRow adds a styled header row.
func (b *book) headerRow(sh *sheet, cols []string) {
	r := sh.s.AddRow()
	for i, c := range cols {
		cell := r.AddCell()
		cell.SetString(c)
		cell.SetStyle(b.headerStyle())
		sh.fit(i, utf8.RuneCountInString(c))
	}
}

// freezeHeader keeps row 1 in view while scrolling.
func (sh *sheet) freezeHeader() {
	sh.s.SheetViews = []xlsx.SheetView{{Pane: &xlsx.Pane{
		YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft", State: "frozen",
	}}}
}

func (sh *sheet) fit(col, n int) {
	for len(sh.widths) <= col {
		sh.widths = append(sh.widths, 0)
	}
	if n > sh.widths[col] {
		sh.widths[col] = n
	}
}

// applyWidths sets each column to its widest cell, within sane bounds.
func (sh *sheet) applyWidths() {
	for i, w := range sh.widths {
		w = min(max(w+2, 8), 80)
		sh.s.SetColWidth(i+1, i+1, float64(w))
	}
}

// row adds a data row; values may be string, int, int64, float64,
// time.Time (a UTC date-time cell), localTime (a date-time in the
// analyst's zone) or nil (empty).
func (sh *sheet) row(values ...any) {
	r := sh.s.AddRow()
	for i, v := range values {
		cell := r.AddCell()
		if s, ok := v.(string); ok {
			v = xlsxText(s) // the one place a text reaches a cell
		}
		switch v := v.(type) {
		case nil:
		case string:
			cell.SetString(v)
			sh.fit(i, utf8.RuneCountInString(v))
		case int:
			cell.SetInt(v)
			sh.fit(i, len(itoa(v)))
		case int64:
			cell.SetInt64(v)
			sh.fit(i, len(itoa(int(v))))
		case float64:
			cell.SetFloat(v)
			sh.fit(i, 8)
		case time.Time:
			setTime(cell, v, time.UTC)
			sh.fit(i, len(excelDateTime))
		case localTime:
			setTime(cell, time.Time(v), sh.zone)
			sh.fit(i, len(excelDateTime))
		default:
			s := fmt.Sprint(v)
			cell.SetString(s)
			sh.fit(i, utf8.RuneCountInString(s))
		}
	}
}

// localTime marks a time to be shown in the analyst's zone.
type localTime time.Time

// setTime stores t as a real Excel date-time (a number with a date
// format) showing the wall clock of zone; a zero time stays empty.
func setTime(cell *xlsx.Cell, t time.Time, zone *time.Location) {
	if t.IsZero() {
		return
	}
	cell.SetDateWithOptions(t, xlsx.DateTimeOptions{Location: zone, ExcelTimeFormat: excelDateTime})
}

func (b *book) summary(res engine.Result, view View, meta Meta) error {
	sh, err := b.newSheet(SheetSummary)
	if err != nil {
		return err
	}
	b.headerRow(sh, []string{"Field", "Value"})
	sh.freezeHeader()
	filter := "none (all findings)"
	if view.Filter != "" {
		filter = view.Filter + " (export holds only the filtered rows)"
	}
	sh.row("Tool version", meta.Version)
	sh.row("SID", meta.SID)
	sh.row("Host", meta.Host)
	sh.row("Run started (UTC)", res.StartedAt)
	sh.row("Run finished (UTC)", res.FinishedAt)
	sh.row("Mode", string(res.Mode))
	sh.row("Takeover window", human(meta.TakeoverWindow))
	sh.row("Lookback", human(meta.Lookback))
	sh.row("Start date (UTC)", res.StartDate)
	if res.LastEventTime != nil {
		sh.row("Last event time (UTC)", *res.LastEventTime)
	} else {
		sh.row("Last event time (UTC)", "not set (sliding window)")
	}
	sh.row("Completeness", completeness(res))
	sh.row("Filter", filter)
	sh.row("Suspicious users", len(view.Takeovers))
	sh.row("Alerts", len(view.Alerts))
	sh.row()
	b.headerRow(sh, []string{"Rule", "Severity", "Alerts"})
	for _, c := range countAlerts(view.Alerts) {
		sh.row(string(c.Rule), c.Severity.String(), c.Count)
	}
	sh.row()
	b.headerRow(sh, QueriesHeader)
	for _, q := range res.Queries {
		sh.row(q.Database, q.Query, string(q.Status), q.Rows, q.Rejected, q.Attempts, q.Duration.Seconds(), q.Err)
	}
	sh.applyWidths()
	return nil
}

func (b *book) suspicious(tks []detect.Takeover) error {
	sh, err := b.newSheet(SheetSuspicious)
	if err != nil {
		return err
	}
	b.headerRow(sh, SuspiciousHeader)
	sh.freezeHeader()
	for _, tk := range tks {
		vals := []any{tk.User, tk.WindowStart, tk.WindowEnd}
		for _, ct := range config.ChangeTypes {
			if ev, ok := tk.Changes[ct]; ok {
				vals = append(vals, ev.Time)
			} else {
				vals = append(vals, nil)
			}
		}
		sh.row(vals...)
	}
	sh.applyWidths()
	return nil
}

func (b *book) alerts(alerts []detect.Alert) error {
	sh, err := b.newSheet(SheetAlerts)
	if err != nil {
		return err
	}
	b.headerRow(sh, AlertsHeader)
	sh.freezeHeader()
	for _, a := range alerts {
		sh.row(string(a.Rule), a.Severity.String(), a.User, a.Database, a.FirstSeen, a.LastSeen, a.Count, a.Message)
	}
	sh.applyWidths()
	return nil
}

// evidence lists every event behind every visible finding: the four
// changes of each takeover, then each alert's evidence.
func (b *book) evidence(view View) error {
	sh, err := b.newSheet(SheetEvidence)
	if err != nil {
		return err
	}
	b.headerRow(sh, EvidenceHeader)
	sh.freezeHeader()
	for _, r := range evidenceRows(view) {
		sh.row(r.finding, r.user, r.typ, r.at, localTime(r.at), r.database, r.query)
	}
	sh.applyWidths()
	return nil
}

// evidenceRow is one line of the Evidence sheet.
type evidenceRow struct {
	finding, user, typ, database, query string
	at                                  time.Time
}

func evidenceRows(view View) []evidenceRow {
	var out []evidenceRow
	for _, tk := range view.Takeovers {
		for _, ct := range config.ChangeTypes {
			if ev, ok := tk.Changes[ct]; ok {
				out = append(out, evidenceRow{string(detect.RuleTakeover), tk.User, string(ct), ev.Database, ev.Query, ev.Time})
			}
		}
	}
	for _, a := range view.Alerts {
		if a.Rule == detect.RuleTakeover {
			continue // its events are the takeover's changes above
		}
		for _, e := range a.Evidence {
			out = append(out, evidenceRow{string(a.Rule), a.User, e.Type, e.Database, e.Query, e.Time})
		}
	}
	return out
}
