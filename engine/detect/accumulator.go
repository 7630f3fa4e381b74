package detect

import (
	"sort"
	"strings"
	"sync"
	"time"

	"cam/config"
)

// ParamsFrom builds rule parameters from the detection settings and the
// analyst's optional last event time.
func ParamsFrom(d config.Detection, anchor *time.Time) Params {
	return Params{
		TakeoverWindow:      d.TakeoverWindow,
		Anchor:              anchor,
		BruteForceThreshold: d.BruteForceThreshold,
		BruteForceWindow:    d.BruteForceWindow,
		BusinessLocation:    d.BusinessLocation,
		BusinessStart:       d.BusinessStart,
		BusinessEnd:         d.BusinessEnd,
		GuestRoles:          d.GuestRoles,
	}
}

// maxEvidence caps the evidence kept per aggregated alert; the alert's
// count still covers every event.
const maxEvidence = 1000

// Accumulator collects events from many queries at once and evaluates the
// rules when asked. Change events and failed logins are kept per user in
// compact records; off-hours and role-violation events are aggregated per
// user and day on arrival. It is safe for concurrent use.
type Accumulator struct {
	p      Params
	guests map[string]bool

	mu       sync.Mutex
	names    interner
	changes  map[string][]changeRec // by user
	failures map[string][]failRec   // failed LOGINs by attempted username
	offHours map[dayKey]*dayAgg
	guestOps map[dayKey]*dayAgg
}

// changeRec is one change event: 24 bytes instead of a ChangeEvent's ~100.
type changeRec struct {
	at    int64 // unix nanoseconds
	db, q uint32
	typ   uint8 // index into config.ChangeTypes
}

type failRec struct {
	at        int64
	db, q, ip uint32
}

type dayKey struct {
	user string
	day  string // YYYY-MM-DD in the business zone
}

type dayAgg struct {
	count       int
	first, last time.Time
	dbs         map[string]bool
	ops         map[string]bool
	evidence    []Evidence
}

// NewAccumulator returns an empty accumulator for one run.
func NewAccumulator(p Params) *Accumulator {
	if p.BusinessLocation == nil {
		p.BusinessLocation = time.Local
	}
	guests := map[string]bool{}
	for _, r := range p.GuestRoles {
		guests[strings.ToLower(strings.TrimSpace(r))] = true
	}
	return &Accumulator{
		p: p, guests: guests, names: newInterner(),
		changes: map[string][]changeRec{}, failures: map[string][]failRec{},
		offHours: map[dayKey]*dayAgg{}, guestOps: map[dayKey]*dayAgg{},
	}
}

// AddChange records one change event. In anchored mode events outside
// [T - window, T] are dropped here, so they cost no memory.
func (a *Accumulator) AddChange(e ChangeEvent) {
	user := strings.TrimSpace(e.User)
	typ := changeIndex(e.Type)
	if user == "" || typ < 0 || !InRange(e.Time) {
		return
	}
	if t := a.p.Anchor; t != nil && (e.Time.Before(t.Add(-a.p.TakeoverWindow)) || e.Time.After(*t)) {
		return
	}
	a.mu.Lock()
	a.changes[user] = append(a.changes[user], changeRec{
		at: e.Time.UnixNano(), typ: uint8(typ), db: a.names.id(e.Database), q: a.names.id(e.Query),
	})
	a.mu.Unlock()
}

// AddActivity records one activity event for the brute-force, off-hours
// and role-violation rules. In anchored mode the run is "as of T": events
// after T are dropped, as they are for the takeover rule.
func (a *Accumulator) AddActivity(e ActivityEvent) {
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
	offHours := isOffHours(local, a.p.BusinessStart, a.p.BusinessEnd)
	guestWrite := a.guests[strings.ToLower(strings.TrimSpace(e.Role))] && (op == "INSERT" || op == "UPDATE" || op == "DELETE")
	failedLogin := op == "LOGIN" && (status == "failed" || status == "failure")
	if !offHours && !guestWrite && !failedLogin {
		return
	}
	ev := Evidence{Type: op, Time: e.Time, Database: e.Database, Query: e.Query, Status: e.Status, IP: e.IP}
	key := dayKey{user: user, day: local.Format("2006-01-02")}

	a.mu.Lock()
	defer a.mu.Unlock()
	if failedLogin {
		a.failures[user] = append(a.failures[user], failRec{
			at: e.Time.UnixNano(), db: a.names.id(e.Database), q: a.names.id(e.Query), ip: a.names.id(e.IP),
		})
	}
	if offHours {
		addToDay(a.offHours, key, ev)
	}
	if guestWrite {
		addToDay(a.guestOps, key, ev)
	}
}

// isOffHours reports whether local falls before start or at/after end
// (offsets from local midnight).
func isOffHours(local time.Time, start, end time.Duration) bool {
	sinceMidnight := time.Duration(local.Hour())*time.Hour + time.Duration(local.Minute())*time.Minute +
		time.Duration(local.Second())*time.Second + time.Duration(local.Nanosecond())
	return sinceMidnight < start || sinceMidnight >= end
}

func addToDay(m map[dayKey]*dayAgg, key dayKey, ev Evidence) {
	agg := m[key]
	if agg == nil {
		agg = &dayAgg{first: ev.Time, last: ev.Time, dbs: map[string]bool{}, ops: map[string]bool{}}
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
	if len(agg.evidence) < maxEvidence {
		agg.evidence = append(agg.evidence, ev)
	}
}

func changeIndex(ct config.ChangeType) int {
	for i, c := range config.ChangeTypes {
		if c == ct {
			return i
		}
	}
	return -1
}

// Findings evaluates every rule over what was added. failed lists the
// change types whose queries failed, for incomplete candidates.
func (a *Accumulator) Findings(failed []config.ChangeType) Findings {
	a.mu.Lock()
	defer a.mu.Unlock()
	var f Findings
	f.Takeovers, f.Candidates = a.takeovers(failed)
	for _, t := range f.Takeovers {
		f.Alerts = append(f.Alerts, takeoverAlert(t))
	}
	f.Alerts = append(f.Alerts, a.bruteForce()...)
	f.Alerts = append(f.Alerts, a.offHoursAlerts()...)
	f.Alerts = append(f.Alerts, a.roleViolations()...)
	sortAlerts(f.Alerts)
	return f
}

func sortAlerts(alerts []Alert) {
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

// interner maps repeated strings (database, query, IP) to small ids, so
// millions of events share one copy of each.
type interner struct {
	ids   map[string]uint32
	names []string
}

func newInterner() interner { return interner{ids: map[string]uint32{}} }

func (n *interner) id(s string) uint32 {
	if id, ok := n.ids[s]; ok {
		return id
	}
	id := uint32(len(n.names))
	n.ids[s] = id
	n.names = append(n.names, s)
	return id
}

func (n *interner) name(id uint32) string {
	if int(id) < len(n.names) {
		return n.names[id]
	}
	return ""
}
