package results

import (
	"reflect"
	"strings"
	"testing"

	"cam/engine"
	"cam/engine/detect"
)

func TestParseFilter(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want query
	}{
		{"free text only", "Jdoe Smith", query{free: "jdoe smith"}},
		{"one field", "rule:brute", query{rule: []string{"brute"}}},
		{"fields and free text", "sev:high db:dam jdoe", query{sev: []string{"high"}, db: []string{"dam"}, free: "jdoe"}},
		{"ip keeps its dots", "ip:10.0.0.7", query{ip: []string{"10.0.0.7"}}},
		{"long field names", "severity:crit database:acc", query{sev: []string{"crit"}, db: []string{"acc"}}},
		{"status is parsed for triage", "status:open", query{status: []string{"open"}}},
		{"unknown field is free text", "at 10:30", query{free: "at 10:30"}},
		{"empty value is free text", "rule:", query{free: "rule:"}},
		{"user field", "USER:JDoe", query{user: []string{"jdoe"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := parseFilter(c.in); !reflect.DeepEqual(got, c.want) {
				t.Errorf("parseFilter(%q) = %+v, want %+v", c.in, got, c.want)
			}
		})
	}
}

func filterFixture() []detect.Alert {
	return []detect.Alert{
		{Rule: detect.RuleTakeover, Severity: detect.SeverityCritical, User: "jdoe", Database: "accounts", FirstSeen: t0, LastSeen: t0, Message: "four changes",
			Evidence: []detect.Evidence{{Type: "password", Time: t0, Database: "accounts"}, {Type: "email", Time: t0, Database: "crm"}}},
		{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh, User: "jdoe", Database: "dam", FirstSeen: t0, LastSeen: t0, Message: "8 failed logins",
			IPs: []string{"10.0.0.7"}, Evidence: []detect.Evidence{{Type: "LOGIN", Time: t0, Database: "dam", IP: "10.0.0.7", Status: "FAILED"}}},
		{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh, User: "asmith", Database: "dam", FirstSeen: t0, LastSeen: t0, Message: "6 failed logins",
			IPs: []string{"10.0.0.9"}},
		{Rule: detect.RuleRoleViolation, Severity: detect.SeverityMedium, User: "guest1", Database: "dam", FirstSeen: t0, LastSeen: t0, Message: "write as Guest"},
	}
}

func TestFieldFiltersSelectAlerts(t *testing.T) {
	cases := []struct {
		name   string
		filter string
		users  []string // the visible alerts' users with their rule, in order
	}{
		{"free text finds the rule's display name", "brute", []string{"jdoe brute_force", "asmith brute_force"}},
		{"rule field", "rule:guest", []string{"guest1 role_violation"}},
		{"severity by its beginning", "sev:crit", []string{"jdoe account_takeover"}},
		{"database of any evidence", "db:crm", []string{"jdoe account_takeover"}},
		{"source address", "ip:10.0.0.7", []string{"jdoe brute_force"}},
		{"user and rule combine", "user:jdoe rule:brute", []string{"jdoe brute_force"}},
		{"field and free text combine", "sev:high asmith", []string{"asmith brute_force"}},
		{"nothing matches", "sev:low", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := model(1)
			m.SetResult(engine.Result{Complete: true, Findings: detect.Findings{Alerts: filterFixture()}})
			m, _ = typeKeys(m, "/")
			m, _ = typeKeys(m, c.filter, "enter")
			var got []string
			for _, a := range m.Visible() {
				got = append(got, a.User+" "+string(a.Rule))
			}
			if !reflect.DeepEqual(got, c.users) {
				t.Errorf("filter %q shows %v, want %v", c.filter, got, c.users)
			}
		})
	}
}

func TestStatusFilterWithoutStateIsIgnored(t *testing.T) {
	m := model(1)
	m.SetResult(engine.Result{Complete: true, Findings: detect.Findings{Alerts: filterFixture()}})
	m, _ = typeKeys(m, "/", "status:open", "enter")
	if got := len(m.Visible()); got != 4 {
		t.Errorf("status:open hid alerts (%d of 4 shown); it should be ignored without a triage state", got)
	}
	if v := m.View(); !strings.Contains(v, "needs the triage state") {
		t.Errorf("the view does not say status: is unavailable:\n%s", v)
	}
}

func TestVisibleSummarySaysWhatTheTableShows(t *testing.T) {
	m := model(1)
	m.SetResult(engine.Result{Complete: true, Findings: detect.Findings{Alerts: filterFixture()}})
	if got := m.VisibleSummary(); got != "4 alerts" {
		t.Errorf("unfiltered: %q", got)
	}
	m, _ = typeKeys(m, "/", "rule:brute", "enter")
	if got := m.VisibleSummary(); got != "2 of 4 alerts, filter: rule:brute" {
		t.Errorf("filtered: %q", got)
	}
}
