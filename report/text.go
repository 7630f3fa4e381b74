package report

import (
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

// human formats a duration without trailing zero units: hours up to three
// days ("24h", as analysts name the takeover window), days beyond ("30d").
func human(d time.Duration) string {
	switch {
	case d == 0:
		return ""
	case d > 72*time.Hour && d%(24*time.Hour) == 0:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return d.String()
}

// runStamp is the run's timestamp in file names, in the analyst's zone.
func runStamp(t time.Time, zone *time.Location) string {
	return t.In(zone).Format("20060102_150405")
}
