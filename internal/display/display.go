// Package display holds the words and formats every front end and report
// shows to an analyst: one short name per rule, spans as people write them
// ("24h", "3h 12m") and times in one display zone. Keeping them in one
// place is what makes the table, the filter, the summary, the exports and
// the help agree.
package display

import (
	"strings"
	"time"

	"cam/engine/detect"
	"cam/internal/span"
)

// ruleNames are the rules' short names. They are words an analyst types
// into the filter, so they stay lower case and short.
var ruleNames = map[detect.Rule]string{
	detect.RuleTakeover:      "takeover",
	detect.RuleBruteForce:    "brute force",
	detect.RuleOffHours:      "off-hours",
	detect.RuleRoleViolation: "guest write",
}

// Rule is the short name of a rule as every screen and report shows it.
// An unknown rule shows as its identifier, so nothing is ever blank.
func Rule(r detect.Rule) string {
	if n, ok := ruleNames[r]; ok {
		return n
	}
	return string(r)
}

// Rules are the four rules in their reporting order.
func Rules() []detect.Rule {
	return []detect.Rule{detect.RuleTakeover, detect.RuleBruteForce, detect.RuleOffHours, detect.RuleRoleViolation}
}

// Span prints a duration as an analyst writes it (span.Format): "24h",
// "3h 12m", "45m", "4m 30s".
func Span(d time.Duration) string { return span.Format(d) }

// ZoneName names a zone for a column header: its IANA name, or for the
// process's Local zone the abbreviation in force now ("CET").
func ZoneName(loc *time.Location) string {
	if loc == nil {
		return "UTC"
	}
	if loc == time.Local {
		name, _ := time.Now().In(loc).Zone()
		return name
	}
	return loc.String()
}

// Stamp formats t in zone to the minute, with the year only when it is not
// now's year: "11-03 14:02", "2025-11-03 14:02".
func Stamp(t, now time.Time, zone *time.Location) string {
	t = t.In(zone)
	if t.Year() != now.In(zone).Year() {
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("01-02 15:04")
}

// StampSeconds is Stamp to the second.
func StampSeconds(t, now time.Time, zone *time.Location) string {
	t = t.In(zone)
	if t.Year() != now.In(zone).Year() {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("01-02 15:04:05")
}

// Window renders first–last compactly in zone: "11-03 14:02–15:10" within
// a day, "11-03 14:02–11-04 13:59" across days, one stamp when they are
// equal; years appear as Stamp decides.
func Window(first, last, now time.Time, zone *time.Location) string {
	a, b := first.In(zone), last.In(zone)
	if a.Equal(b) {
		return StampSeconds(a, now, zone)
	}
	if a.YearDay() == b.YearDay() && a.Year() == b.Year() {
		return Stamp(a, now, zone) + "–" + b.Format("15:04")
	}
	return Stamp(a, now, zone) + "–" + Stamp(b, now, zone)
}

// ClassedError joins an error class and its message for one line, without
// saying the class twice ("connection: connection to db:1521 failed" reads
// as a stutter).
func ClassedError(class, msg string) string {
	if class == "" || strings.HasPrefix(strings.ToLower(msg), strings.ToLower(class)) {
		return msg
	}
	if msg == "" {
		return class
	}
	return class + ": " + msg
}
