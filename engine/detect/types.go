// Package detect holds cam's detection rules: account takeover, brute
// force, off-hours activity and role violation. It is pure: events go in,
// findings come out; it knows nothing about databases or terminals.
package detect

import (
	"time"

	"cam/config"
)

// ChangeEvent is one normalised row of a change query.
type ChangeEvent struct {
	User     string // trimmed text id, the same across databases
	Type     config.ChangeType
	Time     time.Time // an instant; zone-less values were read in the database's zone
	Database string
	Query    string
}

// ActivityEvent is one normalised row of an activity query.
type ActivityEvent struct {
	User      string // the attempted username, also when no account has it
	Time      time.Time
	Operation string // LOGIN, LOGOUT, SELECT, INSERT, UPDATE, DELETE, ... as stored
	Status    string // SUCCESS, FAILED, ... as stored
	Role      string // "" when the query returns no role
	IP        string // "" when the query returns no address
	Database  string
	Query     string
}

// Severity ranks alerts; higher is worse.
type Severity int

// Severities, lowest first.
const (
	SeverityLow Severity = iota + 1
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

// Rule names a detection rule; the string is the JSON and report value.
type Rule string

// The four rules.
const (
	RuleTakeover      Rule = "account_takeover"
	RuleBruteForce    Rule = "brute_force"
	RuleOffHours      Rule = "off_hours"
	RuleRoleViolation Rule = "role_violation"
)

// Params are the rule thresholds for one run.
type Params struct {
	TakeoverWindow time.Duration
	// TakeoverTypes are the change types the takeover rule looks for, in
	// report order; empty means config.ChangeTypes. At most MaxChangeTypes
	// are used.
	TakeoverTypes []config.ChangeType
	// TakeoverMinTypes is how many of TakeoverTypes one window needs for
	// a (high) takeover; every type makes it critical. 0 or more than the
	// list means all.
	TakeoverMinTypes int
	// Anchor, when set, is the analyst's "last event time" T: only change
	// events in [T - TakeoverWindow, T] count (anchored mode), and activity
	// events after T are ignored by every activity rule.
	Anchor              *time.Time
	BruteForceThreshold int
	BruteForceWindow    time.Duration
	BusinessLocation    *time.Location
	BusinessStart       time.Duration // from local midnight
	BusinessEnd         time.Duration // from local midnight
	GuestRoles          []string      // compared case-insensitively
}

// Evidence is one event behind a finding, for drill-down and reports.
type Evidence struct {
	Type     string // change type (password, email, ...) or activity operation
	Time     time.Time
	Database string
	Query    string
	Status   string // activity only
	IP       string // activity only
}

// Takeover is a user who changed every configured change type (or at
// least detection.takeover_min_types of them) within one window.
type Takeover struct {
	User        string
	WindowStart time.Time // earliest of the chosen events
	WindowEnd   time.Time // latest of the chosen events
	// Changes holds the event chosen for each type that changed in the
	// window; ChangedTypes tells which configured types it lacks.
	Changes map[config.ChangeType]ChangeEvent
}

// Candidate is a user who has, within one window, every change type that
// arrived, in a run where some change query failed: possibly a takeover.
type Candidate struct {
	User    string
	Missing []config.ChangeType // types whose query failed, in ChangeTypes order
}

// Alert is one finding of any rule.
type Alert struct {
	Rule       Rule
	Severity   Severity
	User       string
	Database   string // the database(s) of the evidence, comma-separated when several
	FirstSeen  time.Time
	LastSeen   time.Time
	Count      int
	Message    string
	IPs        []string // brute force: distinct source addresses, sorted
	Operations []string // role violation: distinct operations, sorted
	Evidence   []Evidence
}

// Findings is everything the rules found in one run.
type Findings struct {
	Takeovers  []Takeover  // sorted by user
	Candidates []Candidate // sorted by user
	Alerts     []Alert     // sorted by severity (worst first), then first seen, then user
}

// changeTypes returns the takeover rule's types: TakeoverTypes, or the
// default four, cut to MaxChangeTypes.
func (p Params) changeTypes() []config.ChangeType {
	types := p.TakeoverTypes
	if len(types) == 0 {
		types = config.ChangeTypes
	}
	return types[:min(len(types), MaxChangeTypes)]
}

// minTypes returns how many types a window needs: TakeoverMinTypes within
// [1, len(types)], all types when unset.
func (p Params) minTypes() int {
	n := len(p.changeTypes())
	if p.TakeoverMinTypes <= 0 || p.TakeoverMinTypes > n {
		return n
	}
	return p.TakeoverMinTypes
}
