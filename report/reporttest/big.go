// Package reporttest builds large synthetic run results for the export
// benchmarks and fault tests, and reads the .eml drafts report writes;
// nothing in cam imports it.
package reporttest

import (
	"fmt"
	"time"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
)

// Big is a finished run with users suspicious users (each with its four
// changes and a takeover alert) and alerts alerts in all, the rest brute
// force alerts with two pieces of evidence each. Values are distinct per
// row, as real ones are, so no string is shared across rows.
func Big(users, alerts int, at time.Time) engine.Result {
	res := engine.Result{RunID: 1, StartedAt: at, FinishedAt: at.Add(time.Minute), StartDate: at.AddDate(0, 0, -30),
		Mode: engine.ModeSliding, Complete: true,
		Queries: []engine.QueryResult{{Database: "account_db", Query: "changes", Status: engine.StatusOK, Rows: int64(users * 4), Attempts: 1}}}
	res.Findings.Takeovers = make([]detect.Takeover, 0, users)
	res.Findings.Alerts = make([]detect.Alert, 0, alerts)
	for i := range users {
		user := fmt.Sprintf("client-%07d", i)
		start := at.Add(-time.Duration(i%86400) * time.Second)
		tk := detect.Takeover{User: user, WindowStart: start, WindowEnd: start.Add(3 * time.Hour),
			Changes: map[config.ChangeType]detect.ChangeEvent{}}
		for j, ct := range config.ChangeTypes {
			tk.Changes[ct] = detect.ChangeEvent{User: user, Type: ct, Time: start.Add(time.Duration(j) * time.Hour),
				Database: "account_db", Query: "get_" + string(ct) + "_changes"}
		}
		res.Findings.Takeovers = append(res.Findings.Takeovers, tk)
		if len(res.Findings.Alerts) < alerts {
			res.Findings.Alerts = append(res.Findings.Alerts, detect.Alert{Rule: detect.RuleTakeover, Severity: detect.SeverityCritical,
				User: user, Database: "account_db", FirstSeen: tk.WindowStart, LastSeen: tk.WindowEnd, Count: 4,
				Message: "password, email, phone and MFA token changed within 24h"})
		}
	}
	for i := 0; len(res.Findings.Alerts) < alerts; i++ {
		seen := at.Add(-time.Duration(i%604800) * time.Second)
		res.Findings.Alerts = append(res.Findings.Alerts, detect.Alert{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh,
			User: fmt.Sprintf("login-%08d", i), Database: "dam", FirstSeen: seen, LastSeen: seen.Add(9 * time.Minute), Count: 5 + i%20,
			Message: fmt.Sprintf("%d failed logins within 10m from 10.%d.%d.%d", 5+i%20, i%250, (i/250)%250, i%7),
			IPs:     []string{fmt.Sprintf("10.%d.%d.%d", i%250, (i/250)%250, i%7)},
			Evidence: []detect.Evidence{
				{Type: "LOGIN", Time: seen, Database: "dam", Query: "activity", Status: "FAILED"},
				{Type: "LOGIN", Time: seen.Add(9 * time.Minute), Database: "dam", Query: "activity", Status: "FAILED"},
			}})
	}
	return res
}
