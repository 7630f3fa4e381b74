package results

import (
	"fmt"

	"cam/engine/detect"
	"cam/internal/display"
	"cam/internal/inert"
	"cam/report"
	"cam/triage"
	"cam/tui/common"
)

// describeState is a status with its closing reason.
func describeState(st triage.Status, r triage.Reason) string {
	if r != "" {
		return string(st) + " (" + string(r) + ")"
	}
	return string(st)
}

// statusCell is the status column's text: a marker that reads without
// colour ("★" new since the last run, "⊘" suppressed) and a short status.
func statusCell(st rowState) string {
	mark := " "
	switch {
	case st.suppressed:
		mark = "⊘"
	case st.isNew:
		mark = "★"
	}
	short := map[triage.Status]string{triage.StatusNew: "new", triage.StatusAcknowledged: "ack",
		triage.StatusEscalated: "ESC", triage.StatusResolved: "done"}[st.status]
	if short == "" {
		short = string(st.status)
	}
	return mark + " " + short
}

// triageControl is the table's key line with a state: the triage keys,
// the open/all toggle and the last change.
func (m Model) triageControl() string {
	if m.triageNote != "" {
		return m.triageNote
	}
	k := m.c.Keys
	view := "open only"
	if m.showAll {
		view = "all"
	}
	return fmt.Sprintf("/ filter (status: rule: sev: user:) · %s ack · %s escalate · %s resolve · %s note · %s suppress · %s undo · %s %s",
		k.Acknowledge.Help().Key, k.Escalate.Help().Key, k.Resolve.Help().Key, k.Note.Help().Key, k.Suppress.Help().Key,
		k.Undo.Help().Key, k.ShowAll.Help().Key, view)
}

// historyLines are the detail view's triage: the alert's status and its
// history, notes included, oldest first.
func (m Model) historyLines() []string {
	id, ok := m.selectedID()
	if !ok {
		return nil
	}
	st := m.c.Styles
	rs := m.states[id]
	head := fmt.Sprintf("Triage %s: %s", id, describeState(rs.status, rs.reason))
	if rs.suppressed {
		head += " · suppressed"
	}
	if rs.isNew {
		head += " · new since the last run"
	}
	lines := []string{st.Header.Render(common.Truncate(head, m.w))}
	if m.histErr != nil {
		return append(lines, st.WarnText.Render(common.Truncate("history unreadable: "+m.histErr.Error(), m.w)))
	}
	for _, h := range m.hist {
		what := ""
		switch h.Kind {
		case triage.KindEvidence:
			what = fmt.Sprintf("evidence grew to %d", h.Count)
		case triage.KindNote:
			what = "note"
		default:
			what = describeState(h.FromStatus, h.FromReason) + " → " + describeState(h.ToStatus, h.ToReason)
			if h.Kind == triage.KindUndo {
				what = "undo: " + what
			}
		}
		line := fmt.Sprintf("  %s %s (%s) %s", display.Stamp(h.At, m.c.Now(), m.c.Zone), inert.Text(h.SID), inert.Text(h.OSUser), what)
		if h.Note != "" {
			line += ": " + inert.Text(h.Note)
		}
		lines = append(lines, common.Truncate(line, m.w))
	}
	return lines
}

// TriageLookup is the states as the exports' status columns read them,
// nil without a state. It copies the states: the export runs in a
// command while the pane goes on changing.
func (m Model) TriageLookup() report.TriageLookup {
	if m.states == nil {
		return nil
	}
	states, business := make(map[string]rowState, len(m.states)), m.business
	for id, st := range m.states {
		states[id] = st
	}
	return func(a *detect.Alert) (report.AlertTriage, bool) {
		id := triage.AlertID(a, business)
		st, ok := states[id]
		if !ok {
			return report.AlertTriage{}, false
		}
		return report.AlertTriage{ID: id, Status: string(st.status), Reason: string(st.reason), Note: st.note,
			ResolvedBy: st.resolvedBy, New: st.isNew, Suppressed: st.suppressed}, true
	}
}
