package detect

// The detection core as it was before the flat-record rewrite (commit b1be32f),
// kept verbatim but renamed as the reference the differential test compares
// the fast core against.

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"cam/config"
	"cam/internal/span"
)

// refMaxEvidence caps the evidence kept per aggregated alert; the alert's
// count still covers every event.
const refMaxEvidence = 1000

// refAccumulator collects events from many queries at once and evaluates the
// rules when asked. Change events and failed logins are kept per user in
// compact records; off-hours and role-violation events are aggregated per
// user and day on arrival. It is safe for concurrent use.
type refAccumulator struct {
	p      Params
	guests map[string]bool

	mu       sync.Mutex
	names    refInterner
	changes  map[string][]refChangeRec // by user
	failures map[string][]refFailRec   // failed LOGINs by attempted username
	offHours map[refDayKey]*refDayAgg
	guestOps map[refDayKey]*refDayAgg
}

// refChangeRec is one change event: 24 bytes instead of a ChangeEvent's ~100.
type refChangeRec struct {
	at    int64 // unix nanoseconds
	db, q uint32
	typ   uint8 // index into config.ChangeTypes
}

type refFailRec struct {
	at        int64
	db, q, ip uint32
}

type refDayKey struct {
	user string
	day  string // YYYY-MM-DD in the business zone
}

type refDayAgg struct {
	count       int
	first, last time.Time
	dbs         map[string]bool
	ops         map[string]bool
	evidence    []Evidence
}

// newRefAccumulator returns an empty accumulator for one run.
func newRefAccumulator(p Params) *refAccumulator {
	if p.BusinessLocation == nil {
		p.BusinessLocation = time.Local
	}
	guests := map[string]bool{}
	for _, r := range p.GuestRoles {
		guests[strings.ToLower(strings.TrimSpace(r))] = true
	}
	return &refAccumulator{
		p: p, guests: guests, names: refNewInterner(),
		changes: map[string][]refChangeRec{}, failures: map[string][]refFailRec{},
		offHours: map[refDayKey]*refDayAgg{}, guestOps: map[refDayKey]*refDayAgg{},
	}
}

// AddChange records one change event. In anchored mode events outside
// [T - refWindow, T] are dropped here, so they cost no memory.
func (a *refAccumulator) AddChange(e ChangeEvent) {
	user := strings.TrimSpace(e.User)
	typ := refChangeIndex(e.Type)
	if user == "" || typ < 0 || !InRange(e.Time) {
		return
	}
	if t := a.p.Anchor; t != nil && (e.Time.Before(t.Add(-a.p.TakeoverWindow)) || e.Time.After(*t)) {
		return
	}
	a.mu.Lock()
	a.changes[user] = append(a.changes[user], refChangeRec{
		at: e.Time.UnixNano(), typ: uint8(typ), db: a.names.id(e.Database), q: a.names.id(e.Query),
	})
	a.mu.Unlock()
}

// AddActivity records one activity event for the brute-force, off-hours
// and role-violation rules. In anchored mode the run is "as of T": events
// after T are dropped, as they are for the takeover rule.
func (a *refAccumulator) AddActivity(e ActivityEvent) {
	user := strings.TrimSpace(e.User)
	if user == "" || !InRange(e.Time) {
		return
	}
	if t := a.p.Anchor; t != nil && e.Time.After(*t) {
		return
	}
	op := strings.ToUpper(strings.TrimSpace(e.Operation))
	status := strings.ToLower(strings.TrimSpace(e.Status))
	local := e.Time.In(a.p.BusinessLocation)
	offHours := refIsOffHours(local, a.p.BusinessStart, a.p.BusinessEnd)
	guestWrite := a.guests[strings.ToLower(strings.TrimSpace(e.Role))] && (op == "INSERT" || op == "UPDATE" || op == "DELETE")
	failedLogin := op == "LOGIN" && (status == "failed" || status == "failure")
	if !offHours && !guestWrite && !failedLogin {
		return
	}
	ev := Evidence{Type: op, Time: e.Time, Database: e.Database, Query: e.Query, Status: e.Status, IP: e.IP}
	key := refDayKey{user: user, day: local.Format("2006-01-02")}

	a.mu.Lock()
	defer a.mu.Unlock()
	if failedLogin {
		a.failures[user] = append(a.failures[user], refFailRec{
			at: e.Time.UnixNano(), db: a.names.id(e.Database), q: a.names.id(e.Query), ip: a.names.id(e.IP),
		})
	}
	if offHours {
		refAddToDay(a.offHours, key, ev)
	}
	if guestWrite {
		refAddToDay(a.guestOps, key, ev)
	}
}

// refIsOffHours reports whether local falls before start or at/after end
// (offsets from local midnight).
func refIsOffHours(local time.Time, start, end time.Duration) bool {
	sinceMidnight := time.Duration(local.Hour())*time.Hour + time.Duration(local.Minute())*time.Minute +
		time.Duration(local.Second())*time.Second + time.Duration(local.Nanosecond())
	return sinceMidnight < start || sinceMidnight >= end
}

func refAddToDay(m map[refDayKey]*refDayAgg, key refDayKey, ev Evidence) {
	agg := m[key]
	if agg == nil {
		agg = &refDayAgg{first: ev.Time, last: ev.Time, dbs: map[string]bool{}, ops: map[string]bool{}}
		m[key] = agg
	}
	agg.count++
	if ev.Time.Before(agg.first) {
		agg.first = ev.Time
	}
	if ev.Time.After(agg.last) {
		agg.last = ev.Time
	}
	agg.dbs[ev.Database] = true
	agg.ops[ev.Type] = true
	if len(agg.evidence) < refMaxEvidence {
		agg.evidence = append(agg.evidence, ev)
	}
}

func refChangeIndex(ct config.ChangeType) int {
	for i, c := range config.ChangeTypes {
		if c == ct {
			return i
		}
	}
	return -1
}

// Findings evaluates every rule over what was added. failed lists the
// change types whose queries failed, for incomplete candidates.
func (a *refAccumulator) Findings(failed []config.ChangeType) Findings {
	a.mu.Lock()
	defer a.mu.Unlock()
	var f Findings
	f.Takeovers, f.Candidates = a.takeovers(failed)
	for _, t := range f.Takeovers {
		f.Alerts = append(f.Alerts, refTakeoverAlert(t))
	}
	f.Alerts = append(f.Alerts, a.bruteForce()...)
	f.Alerts = append(f.Alerts, a.offHoursAlerts()...)
	f.Alerts = append(f.Alerts, a.roleViolations()...)
	refSortAlerts(f.Alerts)
	return f
}

func refSortAlerts(alerts []Alert) {
	sort.SliceStable(alerts, func(i, j int) bool {
		x, y := alerts[i], alerts[j]
		if x.Severity != y.Severity {
			return x.Severity > y.Severity
		}
		if !x.FirstSeen.Equal(y.FirstSeen) {
			return x.FirstSeen.Before(y.FirstSeen)
		}
		if x.User != y.User {
			return x.User < y.User
		}
		return x.Rule < y.Rule
	})
}

// refInterner maps repeated strings (database, query, IP) to small ids, so
// millions of events share one copy of each.
type refInterner struct {
	ids   map[string]uint32
	names []string
}

func refNewInterner() refInterner { return refInterner{ids: map[string]uint32{}} }

func (n *refInterner) id(s string) uint32 {
	if id, ok := n.ids[s]; ok {
		return id
	}
	id := uint32(len(n.names))
	n.ids[s] = id
	n.names = append(n.names, s)
	return id
}

func (n *refInterner) name(id uint32) string {
	if int(id) < len(n.names) {
		return n.names[id]
	}
	return ""
}

// bruteForce evaluates the brute-force rule. A failure is marked when it
// lies in some closed refWindow of BruteForceWindow holding more than
// BruteForceThreshold failures of the same username (two pointers over the
// sorted failures); consecutive marked failures no more than the refWindow
// apart form one burst, and each burst is one alert counting its failures.
func (a *refAccumulator) bruteForce() []Alert {
	var alerts []Alert
	refWindow := int64(a.p.BruteForceWindow)
	for user, recs := range a.failures {
		if len(recs) <= a.p.BruteForceThreshold {
			continue
		}
		sort.Slice(recs, func(i, j int) bool { return recs[i].at < recs[j].at })
		marked := make([]bool, len(recs))
		markedTo := -1
		for i, j := 0, 0; i < len(recs); i++ {
			if j < i {
				j = i
			}
			for j+1 < len(recs) && recs[j+1].at-recs[i].at <= refWindow {
				j++
			}
			if j-i+1 > a.p.BruteForceThreshold {
				for k := max(i, markedTo+1); k <= j; k++ {
					marked[k] = true
				}
				markedTo = max(markedTo, j)
			}
		}
		for i := 0; i < len(recs); {
			if !marked[i] {
				i++
				continue
			}
			j := i
			for j+1 < len(recs) && marked[j+1] && recs[j+1].at-recs[j].at <= refWindow {
				j++
			}
			alerts = append(alerts, a.burstAlert(user, recs[i:j+1]))
			i = j + 1
		}
	}
	return alerts
}

func (a *refAccumulator) burstAlert(user string, burst []refFailRec) Alert {
	dbs, ips := map[string]bool{}, map[string]bool{}
	evidence := make([]Evidence, 0, min(len(burst), refMaxEvidence))
	for _, r := range burst {
		db, ip := a.names.name(r.db), a.names.name(r.ip)
		dbs[db] = true
		if ip != "" {
			ips[ip] = true
		}
		if len(evidence) < refMaxEvidence {
			evidence = append(evidence, Evidence{Type: "LOGIN", Time: time.Unix(0, r.at), Database: db,
				Query: a.names.name(r.q), Status: "FAILED", IP: ip})
		}
	}
	first, last := time.Unix(0, burst[0].at), time.Unix(0, burst[len(burst)-1].at)
	msg := fmt.Sprintf("%d failed logins in %s", len(burst), refShortDuration(last.Sub(first)))
	if len(ips) > 0 {
		msg += fmt.Sprintf(" from %d %s", len(ips), refPlural(len(ips), "address", "addresses"))
	}
	return Alert{Rule: RuleBruteForce, Severity: SeverityHigh, User: user, Database: refJoinSet(dbs),
		FirstSeen: first, LastSeen: last, Count: len(burst), Message: msg, IPs: refSortedSet(ips), Evidence: evidence}
}

func (a *refAccumulator) offHoursAlerts() []Alert {
	zone := a.p.BusinessLocation.String()
	hours := fmt.Sprintf("%s–%s %s", refClock(a.p.BusinessStart), refClock(a.p.BusinessEnd), zone)
	return refDayAlerts(a.offHours, RuleOffHours, SeverityMedium, func(k refDayKey, agg *refDayAgg) string {
		return fmt.Sprintf("%d %s outside business hours (%s) on %s", agg.count, refPlural(agg.count, "action", "actions"), hours, k.day)
	})
}

func (a *refAccumulator) roleViolations() []Alert {
	return refDayAlerts(a.guestOps, RuleRoleViolation, SeverityCritical, func(k refDayKey, agg *refDayAgg) string {
		return fmt.Sprintf("Guest role: %d %s (%s) on %s", agg.count, refPlural(agg.count, "write", "writes"),
			strings.Join(refSortedSet(agg.ops), ", "), k.day)
	})
}

func refDayAlerts(m map[refDayKey]*refDayAgg, rule Rule, sev Severity, message func(refDayKey, *refDayAgg) string) []Alert {
	alerts := make([]Alert, 0, len(m))
	for k, agg := range m {
		sort.Slice(agg.evidence, func(i, j int) bool { return agg.evidence[i].Time.Before(agg.evidence[j].Time) })
		msg := message(k, agg)
		if agg.count > len(agg.evidence) {
			msg += fmt.Sprintf(" (first %d kept as evidence)", len(agg.evidence))
		}
		alert := Alert{Rule: rule, Severity: sev, User: k.user, Database: refJoinSet(agg.dbs),
			FirstSeen: agg.first, LastSeen: agg.last, Count: agg.count, Message: msg, Evidence: agg.evidence}
		if rule == RuleRoleViolation {
			alert.Operations = refSortedSet(agg.ops)
		}
		alerts = append(alerts, alert)
	}
	return alerts
}

func refSortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func refPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func refClock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}

// refWindow is a qualifying takeover refWindow: the chosen record per type.
type refWindow struct {
	chosen     [4]int // index into the user's sorted records, -1 when not required
	start, end int64
}

// refFirstWindow finds, in recs sorted by time, the qualifying refWindow with the
// earliest end: events are scanned in time order, all events at one instant
// together; at each instant the latest record of every required type seen
// so far is the tightest choice ending there, so the refWindow qualifies when
// the oldest of those is within span of the end. O(n) after sorting.
func refFirstWindow(recs []refChangeRec, required [4]bool, span time.Duration) (refWindow, bool) {
	last := [4]int{-1, -1, -1, -1}
	for i := 0; i < len(recs); {
		j := i
		for j < len(recs) && recs[j].at == recs[i].at {
			last[recs[j].typ] = j
			j++
		}
		i = j
		w := refWindow{chosen: [4]int{-1, -1, -1, -1}, start: recs[j-1].at, end: recs[j-1].at}
		complete := true
		for typ, need := range required {
			if !need {
				continue
			}
			if last[typ] < 0 {
				complete = false
				break
			}
			w.chosen[typ] = last[typ]
			if at := recs[last[typ]].at; at < w.start {
				w.start = at
			}
		}
		if complete && time.Duration(w.end-w.start) <= span {
			return w, true
		}
	}
	return refWindow{}, false
}

// takeovers evaluates the account-takeover rule, and the incomplete
// candidates when some change types failed to arrive.
func (a *refAccumulator) takeovers(failed []config.ChangeType) ([]Takeover, []Candidate) {
	all := [4]bool{true, true, true, true}
	var partial [4]bool
	var missing []config.ChangeType
	failedSet := map[config.ChangeType]bool{}
	for _, f := range failed {
		failedSet[f] = true
	}
	anyArrived := false
	for i, ct := range config.ChangeTypes {
		if failedSet[ct] {
			missing = append(missing, ct)
		} else {
			partial[i] = true
			anyArrived = true
		}
	}

	var takeovers []Takeover
	var candidates []Candidate
	for user, recs := range a.changes {
		sort.Slice(recs, func(i, j int) bool {
			if recs[i].at != recs[j].at {
				return recs[i].at < recs[j].at
			}
			return recs[i].typ < recs[j].typ
		})
		if w, ok := refFirstWindow(recs, all, a.p.TakeoverWindow); ok {
			takeovers = append(takeovers, a.takeover(user, recs, w))
			continue
		}
		if len(missing) > 0 && anyArrived {
			if _, ok := refFirstWindow(recs, partial, a.p.TakeoverWindow); ok {
				candidates = append(candidates, Candidate{User: user, Missing: append([]config.ChangeType(nil), missing...)})
			}
		}
	}
	sort.Slice(takeovers, func(i, j int) bool { return takeovers[i].User < takeovers[j].User })
	sort.Slice(candidates, func(i, j int) bool { return candidates[i].User < candidates[j].User })
	return takeovers, candidates
}

func (a *refAccumulator) takeover(user string, recs []refChangeRec, w refWindow) Takeover {
	t := Takeover{User: user, WindowStart: time.Unix(0, w.start), WindowEnd: time.Unix(0, w.end),
		Changes: make(map[config.ChangeType]ChangeEvent, 4)}
	for typ, idx := range w.chosen {
		r := recs[idx]
		ct := config.ChangeTypes[typ]
		t.Changes[ct] = ChangeEvent{User: user, Type: ct, Time: time.Unix(0, r.at),
			Database: a.names.name(r.db), Query: a.names.name(r.q)}
	}
	return t
}

func refTakeoverAlert(t Takeover) Alert {
	dbs := map[string]bool{}
	var evidence []Evidence
	for _, ct := range config.ChangeTypes {
		ev := t.Changes[ct]
		dbs[ev.Database] = true
		evidence = append(evidence, Evidence{Type: string(ct), Time: ev.Time, Database: ev.Database, Query: ev.Query})
	}
	return Alert{
		Rule: RuleTakeover, Severity: SeverityCritical, User: t.User, Database: refJoinSet(dbs),
		FirstSeen: t.WindowStart, LastSeen: t.WindowEnd, Count: len(evidence),
		Message:  fmt.Sprintf("password, email, phone and token changed within %s", refShortDuration(t.WindowEnd.Sub(t.WindowStart))),
		Evidence: evidence,
	}
}

// refJoinSet returns the set's members sorted and comma-joined.
func refJoinSet(set map[string]bool) string {
	var out []string
	for k := range set {
		if k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// refShortDuration renders 3h12m0s as "3h 12m" and 2m10s as "2m 10s".
func refShortDuration(d time.Duration) string { return span.Format(d.Round(time.Second)) }
