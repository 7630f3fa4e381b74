package report

import (
	"os"
	"time"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
)

// Meta is the run context that reports print beside the findings.
type Meta struct {
	Version        string         // cam's version
	SID            string         // the analyst's database login
	Host           string         // the machine cam ran on
	Lookback       time.Duration  // how far back the queries read
	TakeoverWindow time.Duration  // the account-takeover window
	Zone           *time.Location // the analyst's zone for "local" times; nil means time.Local
	Recipients     []string       // mail recipients, for the .eml draft
}

// NewMeta fills Meta from the loaded configuration and this machine.
func NewMeta(cfg *config.Config, version string) Meta {
	host, _ := os.Hostname()
	return Meta{
		Version:        version,
		SID:            cfg.Settings.User.SID,
		Host:           host,
		Lookback:       cfg.Settings.Detection.Lookback,
		TakeoverWindow: cfg.Settings.Detection.TakeoverWindow,
		Zone:           time.Local,
		Recipients:     cfg.Settings.App.EmailRecipients,
	}
}

// zone returns the zone for local times.
func (m Meta) zone() *time.Location {
	if m.Zone == nil {
		return time.Local
	}
	return m.Zone
}

// View is what the analyst sees: the alerts and takeovers left after the
// results pane's filter, and that filter. Exports and summaries show
// exactly these rows so a report matches the screen.
type View struct {
	Alerts    []detect.Alert
	Takeovers []detect.Takeover
	Filter    string // "" when no filter is active
	// Triage, when set, adds the status, closing reason, resolved-by and
	// latest-note columns to the alerts of the workbook and the CSV.
	Triage TriageLookup
	// Types are the run's takeover change types (nil: the default four).
	Types []config.ChangeType
}

// FullView is the view of a run with no filter: every alert and takeover.
func FullView(res engine.Result) View {
	return View{Alerts: res.Findings.Alerts, Takeovers: res.Findings.Takeovers, Types: res.TakeoverTypes}
}

// TakeoverTypes are the change types a run's takeover rule looked for:
// detection.takeover_types, or the default four for a result that does not
// say (one built by hand).
func TakeoverTypes(types []config.ChangeType) []config.ChangeType {
	if len(types) == 0 {
		return config.ChangeTypes
	}
	return types
}

// FilteredView is the view the results pane shows: visible are its
// Visible() alerts and filter its Filter(). A takeover is shown when its
// account-takeover alert is visible.
func FilteredView(res engine.Result, visible []detect.Alert, filter string) View {
	if filter == "" {
		return View{Alerts: visible, Takeovers: res.Findings.Takeovers, Types: res.TakeoverTypes}
	}
	shown := make(map[string]bool)
	for _, a := range visible {
		if a.Rule == detect.RuleTakeover {
			shown[a.User] = true
		}
	}
	var tks []detect.Takeover
	for _, tk := range res.Findings.Takeovers {
		if shown[tk.User] {
			tks = append(tks, tk)
		}
	}
	return View{Alerts: visible, Takeovers: tks, Filter: filter, Types: res.TakeoverTypes}
}

// completeness describes in words whether the run saw all its data.
func completeness(res engine.Result) string {
	failed := 0
	for _, q := range res.Queries {
		if q.Status != engine.StatusOK {
			failed++
		}
	}
	switch {
	case res.Cancelled:
		return "cancelled"
	case res.Complete:
		return "complete"
	default:
		return "incomplete: " + itoa(failed) + " of " + itoa(len(res.Queries)) + " queries did not finish"
	}
}

// ruleCount is the number of visible alerts of one rule and severity.
type ruleCount struct {
	Rule     detect.Rule
	Severity detect.Severity
	Count    int
}

// countAlerts counts alerts per rule and severity, in a fixed order (rules
// as documented, worst severity first) so reports compare line by line.
func countAlerts(alerts []detect.Alert) []ruleCount {
	rules := []detect.Rule{detect.RuleTakeover, detect.RuleBruteForce, detect.RuleOffHours, detect.RuleRoleViolation}
	n := make(map[detect.Rule]map[detect.Severity]int)
	for _, a := range alerts {
		if n[a.Rule] == nil {
			n[a.Rule] = make(map[detect.Severity]int)
		}
		n[a.Rule][a.Severity]++
	}
	var out []ruleCount
	for _, r := range rules {
		for s := detect.SeverityCritical; s >= detect.SeverityLow; s-- {
			if c := n[r][s]; c > 0 {
				out = append(out, ruleCount{r, s, c})
			}
		}
	}
	return out
}

// countRules counts alerts per rule, every rule listed even at zero.
func countRules(alerts []detect.Alert) []ruleCount {
	rules := []detect.Rule{detect.RuleTakeover, detect.RuleBruteForce, detect.RuleOffHours, detect.RuleRoleViolation}
	n := make(map[detect.Rule]int)
	for _, a := range alerts {
		n[a.Rule]++
	}
	out := make([]ruleCount, 0, len(rules))
	for _, r := range rules {
		out = append(out, ruleCount{Rule: r, Count: n[r]})
	}
	return out
}
