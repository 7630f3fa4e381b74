package triage

import (
	"fmt"
	"strings"
)

// Status is where an alert stands in triage.
type Status string

// Statuses. An alert found for the first time is new.
const (
	StatusNew          Status = "new"
	StatusAcknowledged Status = "acknowledged"
	StatusEscalated    Status = "escalated"
	StatusResolved     Status = "resolved"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{StatusNew, StatusAcknowledged, StatusEscalated, StatusResolved}

// String is the status's stored and JSON name.
func (s Status) String() string { return string(s) }

// Open reports whether the alert still needs work: anything not resolved.
func (s Status) Open() bool { return s != StatusResolved }

// ParseStatus reads a status name, case-insensitively.
func ParseStatus(name string) (Status, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, s := range Statuses {
		if string(s) == n {
			return s, nil
		}
	}
	return "", fmt.Errorf("%q is not a status (new, acknowledged, escalated, resolved)", name)
}

// Reason is why a resolved alert was closed.
type Reason string

// Closing reasons.
const (
	ReasonTruePositive  Reason = "true_positive"
	ReasonFalsePositive Reason = "false_positive"
	ReasonBenign        Reason = "benign"
	ReasonDuplicate     Reason = "duplicate"
)

// Reasons lists every closing reason.
var Reasons = []Reason{ReasonTruePositive, ReasonFalsePositive, ReasonBenign, ReasonDuplicate}

// ParseReason reads a closing reason, case-insensitively.
func ParseReason(name string) (Reason, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, r := range Reasons {
		if string(r) == n {
			return r, nil
		}
	}
	return "", fmt.Errorf("%q is not a closing reason (true_positive, false_positive, benign, duplicate)", name)
}

// maxNoteLen bounds a note, in bytes; a note is for a sentence or two, and
// a pasted log would bloat every export row.
const maxNoteLen = 4000

// Change is one analyst action on an alert: a new status (with its reason
// when resolved), a note, an assignee. Status "" keeps the status and only
// adds the note (and the assignee, when set).
type Change struct {
	Status   Status
	Reason   Reason
	Note     string
	Assignee string // an SID; "" keeps the current one
}

// check validates a change on its own: any status may follow any other
// (a resolved alert may be reopened), so the current one does not matter.
func (c Change) check(id string) error {
	switch {
	case c.Status == "" && c.Note == "" && c.Assignee == "":
		return fmt.Errorf("alert %s: nothing to change (give a status, a note or an assignee)", id)
	case c.Status == StatusResolved && c.Reason == "":
		return fmt.Errorf("alert %s: resolving needs a closing reason (true_positive, false_positive, benign, duplicate)", id)
	case c.Status != StatusResolved && c.Reason != "":
		return fmt.Errorf("alert %s: a closing reason (%s) goes only with status resolved", id, c.Reason)
	case len(c.Note) > maxNoteLen:
		return fmt.Errorf("alert %s: the note is %d bytes; the limit is %d", id, len(c.Note), maxNoteLen)
	}
	if c.Status != "" {
		if _, err := ParseStatus(string(c.Status)); err != nil {
			return fmt.Errorf("alert %s: %w", id, err)
		}
	}
	if c.Reason != "" {
		if _, err := ParseReason(string(c.Reason)); err != nil {
			return fmt.Errorf("alert %s: %w", id, err)
		}
	}
	return nil
}
