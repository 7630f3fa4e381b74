package report

import (
	"strconv"

	"cam/engine/detect"
)

// AlertTriage is the triage state of one alert, from the state database:
// what `cam run --json` adds to each alert (id, status, first_seen_run,
// new, suppressed) and the exports' status columns.
type AlertTriage struct {
	ID           string
	Status       string // new, acknowledged, escalated, resolved
	Reason       string // the closing reason when resolved
	ResolvedBy   string // the SID that resolved it
	Note         string // the latest note
	FirstSeenRun int64
	New          bool // not seen in the previous complete run
	Suppressed   bool
}

// Open reports whether the alert still needs work: not resolved and not
// suppressed. `cam run` exits 1 when any alert is open.
func (t AlertTriage) Open() bool { return t.Status != "resolved" && !t.Suppressed }

// TriageLookup returns the triage state of an alert of the run; ok is
// false for an alert the state does not know (it is then written without
// triage fields and counted as open).
type TriageLookup func(a *detect.Alert) (t AlertTriage, ok bool)

// Triage column headers of the exports, after the alert's own columns.
var (
	TriageHeader    = []string{"Status", "Closing reason", "Resolved by", "Latest note"}
	TriageCSVHeader = []string{"status", "closing_reason", "resolved_by", "note"}
)

// triageCells returns the four triage cells of a, "" when unknown.
func triageCells(lookup TriageLookup, a *detect.Alert) [4]string {
	t, ok := lookup(a)
	if !ok {
		return [4]string{}
	}
	return [4]string{t.Status, t.Reason, t.ResolvedBy, t.Note}
}

// withTriage looks up every alert of order and keeps those shown: all, or
// open ones. An alert the state does not know is shown without state.
func withTriage(alerts []detect.Alert, order []int32, lookup TriageLookup, all bool) ([]int32, []*AlertTriage) {
	kept := order[:0:0]
	states := make([]*AlertTriage, 0, len(order))
	for _, i := range order {
		t, ok := lookup(&alerts[i])
		if ok && !all && !t.Open() {
			continue
		}
		kept = append(kept, i)
		if ok {
			states = append(states, &t)
		} else {
			states = append(states, nil)
		}
	}
	return kept, states
}

// appendTriage appends the alert's triage members as encoding/json would
// indent them inside an alert.
func appendTriage(b []byte, t *AlertTriage) []byte {
	b = append(b, ",\n      \"id\": "...)
	b = appendJSONString(b, t.ID)
	b = append(b, ",\n      \"status\": "...)
	b = appendJSONString(b, t.Status)
	b = append(b, ",\n      \"first_seen_run\": "...)
	b = strconv.AppendInt(b, t.FirstSeenRun, 10)
	b = append(b, ",\n      \"new\": "...)
	b = strconv.AppendBool(b, t.New)
	b = append(b, ",\n      \"suppressed\": "...)
	return strconv.AppendBool(b, t.Suppressed)
}
