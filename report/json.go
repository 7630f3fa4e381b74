// Package report turns a run's result into what analysts hand on: the JSON
// document of `cam run --json`, the Excel workbook and CSV files, the
// mailto link and .eml draft, and the paste-ready summary. Every file is
// written atomically with owner-only permissions.
package report

import (
	"encoding/json"
	"io"
	"sort"
	"time"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
)

// Document is the JSON that `cam run --json` prints: exactly one per run.
// Field names are a contract with scripts.
type Document struct {
	Run                  RunInfo          `json:"run"`
	Queries              []QueryInfo      `json:"queries"`
	SuspiciousUsers      []SuspiciousUser `json:"suspicious_users"`
	IncompleteCandidates []Candidate      `json:"incomplete_candidates"`
	Alerts               []AlertInfo      `json:"alerts"`
	Reports              []string         `json:"reports"`
	// Mailto is the mail link of `cam run --mailto`; absent otherwise.
	Mailto string `json:"mailto,omitempty"`
}

// RunInfo describes the run itself.
type RunInfo struct {
	SID           string  `json:"sid"`
	StartedAt     string  `json:"started_at"`
	FinishedAt    string  `json:"finished_at"`
	StartDate     string  `json:"start_date"`
	Mode          string  `json:"mode"`
	LastEventTime *string `json:"last_event_time"`
	Complete      bool    `json:"complete"`
	// TakeoverTypes are detection.takeover_types: the change types the
	// takeover rule looked for.
	TakeoverTypes []string `json:"takeover_types"`
}

// QueryInfo is one database/query outcome.
type QueryInfo struct {
	Database     string `json:"database"`
	Query        string `json:"query"`
	Kind         string `json:"kind"`
	ChangeType   string `json:"change_type,omitempty"`
	Status       string `json:"status"`
	Rows         int64  `json:"rows"`
	RejectedRows int64  `json:"rejected_rows"`
	// Rejected counts rejected_rows by reason (null_user, empty_user,
	// null_time, not_text_time, unparseable_time, out_of_range_time,
	// unreadable_row); {} when none.
	Rejected   map[string]int64 `json:"rejected"`
	Attempts   int              `json:"attempts"`
	DurationMS int64            `json:"duration_ms"`
	ErrorClass string           `json:"error_class"`
	Error      string           `json:"error"`
}

// SuspiciousUser is an account-takeover finding. Changes has a time for
// each type that changed in the window; ChangedTypes and MissingTypes split
// the configured types (in their order) by whether they did; Severity is
// critical with none missing, high otherwise (detection.takeover_min_types).
type SuspiciousUser struct {
	UserID       string            `json:"user_id"`
	WindowStart  string            `json:"window_start"`
	WindowEnd    string            `json:"window_end"`
	Changes      map[string]string `json:"changes"`
	Severity     string            `json:"severity"`
	ChangedTypes []string          `json:"changed_types"`
	MissingTypes []string          `json:"missing_types"`
}

// Candidate is a possible takeover in an incomplete run.
type Candidate struct {
	UserID  string   `json:"user_id"`
	Missing []string `json:"missing"`
}

// AlertInfo is one alert of any rule.
type AlertInfo struct {
	Rule      string `json:"rule"`
	Severity  string `json:"severity"`
	User      string `json:"user"`
	Database  string `json:"database"`
	FirstSeen string `json:"first_seen"`
	LastSeen  string `json:"last_seen"`
	Count     int    `json:"count"`
	Message   string `json:"message"`
	// TriageInfo is present when the run was annotated from the triage
	// state (WriteJSONTriage).
	*TriageInfo
}

// TriageInfo is the triage state `cam run --json` adds to each alert.
type TriageInfo struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	FirstSeenRun int64  `json:"first_seen_run"`
	New          bool   `json:"new"`
	Suppressed   bool   `json:"suppressed"`
}

// stamp formats an instant for the document: RFC 3339 in UTC, so scripts
// compare strings without zone arithmetic.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// NewDocument builds the JSON document of a result. reports lists files
// written for the run (none yet is an empty list, never null).
func NewDocument(res engine.Result, sid string, reports []string) Document {
	d := Document{
		Run: RunInfo{
			SID:        sid,
			StartedAt:  stamp(res.StartedAt),
			FinishedAt: stamp(res.FinishedAt),
			StartDate:  stamp(res.StartDate),
			Mode:       string(res.Mode),
			Complete:   res.Complete,
		},
		Queries:              make([]QueryInfo, 0, len(res.Queries)),
		SuspiciousUsers:      make([]SuspiciousUser, 0, len(res.Findings.Takeovers)),
		IncompleteCandidates: make([]Candidate, 0, len(res.Findings.Candidates)),
		Reports:              append([]string{}, reports...),
	}
	if res.LastEventTime != nil {
		s := stamp(*res.LastEventTime)
		d.Run.LastEventTime = &s
	}
	for _, q := range res.Queries {
		d.Queries = append(d.Queries, QueryInfo{
			Database: q.Database, Query: q.Query, Kind: string(q.Kind), ChangeType: string(q.ChangeType),
			Status: string(q.Status), Rows: q.Rows, RejectedRows: q.Rejected, Rejected: rejectedByReason(q.RejectedBy), Attempts: q.Attempts,
			DurationMS: q.Duration.Milliseconds(), ErrorClass: string(q.Class), Error: q.Err,
		})
	}
	types := TakeoverTypes(res.TakeoverTypes)
	d.Run.TakeoverTypes = typeNames(types)
	for _, tk := range res.Findings.Takeovers {
		changed, missing := tk.ChangedTypes(types)
		su := SuspiciousUser{UserID: tk.User, WindowStart: stamp(tk.WindowStart), WindowEnd: stamp(tk.WindowEnd),
			Changes: make(map[string]string, len(changed)), Severity: tk.Severity(types).String(),
			ChangedTypes: typeNames(changed), MissingTypes: typeNames(missing)}
		for _, ct := range changed {
			su.Changes[string(ct)] = stamp(tk.Changes[ct].Time)
		}
		d.SuspiciousUsers = append(d.SuspiciousUsers, su)
	}
	for _, c := range res.Findings.Candidates {
		missing := make([]string, 0, len(c.Missing))
		for _, m := range c.Missing {
			missing = append(missing, string(m))
		}
		d.IncompleteCandidates = append(d.IncompleteCandidates, Candidate{UserID: c.User, Missing: missing})
	}
	sort.SliceStable(d.SuspiciousUsers, func(i, j int) bool { return d.SuspiciousUsers[i].UserID < d.SuspiciousUsers[j].UserID })
	sort.SliceStable(d.IncompleteCandidates, func(i, j int) bool {
		return d.IncompleteCandidates[i].UserID < d.IncompleteCandidates[j].UserID
	})
	d.Alerts = make([]AlertInfo, 0, len(res.Findings.Alerts))
	for _, i := range alertOrder(res.Findings.Alerts) {
		d.Alerts = append(d.Alerts, alertInfo(res.Findings.Alerts[i]))
	}
	return d
}

// typeNames returns the types' names; an empty list, never null.
func typeNames(types []config.ChangeType) []string {
	out := make([]string, 0, len(types))
	for _, ct := range types {
		out = append(out, string(ct))
	}
	return out
}

func alertInfo(a detect.Alert) AlertInfo {
	return AlertInfo{
		Rule: string(a.Rule), Severity: a.Severity.String(), User: a.User, Database: a.Database,
		FirstSeen: stamp(a.FirstSeen), LastSeen: stamp(a.LastSeen), Count: a.Count, Message: a.Message,
	}
}

// alertOrder enforces the documented order even if a producer changes:
// alerts by severity (worst first), then time; it returns positions, so
// a large run's alerts are not copied to be sorted.
func alertOrder(alerts []detect.Alert) []int32 {
	idx := make([]int32, len(alerts))
	for i := range idx {
		idx[i] = int32(i)
	}
	sort.SliceStable(idx, func(x, y int) bool {
		a, b := &alerts[idx[x]], &alerts[idx[y]]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		return a.FirstSeen.Before(b.FirstSeen)
	})
	return idx
}

// Write encodes d as indented JSON followed by a newline.
func (d Document) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// rejectedByReason is never nil, so scripts always find an object.
func rejectedByReason(by map[string]int64) map[string]int64 {
	if by == nil {
		return map[string]int64{}
	}
	return by
}
