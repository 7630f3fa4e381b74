package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cam/engine"
	"cam/engine/detect"
	"cam/journal"
	"cam/triage"
)

// triageFixture writes a configuration (state in its own directory) and
// stores one run with a brute force by u1 and an off-hours alert by u2.
// It returns the config dir and the alerts' ids by rule.
func triageFixture(t *testing.T) (string, map[detect.Rule]string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cam")
	if code, _, stderr := runCam(t, "init", dir, "--sid", "A12345"); code != ExitOK {
		t.Fatalf("init: %s", stderr)
	}
	t.Setenv("XDG_STATE_HOME", filepath.Join(t.TempDir(), "state"))
	cfg, ok := loadConfig(dir, IO{Err: os.Stderr})
	if !ok {
		t.Fatal("fixture config does not load")
	}
	p := detect.ParamsFrom(cfg.Settings.Detection, nil)
	acc := detect.NewAccumulator(p)
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	for i := range 7 {
		acc.AddActivity(detect.ActivityEvent{User: "u1", Time: t0.Add(time.Duration(i) * time.Second), Operation: "LOGIN",
			Status: "FAILED", Database: "crm", Query: "logins"})
	}
	night := time.Date(2026, 11, 2, 2, 0, 0, 0, cfg.Settings.Detection.BusinessLocation)
	acc.AddActivity(detect.ActivityEvent{User: "u2\x1b[31m", Time: night, Operation: "UPDATE", Status: "SUCCESS", Database: "crm", Query: "activity"})
	f := acc.Findings(nil)
	s, err := openStateStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	sum, err := s.Record(ctx, engine.Result{StartedAt: t0, FinishedAt: t0, Complete: true, Findings: f}, "A12345", triage.ModeHeadless)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Annotate(ctx, sum.ID, f, cfg.Settings.Detection.BusinessLocation)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[detect.Rule]string{}
	for i, a := range f.Alerts {
		ids[a.Rule] = n.Of(i).ID
	}
	if len(ids) != 2 {
		t.Fatalf("fixture: alerts %v", ids)
	}
	return dir, ids
}

// auditEntries returns the actions of the audit trail of config dir.
func auditEntries(t *testing.T, dir string) []journal.AuditEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "logs", journal.AuditFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []journal.AuditEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e journal.AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func TestTriageSetListAndHistory(t *testing.T) {
	dir, ids := triageFixture(t)
	bf := ids[detect.RuleBruteForce]

	code, stdout, stderr := runCam(t, "triage", "set", bf, "resolved", "--reason", "false_positive", "--note", "pen test", "--config-dir", dir)
	if code != ExitOK || !strings.Contains(stdout, "new → resolved (false_positive)") {
		t.Fatalf("set: exit %d, %q, %q", code, stdout, stderr)
	}
	code, stdout, _ = runCam(t, "triage", "list", "--config-dir", dir)
	if code != ExitOK || strings.Contains(stdout, bf) || !strings.Contains(stdout, ids[detect.RuleOffHours]) {
		t.Errorf("list after resolving: exit %d\n%s", code, stdout)
	}
	if strings.Contains(stdout, "\x1b") {
		t.Errorf("list printed a raw escape from a user id: %q", stdout)
	}
	code, stdout, _ = runCam(t, "triage", "list", "--status", "resolved", "--json", "--config-dir", dir)
	var doc struct {
		Alerts []struct {
			ID, Status, ClosingReason, ResolvedBy, Note string
		} `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != ExitOK {
		t.Fatalf("list --json: exit %d, %v\n%s", code, err, stdout)
	}
	if len(doc.Alerts) != 1 || doc.Alerts[0].ID != bf || doc.Alerts[0].Status != "resolved" {
		t.Errorf("resolved alerts: %+v", doc.Alerts)
	}
	code, stdout, _ = runCam(t, "triage", "history", bf, "--config-dir", dir)
	if code != ExitOK || !strings.Contains(stdout, "A12345") || !strings.Contains(stdout, "pen test") {
		t.Errorf("history: exit %d\n%s", code, stdout)
	}

	entries := auditEntries(t, dir)
	last := entries[len(entries)-1]
	if last.Action != journal.ActionTriageSet || last.Details["alert"] != bf || last.Details["to"] != "resolved" ||
		last.Details["reason"] != "false_positive" || last.SID != "A12345" {
		t.Errorf("audit line: %+v", last)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "logs", journal.AuditFileName))
	if strings.Contains(string(raw), "pen test") {
		t.Errorf("the audit trail holds the note's text")
	}
}

func TestTriageSuppress(t *testing.T) {
	dir, ids := triageFixture(t)
	code, stdout, stderr := runCam(t, "triage", "suppress", "--user", "u1", "--rule", "brute_force", "--reason", "pen test", "--for", "7d", "--config-dir", dir)
	if code != ExitOK || !strings.Contains(stdout, "brute_force for u1") {
		t.Fatalf("suppress: exit %d, %q, %q", code, stdout, stderr)
	}
	code, stdout, _ = runCam(t, "triage", "list", "--config-dir", dir)
	if code != ExitOK || strings.Contains(stdout, ids[detect.RuleBruteForce]) || !strings.Contains(stdout, "1 suppressed") {
		t.Errorf("list with a suppression: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = runCam(t, "triage", "list", "--all", "--config-dir", dir)
	if code != ExitOK || !strings.Contains(stdout, ids[detect.RuleBruteForce]) || !strings.Contains(stdout, "(suppressed)") {
		t.Errorf("list --all: exit %d\n%s", code, stdout)
	}
	if code, stdout, _ = runCam(t, "triage", "suppressions", "--config-dir", dir); code != ExitOK || !strings.Contains(stdout, "pen test") {
		t.Errorf("suppressions: exit %d\n%s", code, stdout)
	}
	last := auditEntries(t, dir)
	if e := last[len(last)-1]; e.Action != journal.ActionSuppressionAdded || e.Details["rule"] != "brute_force" {
		t.Errorf("audit line: %+v", e)
	}
}

func TestTriageUsageErrors(t *testing.T) {
	dir, ids := triageFixture(t)
	bf := ids[detect.RuleBruteForce]
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown verb", []string{"triage", "close"}, `unknown verb "close"`},
		{"unknown id", []string{"triage", "set", "0123456789ab", "acknowledged"}, `no alert "0123456789ab"`},
		{"unknown status", []string{"triage", "set", bf, "closed"}, `"closed" is not a status`},
		{"resolve without reason", []string{"triage", "set", bf, "resolved"}, "needs a closing reason"},
		{"unknown reason", []string{"triage", "set", bf, "resolved", "--reason", "fine"}, `"fine" is not a closing reason`},
		{"missing status", []string{"triage", "set", bf}, "want an alert id and a status"},
		{"bad assignee", []string{"triage", "set", bf, "escalated", "--assignee", "x y"}, `--assignee "x y"`},
		{"suppress without user", []string{"triage", "suppress", "--reason", "r"}, "--user is required"},
		{"suppress without reason", []string{"triage", "suppress", "--user", "u1"}, "--reason is required"},
		{"suppress too long", []string{"triage", "suppress", "--user", "u1", "--reason", "r", "--for", "400d"}, `--for "400d"`},
		{"suppress unknown rule", []string{"triage", "suppress", "--user", "u1", "--reason", "r", "--rule", "x"}, `"x" is not a rule`},
		{"list unknown status", []string{"triage", "list", "--status", "open"}, `"open" is not a status`},
		{"history unknown id", []string{"triage", "history", "ffffffffffff"}, `no alert "ffffffffffff"`},
		{"history negative limit", []string{"history", "--limit", "-1"}, "--limit -1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCam(t, append(tc.args, "--config-dir", dir)...)
			if code != ExitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, ExitUsage, tc.want)
			}
		})
	}
}

func TestHistoryListsRuns(t *testing.T) {
	dir, _ := triageFixture(t)
	code, stdout, stderr := runCam(t, "history", "--config-dir", dir)
	if code != ExitOK || !strings.Contains(stdout, "complete") || !strings.Contains(stdout, "2 (1 high, 1 medium)") {
		t.Fatalf("history: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = runCam(t, "history", "--json", "--config-dir", dir)
	var doc struct {
		Runs []struct {
			ID       int64 `json:"id"`
			Complete bool  `json:"complete"`
			Alerts   int   `json:"alerts"`
		} `json:"runs"`
		Days []struct {
			Day   string `json:"day"`
			Count int    `json:"count"`
		} `json:"findings_per_day"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != ExitOK {
		t.Fatalf("history --json: exit %d, %v\n%s", code, err, stdout)
	}
	if len(doc.Runs) != 1 || !doc.Runs[0].Complete || doc.Runs[0].Alerts != 2 || len(doc.Days) != sparkDays {
		t.Errorf("history --json: %+v", doc)
	}
}
