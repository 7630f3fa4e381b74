package report

import (
	"cam/internal/display"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

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

// SuspiciousHeaderFor is the Suspicious Users header for the run's
// takeover types: a "TYPE changed (UTC)" column per type, the default four
// as SuspiciousHeader names them.
func SuspiciousHeaderFor(types []config.ChangeType) []string {
	h := slices.Clone(SuspiciousHeader[:3])
	for _, ct := range TakeoverTypes(types) {
		if i := slices.Index(config.ChangeTypes, ct); i >= 0 {
			h = append(h, SuspiciousHeader[3+i])
		} else {
			h = append(h, strings.ToUpper(string(ct[:1]))+strings.ReplaceAll(string(ct[1:]), "_", " ")+" changed (UTC)")
		}
	}
	return h
}

// excelDateTime is the number format of date-time cells.
const excelDateTime = "yyyy-mm-dd hh:mm:ss"

// WriteWorkbook writes the run's workbook (Summary, Suspicious Users,
// Alerts, Evidence) for what the analyst sees to w, streaming each sheet
// so memory does not grow with the number of rows.
func WriteWorkbook(w io.Writer, res engine.Result, view View, meta Meta) error {
	wb := newWorkbookWriter(w, meta.zone())
	sheets := []sheetSpec{
		{SheetSummary, true, func(s rowSink) error { return summaryRows(s, res, view, meta) }},
		{SheetSuspicious, true, func(s rowSink) error { return suspiciousRows(s, view.Takeovers, view.Types) }},
		{SheetAlerts, true, func(s rowSink) error { return alertRows(s, view.Alerts, view.Triage) }},
		{SheetEvidence, true, func(s rowSink) error { return evidenceSheetRows(s, view) }},
	}
	for _, sh := range sheets {
		if err := wb.sheet(sh); err != nil {
			return fmt.Errorf("workbook sheet %s: %w", sh.name, err)
		}
	}
	return wb.close()
}

// localTime marks a time to be shown in the analyst's zone.
type localTime time.Time

func summaryRows(sh rowSink, res engine.Result, view View, meta Meta) error {
	sh.header([]string{"Field", "Value"})
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
	sh.header([]string{"Rule", "Severity", "Alerts"})
	for _, c := range countAlerts(view.Alerts) {
		sh.row(display.Rule(c.Rule), c.Severity.String(), c.Count)
	}
	sh.row()
	sh.header(QueriesHeader)
	for _, q := range res.Queries {
		sh.row(q.Database, q.Query, string(q.Status), q.Rows, q.Rejected, q.Attempts, q.Duration.Seconds(), q.Err)
	}
	return nil // a write error sticks in the sink and ends the sheet
}

func suspiciousRows(sh rowSink, tks []detect.Takeover, types []config.ChangeType) error {
	if err := sh.header(SuspiciousHeaderFor(types)); err != nil {
		return err
	}
	for _, tk := range tks {
		vals := []any{tk.User, tk.WindowStart, tk.WindowEnd}
		for _, ct := range TakeoverTypes(types) {
			if ev, ok := tk.Changes[ct]; ok {
				vals = append(vals, ev.Time)
			} else {
				vals = append(vals, nil)
			}
		}
		if err := sh.row(vals...); err != nil {
			return err
		}
	}
	return nil
}

func alertRows(sh rowSink, alerts []detect.Alert, lookup TriageLookup) error {
	header := AlertsHeader
	if lookup != nil {
		header = append(slices.Clone(header), TriageHeader...)
	}
	if err := sh.header(header); err != nil {
		return err
	}
	for i := range alerts {
		a := &alerts[i]
		vals := []any{display.Rule(a.Rule), a.Severity.String(), a.User, a.Database, a.FirstSeen, a.LastSeen, a.Count, a.Message}
		if lookup != nil {
			t := triageCells(lookup, a)
			vals = append(vals, t[0], t[1], t[2], t[3])
		}
		if err := sh.row(vals...); err != nil {
			return err
		}
	}
	return nil
}

// evidenceSheetRows lists every event behind every visible finding: the
// four changes of each takeover, then each alert's evidence.
func evidenceSheetRows(sh rowSink, view View) error {
	if err := sh.header(EvidenceHeader); err != nil {
		return err
	}
	return eachEvidence(view, func(r evidenceRow) error {
		return sh.row(r.finding, r.user, r.typ, r.at, localTime(r.at), r.database, r.query)
	})
}

// evidenceRow is one line of the Evidence sheet.
type evidenceRow struct {
	finding, user, typ, database, query string
	at                                  time.Time
}

// eachEvidence calls fn for each evidence row in order, without building
// the list (it can be millions of rows).
func eachEvidence(view View, fn func(evidenceRow) error) error {
	for _, tk := range view.Takeovers {
		for _, ct := range TakeoverTypes(view.Types) {
			if ev, ok := tk.Changes[ct]; ok {
				if err := fn(evidenceRow{string(detect.RuleTakeover), tk.User, string(ct), ev.Database, ev.Query, ev.Time}); err != nil {
					return err
				}
			}
		}
	}
	for _, a := range view.Alerts {
		if a.Rule == detect.RuleTakeover {
			continue // its events are the takeover's changes above
		}
		for _, e := range a.Evidence {
			if err := fn(evidenceRow{display.Rule(a.Rule), a.User, e.Type, e.Database, e.Query, e.Time}); err != nil {
				return err
			}
		}
	}
	return nil
}
