package report

import (
	"bufio"
	"encoding/json"
	"io"
	"net/netip"
	"slices"
	"strconv"

	"cam/engine"
	"cam/engine/detect"
	"cam/internal/display"
	"cam/internal/inert"
)

// ECSVersion is the Elastic Common Schema version the NDJSON lines follow.
const ECSVersion = "8.11.0"

// ECSAlert is one line of `cam run --format ndjson` and `cam watch
// --ndjson`: one alert in Elastic Common Schema field names, so Filebeat,
// Logstash or Splunk's JSON input read it without a custom parser. The
// field names are a contract (README, "NDJSON field mapping";
// testdata/ecs-alert.schema.json).
type ECSAlert struct {
	Timestamp string     `json:"@timestamp"`
	ECS       ecsVersion `json:"ecs"`
	Event     ECSEvent   `json:"event"`
	Rule      ECSRule    `json:"rule"`
	User      ECSUser    `json:"user"`
	Source    *ECSSource `json:"source,omitempty"`
	Related   ECSRelated `json:"related"`
	Labels    ECSLabels  `json:"labels"`
	Message   string     `json:"message"`
	Cam       CamFields  `json:"cam"`
}

type ecsVersion struct {
	Version string `json:"version"`
}

// ECSEvent is the alert's event.* fields.
type ECSEvent struct {
	Kind      string   `json:"kind"` // always "alert"
	Category  []string `json:"category"`
	Type      []string `json:"type"`
	Module    string   `json:"module"`  // "cam"
	Dataset   string   `json:"dataset"` // "cam.alert"
	Severity  int      `json:"severity"`
	RiskScore float64  `json:"risk_score"`
	Start     string   `json:"start"`
	End       string   `json:"end"`
	// ID is the triage alert id when the run was annotated: the same
	// alert keeps it across runs, so a SIEM can deduplicate on it.
	ID string `json:"id,omitempty"`
}

// ECSRule names the detection rule.
type ECSRule struct {
	ID   string `json:"id"`   // account_takeover, brute_force, off_hours, role_violation
	Name string `json:"name"` // the short name every screen shows
}

// ECSUser is the account the alert is about: cam reads one text id per
// user, so name and id carry the same value.
type ECSUser struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ECSSource is the one source address of an alert, when it has exactly
// one that parses as an IP address.
type ECSSource struct {
	IP string `json:"ip"`
}

// ECSRelated lists every user and IP address the alert names, for pivots.
type ECSRelated struct {
	User []string `json:"user"`
	IP   []string `json:"ip,omitempty"`
}

// ECSLabels are cam's run id and the analyst's SID, as keyword strings.
type ECSLabels struct {
	RunID string `json:"run_id"`
	SID   string `json:"sid"`
}

// CamFields are cam's own fields, under cam.*: what ECS has no name for.
type CamFields struct {
	Severity   string   `json:"severity"` // low, medium, high, critical
	Database   string   `json:"database"`
	Count      int      `json:"count"`
	Operations []string `json:"operations,omitempty"` // role violation
	Changes    []string `json:"changes,omitempty"`    // takeover: the change types
	// OtherAddresses are source values that are not IP addresses: ECS
	// ip fields would refuse them, so they are kept here.
	OtherAddresses []string `json:"other_addresses,omitempty"`
	// The triage state, when the run was annotated.
	Status       string `json:"status,omitempty"`
	New          *bool  `json:"new,omitempty"`
	Suppressed   *bool  `json:"suppressed,omitempty"`
	FirstSeenRun int64  `json:"first_seen_run,omitempty"`
}

// NDJSONOptions choose what WriteNDJSON writes.
type NDJSONOptions struct {
	SID string
	// RunID, when set, is labels.run_id: the triage state's run id (the
	// one first_seen_run counts), which stays unique across restarts.
	// Zero means the engine's run id.
	RunID int64
	// Triage, when set, adds each alert's triage state (cam.status, new,
	// suppressed; event.id).
	Triage TriageLookup
	// Keep, when set, writes only the alerts it keeps, by their index in
	// the run's Findings.Alerts (cam watch: the new ones).
	Keep func(i int) bool
}

// WriteNDJSON writes one ECS object per alert of res, a line each, worst
// first. Takeovers are alerts of the account_takeover rule, one line each.
// Text from the databases is made inert: a consumer printing a field
// cannot be driven by an escape sequence in a user name.
func WriteNDJSON(w io.Writer, res engine.Result, opts NDJSONOptions) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, i := range alertOrder(res.Findings.Alerts) {
		a := &res.Findings.Alerts[i]
		if opts.Keep != nil && !opts.Keep(int(i)) {
			continue
		}
		line := NewECSAlert(res, a, opts.SID)
		if opts.RunID != 0 {
			line.Labels.RunID = strconv.FormatInt(opts.RunID, 10)
		}
		if opts.Triage != nil {
			if t, ok := opts.Triage(a); ok {
				line.withTriage(t)
			}
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// NewECSAlert maps one alert of res to its ECS object.
func NewECSAlert(res engine.Result, a *detect.Alert, sid string) ECSAlert {
	user := inert.Text(a.User)
	e := ECSAlert{
		Timestamp: stamp(res.FinishedAt),
		ECS:       ecsVersion{ECSVersion},
		Event: ECSEvent{
			Kind: "alert", Category: ecsCategory(a.Rule), Type: ecsType(a.Rule), Module: "cam", Dataset: "cam.alert",
			Severity: int(a.Severity), RiskScore: riskScore(a.Severity),
			Start: stamp(a.FirstSeen), End: stamp(a.LastSeen),
		},
		Rule:    ECSRule{ID: string(a.Rule), Name: display.Rule(a.Rule)},
		User:    ECSUser{ID: user, Name: user},
		Related: ECSRelated{User: []string{user}},
		Labels:  ECSLabels{RunID: strconv.FormatInt(res.RunID, 10), SID: inert.Text(sid)},
		Message: inert.Text(a.Message),
		Cam: CamFields{Severity: a.Severity.String(), Database: inert.Text(a.Database), Count: a.Count,
			Operations: inertAll(a.Operations)},
	}
	if a.Rule == detect.RuleTakeover {
		for _, ev := range a.Evidence {
			e.Cam.Changes = append(e.Cam.Changes, inert.Text(ev.Type))
		}
	}
	ips := a.IPs
	if len(ips) == 0 {
		for _, ev := range a.Evidence {
			if ev.IP != "" && !slices.Contains(ips, ev.IP) {
				ips = append(ips, ev.IP)
			}
		}
		slices.Sort(ips)
	}
	for _, s := range ips {
		if addr, err := netip.ParseAddr(s); err == nil {
			e.Related.IP = append(e.Related.IP, addr.String())
		} else {
			e.Cam.OtherAddresses = append(e.Cam.OtherAddresses, inert.Text(s))
		}
	}
	if len(e.Related.IP) == 1 {
		e.Source = &ECSSource{IP: e.Related.IP[0]}
	}
	return e
}

func (e *ECSAlert) withTriage(t AlertTriage) {
	e.Event.ID = t.ID
	e.Cam.Status = t.Status
	e.Cam.New, e.Cam.Suppressed = &t.New, &t.Suppressed
	e.Cam.FirstSeenRun = t.FirstSeenRun
}

// ecsCategory places each rule in ECS's allowed event.category values.
func ecsCategory(r detect.Rule) []string {
	switch r {
	case detect.RuleTakeover:
		return []string{"iam"}
	case detect.RuleBruteForce:
		return []string{"authentication"}
	case detect.RuleRoleViolation:
		return []string{"database", "iam"}
	default: // off_hours and any later rule: activity in a database
		return []string{"database"}
	}
}

// ecsType is event.type, from ECS's allowed values.
func ecsType(r detect.Rule) []string {
	switch r {
	case detect.RuleTakeover:
		return []string{"user", "change"}
	case detect.RuleBruteForce:
		return []string{"start"}
	default:
		return []string{"access"}
	}
}

// riskScore follows Elastic's detection rules: 21 low, 47 medium, 73
// high, 99 critical.
func riskScore(s detect.Severity) float64 {
	switch s {
	case detect.SeverityCritical:
		return 99
	case detect.SeverityHigh:
		return 73
	case detect.SeverityMedium:
		return 47
	default:
		return 21
	}
}

func inertAll(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = inert.Text(s)
	}
	return out
}
