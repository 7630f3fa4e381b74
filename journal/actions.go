package journal

import (
	"time"

	"cam/config"
	"cam/engine"
)

// Triage actions: an alert's status or note changed, a change undone, a
// suppression added (from the TUI or `cam triage`).
const (
	ActionTriageSet        = "triage_set"
	ActionTriageUndo       = "triage_undo"
	ActionSuppressionAdded = "suppression_added"
)

// TriageDetails are the audit details of a triage change: the alert's id
// (a hash, not the user), the statuses, the closing reason and the note's
// length; never the note, which may quote a user's data.
func TriageDetails(alertID, from, to, reason string, noteLen int) map[string]any {
	d := map[string]any{"alert": alertID, "from": from, "to": to, "note_len": noteLen}
	if reason != "" {
		d["reason"] = reason
	}
	return d
}

// SuppressionDetails are the audit details of a suppression: its id, its
// rule ("all" for every rule) and how long it lasts; never the user or the
// reason's text, which live in the state database.
func SuppressionDetails(id int64, rule string, d time.Duration) map[string]any {
	if rule == "" {
		rule = "all"
	}
	return map[string]any{"suppression_id": id, "rule": rule, "duration": d}
}

// RunStartedDetails are the audit details of a run start: how many
// queries over how many databases, in which mode.
func RunStartedDetails(runID int64, cfg *config.Config, mode engine.Mode) map[string]any {
	n := 0
	for _, db := range cfg.Databases {
		n += len(db.Queries)
	}
	return map[string]any{"run_id": runID, "queries": n, "mode": string(mode)}
}

// RunFinishedDetails are the audit details of a finished run: counts and
// completeness, never the users found.
func RunFinishedDetails(res engine.Result) map[string]any {
	failed := 0
	var rows, rejected int64
	for _, q := range res.Queries {
		if q.Status != engine.StatusOK {
			failed++
		}
		rows += q.Rows
		rejected += q.Rejected
	}
	return map[string]any{
		"run_id": res.RunID, "queries": len(res.Queries), "failed": failed, "rows": rows, "rejected": rejected,
		"suspicious": len(res.Findings.Takeovers), "candidates": len(res.Findings.Candidates),
		"alerts": len(res.Findings.Alerts), "complete": res.Complete, "cancelled": res.Cancelled,
		"duration": res.FinishedAt.Sub(res.StartedAt),
	}
}

// ExportDetails are the audit details of an export: the formats and the
// files cam wrote, how many rows went out, and whether a filter narrowed
// them (its length only: the filter text may be a user id).
func ExportDetails(runID int64, formats, files []string, alerts, suspicious int, filter string) map[string]any {
	return map[string]any{"run_id": runID, "formats": formats, "files": files, "alerts": alerts,
		"suspicious": suspicious, "filter_active": filter != "", "filter_len": len(filter)}
}
