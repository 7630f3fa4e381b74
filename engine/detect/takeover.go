package detect

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"cam/config"
	"cam/internal/span"
)

// changeRef is one of a user's change events while the rule looks at it.
type changeRef struct {
	at   int64
	meta uint32 // source << typeBits | type
}

func (r changeRef) typ() int { return int(r.meta & typeMask) }

// window is a qualifying takeover window: the chosen record per type.
type window struct {
	chosen     [MaxChangeTypes]int32 // index into the user's sorted records, -1 when not chosen
	types      uint16                // the chosen types
	start, end int64
}

// firstWindow finds, in recs sorted by time, the qualifying window with the
// earliest end: events are scanned in time order, all events at one instant
// together; at each instant the latest record of every type seen so far is
// the tightest choice ending there, so the window qualifies when at least
// need of the required types have their latest record within span of the
// end. The chosen records are those latest records. O(n) after sorting.
func firstWindow(recs []changeRef, required uint16, need int, span time.Duration) (window, bool) {
	var last [MaxChangeTypes]int32
	var seen uint16
	for i := 0; i < len(recs); {
		j := i
		for j < len(recs) && recs[j].at == recs[i].at {
			t := recs[j].typ()
			last[t] = int32(j)
			seen |= 1 << t
			j++
		}
		i = j
		if bits.OnesCount16(seen&required) < need {
			continue
		}
		w := window{start: recs[j-1].at, end: recs[j-1].at}
		for m := seen & required; m != 0; m &= m - 1 {
			t := bits.TrailingZeros16(m)
			if at := recs[last[t]].at; time.Duration(w.end-at) <= span {
				w.types |= 1 << t
				w.start = min(w.start, at)
			}
		}
		if bits.OnesCount16(w.types) >= need {
			for t := range w.chosen {
				w.chosen[t] = -1
				if w.types&(1<<t) != 0 {
					w.chosen[t] = last[t]
				}
			}
			return w, true
		}
	}
	return window{}, false
}

// lessChange orders a user's events by time, then type.
func lessChange(x, y changeRef) bool { return x.at < y.at || x.at == y.at && x.typ() < y.typ() }

// sortChanges orders one user's events by time, then type; equal events
// keep their arrival order. Events arrive mostly in time order and a user
// has a handful, so insertion sort is the common case.
func sortChanges(recs []changeRef) {
	if len(recs) > 48 {
		slices.SortStableFunc(recs, func(x, y changeRef) int {
			switch {
			case lessChange(x, y):
				return -1
			case lessChange(y, x):
				return 1
			}
			return 0
		})
		return
	}
	for i := 1; i < len(recs); i++ {
		for j := i; j > 0 && lessChange(recs[j], recs[j-1]); j-- {
			recs[j], recs[j-1] = recs[j-1], recs[j]
		}
	}
}

// takeoverRule is what the takeover rule looks for in one run.
type takeoverRule struct {
	all     uint16 // every configured type
	need    int    // how many of them a window needs
	partial uint16 // the types that arrived when some failed; 0 in a complete run
	missing []config.ChangeType
	span    time.Duration
	types   int // how many types are configured
	// bucketShift sizes mayQualify's buckets, 2^bucketShift ns: a
	// quarter to a half of the span (setBuckets). reach is how many
	// buckets after its first event's a window can end in.
	bucketShift, reach uint
}

// setBuckets sizes mayQualify's buckets for the rule's span. Buckets of a
// quarter to a half of the span let a window end 2 to 4 buckets past its
// first (users pass with their types' events within 1.25 to 2 spans of
// one another), where buckets of one to two spans let it end one bucket
// past (2 to 4 spans): fewer users whose changes merely fall in the same
// few days pass the filter to be sorted and scanned (of the benchmark's
// users, with a month of random changes and a day's window, 2.5% instead
// of 4.7%). Finer buckets would wrap the 64-bit map within days.
func (r *takeoverRule) setBuckets() {
	span := uint64(max(r.span, 1))
	r.bucketShift = uint(max(bits.Len64(span-1)-2, 0))
	size := uint64(1) << r.bucketShift
	r.reach = uint((span + size - 1) / size) // a window's events lie within reach buckets of its first's
}

// eligible reports whether a user whose changes cover the types in mask can
// qualify at all; the others are skipped before anything is sorted.
func (r *takeoverRule) eligible(mask uint16) bool {
	return bits.OnesCount16(mask&r.all) >= r.need || r.partial != 0 && mask&r.partial == r.partial
}

// mayQualify reports whether a window of the rule (or of a candidate) can
// exist among a user's events, given in[t], the time buckets holding the
// user's events of type t (bucketBit); when it says no, firstWindow would
// find none, so the user is rejected without gathering, sorting and
// scanning its events. Most users who changed every type did so days
// apart.
//
// Buckets are 2^bucketShift nanoseconds, so any window lies within
// reach+1 adjacent buckets: a window needs a bucket b such that each type
// it needs has an event in b to b+reach. A bucket is a bit of a 64-bit
// map, bucket number mod 64: buckets 64 apart share a bit, which can only
// let more users through, never fewer.
func (r *takeoverRule) mayQualify(in []uint64) bool {
	// near[t]: the buckets b with a type t event in b to b+reach (bucket
	// 63's next is 0).
	var near [MaxChangeTypes]uint64
	every := ^uint64(0)
	for t, b := range in {
		// Doubling: n holds the buckets with an event in the next
		// covered-1, then in as many again (up to reach).
		n := b | bits.RotateLeft64(b, -1)
		for covered := 2; covered <= int(r.reach); {
			k := min(covered, int(r.reach)+1-covered)
			n |= bits.RotateLeft64(n, -k)
			covered += k
		}
		near[t] = n
		every &= n
	}
	if r.partial == 0 && r.need == len(in) {
		return every != 0 // every type needed, as by default
	}
	return r.window(&near, r.all, r.need) || r.partial != 0 && r.window(&near, r.partial, bits.OnesCount16(r.partial))
}

// bucketBit is the bit of mayQualify's bucket map for an instant. An
// instant so early that firstWindow's difference to a late end overflows
// (and so counts as within the span) is in every bucket.
func (r *takeoverRule) bucketBit(at int64) uint64 {
	if at < overflowBefore {
		return ^uint64(0)
	}
	return 1 << (uint64(at>>r.bucketShift) & 63)
}

// overflowBefore bounds the instants (Unix nanoseconds, before 1908) whose
// difference to an instant up to MaxTime can exceed int64.
var overflowBefore = MaxTime.UnixNano() - math.MaxInt64

// window reports whether some bucket is near events of at least need of
// the types.
func (r *takeoverRule) window(near *[MaxChangeTypes]uint64, types uint16, need int) bool {
	var any, all uint64 = 0, ^uint64(0)
	for m := types; m != 0; m &= m - 1 {
		t := bits.TrailingZeros16(m)
		any |= near[t]
		all &= near[t]
	}
	if need == bits.OnesCount16(types) {
		return all != 0
	}
	for b := any; b != 0; b &= b - 1 {
		n := 0
		for m := types; m != 0; m &= m - 1 {
			if near[bits.TrailingZeros16(m)]&(b&-b) != 0 {
				n++
			}
		}
		if n >= need {
			return true
		}
	}
	return false
}

func (a *Accumulator) takeoverRule(failed []config.ChangeType) takeoverRule {
	r := takeoverRule{all: 1<<len(a.types) - 1, need: a.p.minTypes(), span: a.p.TakeoverWindow}
	r.types = len(a.types)
	r.setBuckets()
	for i, ct := range a.types {
		if slices.Contains(failed, ct) {
			r.missing = append(r.missing, ct)
		} else {
			r.partial |= 1 << i
		}
	}
	if len(r.missing) == 0 {
		r.partial = 0 // a complete run has no candidates
	}
	return r
}

// takeovers evaluates the account-takeover rule, and the incomplete
// candidates when some change types failed to arrive, one partition of
// users at a time.
func (a *Accumulator) takeovers(failed []config.ChangeType) ([]Takeover, []Candidate) {
	rule := a.takeoverRule(failed)
	var g grouper
	var takeovers []Takeover
	var candidates []Candidate
	var parts []partRef
	for k := range partitions {
		// Partition k of every store of the accumulator and of every
		// shard: the same users.
		parts = parts[:0]
		for _, stores := range a.allStores() {
			for _, st := range stores.list {
				if !st.empty(k) {
					parts = append(parts, partRef{s: st, k: k})
				}
			}
		}
		if len(parts) == 0 {
			continue
		}
		for s := range g.split(parts) {
			if len(g.subs[s]) == 0 {
				continue
			}
			g.group(s, parts, &rule)
			for u := range g.hashes {
				recs := g.refs[g.start[u]:g.start[u+1]]
				if len(recs) == 0 {
					continue
				}
				mask := g.masks[u]
				sortChanges(recs)
				if w, ok := a.bestWindow(recs, mask, &rule); ok {
					takeovers = append(takeovers, a.takeover(g.key(u), recs, w))
					continue
				}
				if rule.partial != 0 && mask&rule.partial == rule.partial {
					if _, ok := firstWindow(recs, rule.partial, bits.OnesCount16(rule.partial), rule.span); ok {
						candidates = append(candidates, Candidate{User: a.keyName(g.key(u)), Missing: slices.Clone(rule.missing)})
					}
				}
			}
		}
	}
	sort.Slice(takeovers, func(i, j int) bool { return takeovers[i].User < takeovers[j].User })
	sort.Slice(candidates, func(i, j int) bool { return candidates[i].User < candidates[j].User })
	return takeovers, candidates
}

// bestWindow finds the takeover window with the most configured types, at
// least rule.need of them; of those, the one that ends first. With every
// type needed (the default) that is one pass of firstWindow.
func (a *Accumulator) bestWindow(recs []changeRef, mask uint16, rule *takeoverRule) (window, bool) {
	for k := bits.OnesCount16(mask & rule.all); k >= rule.need; k-- {
		if w, ok := firstWindow(recs, rule.all, k, rule.span); ok {
			return w, true
		}
	}
	return window{}, false
}

// allStores returns the change stores of the accumulator and of every
// shard.
func (a *Accumulator) allStores() []*changeStores {
	out := []*changeStores{&a.changes}
	for _, s := range a.shards {
		out = append(out, &s.changes)
	}
	return out
}

// keyName returns the user id a record's key stands for.
func (a *Accumulator) keyName(key uint64) string {
	if key&textual != 0 {
		return a.users.name(uint32(key &^ textual))
	}
	return strconv.FormatUint(key, 10)
}

func (a *Accumulator) takeover(key uint64, recs []changeRef, w window) Takeover {
	user := a.keyName(key)
	t := Takeover{User: user, WindowStart: time.Unix(0, w.start), WindowEnd: time.Unix(0, w.end),
		Changes: make(map[config.ChangeType]ChangeEvent, len(a.types))}
	for typ, idx := range w.chosen[:len(a.types)] {
		if idx < 0 {
			continue
		}
		r := recs[idx]
		ct := a.types[typ]
		src := a.sources.get(r.meta >> typeBits)
		t.Changes[ct] = ChangeEvent{User: user, Type: ct, Time: time.Unix(0, r.at), Database: src.db, Query: src.query}
	}
	return t
}

func (a *Accumulator) takeoverAlert(t Takeover) Alert {
	changed, missing := t.ChangedTypes(a.types)
	dbs := map[string]bool{}
	evidence := make([]Evidence, 0, len(changed))
	for _, ct := range changed {
		ev := t.Changes[ct]
		dbs[ev.Database] = true
		evidence = append(evidence, Evidence{Type: string(ct), Time: ev.Time, Database: ev.Database, Query: ev.Query})
	}
	msg := fmt.Sprintf("%s changed within %s", andList(changed), shortDuration(t.WindowEnd.Sub(t.WindowStart)))
	severity := SeverityCritical
	if len(missing) > 0 {
		severity = SeverityHigh
		msg += fmt.Sprintf("; %s did not", orList(missing))
	}
	return Alert{
		Rule: RuleTakeover, Severity: severity, User: t.User, Database: joinSet(dbs),
		FirstSeen: t.WindowStart, LastSeen: t.WindowEnd, Count: len(evidence),
		Message: msg, Evidence: evidence,
	}
}

// ChangedTypes splits the configured takeover types (in their order) into
// those the takeover's window holds a change of and those it does not. A
// takeover missing none is critical, one missing some (allowed by
// detection.takeover_min_types) high.
func (t Takeover) ChangedTypes(types []config.ChangeType) (changed, missing []config.ChangeType) {
	for _, ct := range types {
		if _, ok := t.Changes[ct]; ok {
			changed = append(changed, ct)
		} else {
			missing = append(missing, ct)
		}
	}
	return changed, missing
}

// Severity is the takeover's alert severity given the configured types:
// critical when every type changed in the window, high when fewer did.
func (t Takeover) Severity(types []config.ChangeType) Severity {
	if _, missing := t.ChangedTypes(types); len(missing) > 0 {
		return SeverityHigh
	}
	return SeverityCritical
}

// andList renders a, b, c as "a, b and c".
func andList(types []config.ChangeType) string { return joinLast(types, " and ") }

// orList renders a, b, c as "a, b or c".
func orList(types []config.ChangeType) string { return joinLast(types, " or ") }

func joinLast(types []config.ChangeType, last string) string {
	var b strings.Builder
	for i, ct := range types {
		switch {
		case i == 0:
		case i == len(types)-1:
			b.WriteString(last)
		default:
			b.WriteString(", ")
		}
		b.WriteString(string(ct))
	}
	return b.String()
}

// joinSet returns the set's members sorted and comma-joined.
func joinSet(set map[string]bool) string {
	var out []string
	for k := range set {
		if k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// shortDuration words a span in a message as every screen does: "3h 12m",
// "2m 10s".
func shortDuration(d time.Duration) string { return span.Format(d.Round(time.Second)) }
