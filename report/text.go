package report

import (
	"cam/internal/display"
	"strconv"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

// utc formats an instant as the reports' text timestamp.
func utc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

// human formats a duration as every screen does ("24h", "3h 12m",
// "30d"); a zero duration, an unset one, is blank.
func human(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return display.Span(d)
}

// runStamp is the run's timestamp in file names, in the analyst's zone.
func runStamp(t time.Time, zone *time.Location) string {
	return t.In(zone).Format("20060102_150405")
}
