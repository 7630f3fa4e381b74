package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"testing"
	"time"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
)

func TestDocumentFieldsAreTheContract(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	t0 := time.Date(2026, 11, 3, 14, 0, 0, 0, london)
	res := engine.Result{
		StartedAt: t0, FinishedAt: t0.Add(2 * time.Second), StartDate: t0.Add(-720 * time.Hour),
		Mode: engine.ModeSliding, Complete: false,
		Queries: []engine.QueryResult{
			{Database: "db1", Query: "Get all email changes", Kind: config.KindChange, ChangeType: config.ChangeEmail,
				Status: engine.StatusFailed, Attempts: 3, Duration: 1500 * time.Millisecond, Class: engine.ClassConnection, Err: "down"},
			{Database: "db2", Query: "Activity log", Kind: config.KindActivity, Status: engine.StatusOK, Rows: 10, Rejected: 1, Attempts: 1},
		},
		Findings: detect.Findings{
			Takeovers: []detect.Takeover{{User: "b", WindowStart: t0, WindowEnd: t0.Add(time.Hour), Changes: map[config.ChangeType]detect.ChangeEvent{
				config.ChangePassword: {Time: t0}, config.ChangeEmail: {Time: t0.Add(time.Minute)},
				config.ChangePhone: {Time: t0.Add(2 * time.Minute)}, config.ChangeToken: {Time: t0.Add(time.Hour)},
			}}},
			Candidates: []detect.Candidate{{User: "z", Missing: []config.ChangeType{config.ChangeEmail}}},
			Alerts: []detect.Alert{
				{Rule: detect.RuleOffHours, Severity: detect.SeverityMedium, User: "m", FirstSeen: t0, LastSeen: t0, Count: 2},
				{Rule: detect.RuleTakeover, Severity: detect.SeverityCritical, User: "b", FirstSeen: t0.Add(time.Hour), LastSeen: t0, Count: 4},
				{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh, User: "x", FirstSeen: t0, LastSeen: t0, Count: 7},
				{Rule: detect.RuleRoleViolation, Severity: detect.SeverityCritical, User: "g", FirstSeen: t0, LastSeen: t0, Count: 1},
			},
		},
	}
	var buf bytes.Buffer
	if err := NewDocument(res, "A12345", nil).Write(&buf); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	assertKeys(t, "top level", raw, "run", "queries", "suspicious_users", "incomplete_candidates", "alerts", "reports")
	run := raw["run"].(map[string]any)
	assertKeys(t, "run", run, "sid", "started_at", "finished_at", "start_date", "mode", "last_event_time", "complete", "takeover_types")
	if !reflect.DeepEqual(run["takeover_types"], []any{"password", "email", "phone", "token"}) {
		t.Errorf("takeover_types = %v, want the default four", run["takeover_types"])
	}
	if run["last_event_time"] != nil {
		t.Errorf("sliding run: last_event_time = %v, want null", run["last_event_time"])
	}
	if run["started_at"] != "2026-11-03T14:00:00Z" {
		t.Errorf("started_at = %v, want RFC 3339 UTC", run["started_at"])
	}
	q := raw["queries"].([]any)[0].(map[string]any)
	assertKeys(t, "query", q, "database", "query", "kind", "change_type", "status", "rows", "rejected_rows", "rejected",
		"attempts", "duration_ms", "error_class", "error")
	if by, ok := q["rejected"].(map[string]any); !ok || len(by) != 0 {
		t.Errorf("rejected = %v, want {} when no row was rejected", q["rejected"])
	}
	if q["duration_ms"].(float64) != 1500 || q["error_class"] != "connection" {
		t.Errorf("query = %v", q)
	}
	if reports, ok := raw["reports"].([]any); !ok || len(reports) != 0 {
		t.Errorf("reports = %v, want []", raw["reports"])
	}
	su := raw["suspicious_users"].([]any)[0].(map[string]any)
	assertKeys(t, "suspicious user", su, "user_id", "window_start", "window_end", "changes", "severity", "changed_types", "missing_types")
	if su["severity"] != "critical" || len(su["changed_types"].([]any)) != 4 || len(su["missing_types"].([]any)) != 0 {
		t.Errorf("suspicious user = %v, want critical with four changed and none missing", su)
	}
	assertKeys(t, "changes", su["changes"].(map[string]any), "password", "email", "phone", "token")
	c := raw["incomplete_candidates"].([]any)[0].(map[string]any)
	if !reflect.DeepEqual(c["missing"], []any{"email"}) {
		t.Errorf("candidate = %v", c)
	}

	var doc Document
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, a := range doc.Alerts {
		order = append(order, a.Severity+"/"+a.User)
	}
	// Worst first, then earliest first within a severity.
	want := []string{"critical/g", "critical/b", "high/x", "medium/m"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("alert order %v, want %v", order, want)
	}
}

func assertKeys(t *testing.T, what string, m map[string]any, want ...string) {
	t.Helper()
	var got []string
	for k := range m {
		got = append(got, k)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s keys = %v, want %v", what, got, want)
	}
}
