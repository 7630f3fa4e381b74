package detect

import (
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"cam/config"
)

// ParamsFrom builds rule parameters from the detection settings and the
// analyst's optional last event time.
func ParamsFrom(d config.Detection, anchor *time.Time) Params {
	return Params{
		TakeoverWindow:      d.TakeoverWindow,
		TakeoverTypes:       d.TakeoverTypes,
		TakeoverMinTypes:    d.TakeoverMinTypes,
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
// count still covers every event. The earliest events are kept.
const maxEvidence = 1000

// Accumulator collects events from many queries at once and evaluates the
// rules when asked. It is safe for concurrent use.
//
// Millions of rows arrive per run, so nothing per event is a string or a
// map entry: change events are 8-byte records (12 or 16 bytes for
// fractions of a second, far instants and wide keys) keyed by the user's
// number (text ids are interned once), partitioned by user so that
// Findings groups each partition in cache (a query adds its rows, a user
// and an instant each, through its own ChangeShard, which holds the
// query's source and type, without the lock); the few activity events a
// rule can use are 40-byte records. The rules walk each user's events
// with two pointers.
type Accumulator struct {
	p     Params
	types []config.ChangeType // the takeover rule's types; a record holds an index
	// from and to bound, in Unix nanoseconds, the instants a change event
	// counts at (window).
	from, to int64

	mu      sync.Mutex
	users   userTable
	sources sourceTable // (database, query) pairs
	strs    interner    // operations, statuses, addresses
	// The last operation, status and address interned.
	lastOp, lastStatus, lastIP lastID
	ops                        opCache
	roles                      roleCache
	zone                       zoneCache
	changes                    changeStores
	shards                     []*ChangeShard // per-query change stores (NewChangeShard)
	activity                   []activityRec
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
	a := &Accumulator{
		p: p, types: p.changeTypes(), users: newUserTable(), sources: newSourceTable(), strs: newInterner(),
		ops: newOpCache(), roles: newRoleCache(guests), zone: zoneCache{loc: p.BusinessLocation},
	}
	a.from, a.to = a.window()
	return a
}

// AddChange records one change event. In anchored mode events outside
// [T - window, T] are dropped here, so they cost no memory.
func (a *Accumulator) AddChange(e ChangeEvent) {
	p := a.prepare(&e)
	if p.typ < 0 {
		return
	}
	a.mu.Lock()
	a.addPrepared(&e, p)
	a.mu.Unlock()
}

// AddChanges records a batch of change events; it is AddChange for
// callers that read rows in batches. The strings of the batch may be
// reused once it returns.
//
// Each event is checked, trimmed and parsed before the lock is taken, so
// queries adding at once wait for one another only for the appends.
func (a *Accumulator) AddChanges(batch []ChangeEvent) {
	var prepared [256]preparedChange
	for len(batch) > 0 {
		n := min(len(batch), len(prepared))
		// A batch comes from one query, so its events share a type:
		// look the type up when it differs from the previous event's.
		var lastType config.ChangeType
		lastIndex := -1
		for i := range batch[:n] {
			e := &batch[i]
			if lastIndex < 0 || e.Type != lastType {
				lastType, lastIndex = e.Type, a.typeIndex(e.Type)
			}
			prepared[i] = a.prepareTyped(e, preparedChange{typ: int8(lastIndex), key: notNumeric})
		}
		a.mu.Lock()
		for i, p := range prepared[:n] {
			if p.typ >= 0 {
				a.addPrepared(&batch[i], p)
			}
		}
		a.mu.Unlock()
		batch = batch[n:]
	}
}

// preparedChange is a change event checked without the lock; typ < 0
// marks one the rules ignore.
type preparedChange struct {
	sec  int64 // Unix seconds
	nsec int32 // and nanoseconds
	typ  int8
	key  uint64 // the user's number, or notNumeric
}

func (a *Accumulator) prepare(e *ChangeEvent) preparedChange {
	p := preparedChange{typ: int8(a.typeIndex(e.Type)), key: notNumeric}
	return a.prepareTyped(e, p)
}

// prepareTyped is prepare once the type index is known.
func (a *Accumulator) prepareTyped(e *ChangeEvent, p preparedChange) preparedChange {
	var ok bool
	if p.typ < 0 {
		return p
	}
	if p.sec, p.nsec, ok = a.instant(e.Time); !ok {
		p.typ = -1
		return p
	}
	if n, ok := number(e.User); ok { // most ids: digits, untrimmed
		p.key = n
		return p
	}
	user := strings.TrimSpace(e.User)
	if n, ok := number(user); ok {
		p.key = n
	} else if user == "" {
		p.typ = -1
	}
	return p
}

// instant returns a change event's instant in Unix seconds and
// nanoseconds and whether it counts: in range, and in anchored mode within
// [T - window, T], the window a shard's rows are compared with.
func (a *Accumulator) instant(t time.Time) (sec int64, nsec int32, ok bool) {
	sec = t.Unix()
	// Out of cam's range an instant's nanoseconds may not fit an int64;
	// one conversion to Unix seconds rules that out for the usual event.
	if (sec <= minSec || sec >= maxSec) && !inRange(t) {
		return 0, 0, false
	}
	nsec = int32(t.Nanosecond())
	if at := sec*1e9 + int64(nsec); at < a.from || at > a.to {
		return 0, 0, false
	}
	return sec, nsec, true
}

// typeIndex returns the index of a change type in the takeover rule's
// list, or -1 when the rule does not use it.
func (a *Accumulator) typeIndex(ct config.ChangeType) int {
	for i, c := range a.types {
		if c == ct {
			return i
		}
	}
	return -1
}

// addPrepared stores one prepared change; the caller holds the lock.
func (a *Accumulator) addPrepared(e *ChangeEvent, p preparedChange) {
	key := p.key
	if key == notNumeric {
		key = textual | uint64(a.users.id(strings.TrimSpace(e.User)))
	}
	a.changes.add(a.sources.id(e.Database, e.Query)<<typeBits|uint32(p.typ), key, p.sec*1e9+int64(p.nsec))
}

// userKey returns the key of a trimmed, non-empty user id: its number, or
// its interned text; the caller holds the lock.
func (a *Accumulator) userKey(user string) uint64 {
	if n, ok := number(user); ok {
		return n
	}
	return textual | uint64(a.users.id(user))
}

// notNumeric marks an id that is not a canonical number (numbers have at
// most 18 digits, so this value is never one).
const notNumeric = ^uint64(0)

// AddActivity records one activity event for the brute-force, off-hours
// and role-violation rules. In anchored mode the run is "as of T": events
// after T are dropped, as they are for the takeover rule.
func (a *Accumulator) AddActivity(e ActivityEvent) {
	a.mu.Lock()
	a.addActivity(&e)
	a.mu.Unlock()
}

// AddActivities records a batch of activity events under one lock.
func (a *Accumulator) AddActivities(batch []ActivityEvent) {
	a.mu.Lock()
	for i := range batch {
		a.addActivity(&batch[i])
	}
	a.mu.Unlock()
}

func (a *Accumulator) addActivity(e *ActivityEvent) {
	sec, nsec := e.Time.Unix(), int64(e.Time.Nanosecond())
	if (sec <= minSec || sec >= maxSec) && !InRange(e.Time) {
		return
	}
	if t := a.p.Anchor; t != nil && e.Time.After(*t) {
		return
	}
	op := a.ops.lookup(e.Operation)
	day, sinceMidnight := a.zone.local(e.Time, sec, nsec)
	var flags uint8
	if sinceMidnight < a.p.BusinessStart || sinceMidnight >= a.p.BusinessEnd {
		flags |= flagOffHours
	}
	if op.write && a.roles.guest(e.Role) {
		flags |= flagGuestWrite
	}
	if op.login && isFailure(e.Status) {
		flags |= flagFailedLogin
	}
	if flags == 0 {
		return
	}
	// Only a kept row needs its user: most rows were dropped above.
	user := strings.TrimSpace(e.User)
	if user == "" {
		return
	}
	if len(a.activity) == cap(a.activity) {
		// Double: append grows a large slice by about a quarter, which
		// copied and faulted in the records several times over.
		a.activity = slices.Grow(a.activity, max(len(a.activity), 256))
	}
	a.activity = append(a.activity, activityRec{
		at: sec*1e9 + nsec, user: a.userKey(user), day: int32(day), src: a.sources.id(e.Database, e.Query),
		op: a.lastOp.of(&a.strs, op.name), status: a.lastStatus.of(&a.strs, e.Status), ip: a.lastIP.of(&a.strs, e.IP), flags: flags,
	})
}

// isFailure reports whether a status means a failed login.
func isFailure(status string) bool {
	s := strings.TrimSpace(status)
	// Compare as the rule always has, lower-cased; the common spellings
	// are matched without allocating.
	switch s {
	case "FAILED", "Failed", "failed", "FAILURE", "Failure", "failure":
		return true
	}
	if len(s) != len("failed") && len(s) != len("failure") {
		return false
	}
	// ASCII text is compared case-folded, which does not allocate (ToLower
	// made a string per login row: "SUCCESS"); other text is lower-cased
	// as always ("FAİLED" lower-cases to "failed", and does not fold to it).
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			s = strings.ToLower(s)
			return s == "failed" || s == "failure"
		}
	}
	return strings.EqualFold(s, "failed") || strings.EqualFold(s, "failure")
}

// Findings evaluates every rule over what was added. failed lists the
// change types whose queries failed, for incomplete candidates. It does not
// consume what was added: a second call returns the same findings.
func (a *Accumulator) Findings(failed []config.ChangeType) Findings {
	a.mu.Lock()
	defer a.mu.Unlock()
	var f Findings
	f.Takeovers, f.Candidates = a.takeovers(failed)
	fails, night, guest := a.activityByRule()
	f.Alerts = a.alerts(f.Takeovers, a.bruteForce(fails), night, guest)
	return f
}
