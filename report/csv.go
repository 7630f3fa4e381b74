package report

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"cam/config"
	"cam/engine/detect"
)

// CSV headers: stable column names for scripts and spreadsheets.
var (
	SuspiciousCSVHeader = []string{"user_id", "window_start", "window_end", "password_changed", "email_changed", "phone_changed", "token_changed"}
	AlertsCSVHeader     = []string{"rule", "severity", "user", "database", "first_seen", "last_seen", "count", "message"}
)

// SuspiciousCSVHeaderFor is the suspicious-users header for the run's
// takeover types: a TYPE_changed column per type (SuspiciousCSVHeader for
// the default four).
func SuspiciousCSVHeaderFor(types []config.ChangeType) []string {
	h := slices.Clone(SuspiciousCSVHeader[:3])
	for _, ct := range TakeoverTypes(types) {
		h = append(h, string(ct)+"_changed")
	}
	return h
}

// WriteSuspiciousCSV writes one row per suspicious user: RFC 4180 (CRLF,
// quoting as needed), UTF-8, times RFC 3339 in UTC; a type's column is
// empty when it did not change in the window. types are the run's takeover
// types (nil: the default four).
func WriteSuspiciousCSV(w io.Writer, tks []detect.Takeover, types []config.ChangeType) error {
	cw := newCSV(w)
	if err := cw.Write(SuspiciousCSVHeaderFor(types)); err != nil {
		return err
	}
	for _, tk := range tks {
		rec := []string{cell(tk.User), csvTime(tk.WindowStart), csvTime(tk.WindowEnd)}
		for _, ct := range TakeoverTypes(types) {
			if ev, ok := tk.Changes[ct]; ok {
				rec = append(rec, csvTime(ev.Time))
			} else {
				rec = append(rec, "")
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteAlertsCSV writes one row per alert, in the given order.
func WriteAlertsCSV(w io.Writer, alerts []detect.Alert) error {
	return WriteAlertsCSVTriage(w, alerts, nil)
}

// WriteAlertsCSVTriage is WriteAlertsCSV with the triage columns
// (TriageCSVHeader) after the alert's own when lookup is not nil.
func WriteAlertsCSVTriage(w io.Writer, alerts []detect.Alert, lookup TriageLookup) error {
	cw := newCSV(w)
	header := AlertsCSVHeader
	if lookup != nil {
		header = append(slices.Clone(header), TriageCSVHeader...)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := range alerts {
		a := &alerts[i]
		rec := []string{string(a.Rule), a.Severity.String(), cell(a.User), cell(a.Database),
			csvTime(a.FirstSeen), csvTime(a.LastSeen), strconv.Itoa(a.Count), cell(a.Message)}
		if lookup != nil {
			t := triageCells(lookup, a)
			rec = append(rec, t[0], t[1], cell(t[2]), cell(t[3]))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func newCSV(w io.Writer) *csv.Writer {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180 line breaks
	return cw
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// cell defuses spreadsheet formulas: a value from the database starting
// with = + - @ (an attempted username can be anything) would otherwise run
// as a formula when the CSV is opened in Excel. A leading apostrophe makes
// Excel show it as text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
