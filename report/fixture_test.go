package report

import (
	"time"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
)

// t0 is the fixture run's start.
var t0 = time.Date(2026, 11, 22, 14, 3, 7, 0, time.UTC)

func takeover(user string, start time.Time) detect.Takeover {
	ch := make(map[config.ChangeType]detect.ChangeEvent)
	for i, ct := range config.ChangeTypes {
		ch[ct] = detect.ChangeEvent{User: user, Type: ct, Time: start.Add(time.Duration(i) * time.Hour), Database: "hr", Query: string(ct) + " changes"}
	}
	return detect.Takeover{User: user, WindowStart: start, WindowEnd: start.Add(3 * time.Hour), Changes: ch}
}

// fixture is a finished run with two takeovers, one alert of each other
// rule, a failed query, and values that need quoting or defusing.
func fixture() engine.Result {
	tk1 := takeover("10042", t0.Add(-20*time.Hour))
	tk2 := takeover("20077", t0.Add(-10*time.Hour))
	takeoverAlert := func(tk detect.Takeover) detect.Alert {
		return detect.Alert{Rule: detect.RuleTakeover, Severity: detect.SeverityCritical, User: tk.User, Database: "hr",
			FirstSeen: tk.WindowStart, LastSeen: tk.WindowEnd, Count: 4, Message: "password, email, phone and MFA token changed within 24h"}
	}
	last := t0.Add(-time.Hour)
	return engine.Result{
		RunID: 7, StartedAt: t0, FinishedAt: t0.Add(42 * time.Second), StartDate: t0.AddDate(0, 0, -30),
		Mode: engine.ModeAnchored, LastEventTime: &last,
		Queries: []engine.QueryResult{
			{Database: "hr", Query: "password changes", Kind: config.KindChange, Status: engine.StatusOK, Rows: 120, Rejected: 1, Attempts: 1, Duration: 1500 * time.Millisecond},
			{Database: "crm", Query: "logins", Kind: config.KindActivity, Status: engine.StatusFailed, Attempts: 3, Duration: 9 * time.Second, Class: engine.ClassConnection, Err: "no listener, check host"},
		},
		Findings: detect.Findings{
			Takeovers: []detect.Takeover{tk1, tk2},
			Alerts: []detect.Alert{
				takeoverAlert(tk1), takeoverAlert(tk2),
				{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh, User: "=HYPERLINK(\"x\")", Database: "crm",
					FirstSeen: t0.Add(-5 * time.Hour), LastSeen: t0.Add(-4 * time.Hour), Count: 12, Message: "12 failed logins,\n3 addresses",
					Evidence: []detect.Evidence{{Type: "LOGIN", Time: t0.Add(-5 * time.Hour), Database: "crm", Query: "logins", Status: "FAILED"}, {Type: "LOGIN", Time: t0.Add(-4 * time.Hour), Database: "crm", Query: "logins", Status: "FAILED"}}},
				{Rule: detect.RuleOffHours, Severity: detect.SeverityMedium, User: "30001", Database: "crm",
					FirstSeen: t0.Add(-12 * time.Hour), LastSeen: t0.Add(-12 * time.Hour), Count: 1, Message: "activity at 02:03 \"local\"",
					Evidence: []detect.Evidence{{Type: "UPDATE", Time: t0.Add(-12 * time.Hour), Database: "crm", Query: "logins"}}},
				{Rule: detect.RuleRoleViolation, Severity: detect.SeverityHigh, User: "40002", Database: "crm",
					FirstSeen: t0.Add(-2 * time.Hour), LastSeen: t0.Add(-2 * time.Hour), Count: 1, Message: "Guest\twrote",
					Evidence: []detect.Evidence{{Type: "DELETE", Time: t0.Add(-2 * time.Hour), Database: "crm", Query: "logins"}}},
			},
		},
	}
}

func fixtureMeta() Meta {
	return Meta{Version: "1.2.3", SID: "AUDITOR1", Host: "soc-ws-7", Lookback: 30 * 24 * time.Hour,
		TakeoverWindow: 24 * time.Hour, Zone: time.FixedZone("CET", 3600), Recipients: []string{"soc@example.org", "lead@example.org"}}
}
