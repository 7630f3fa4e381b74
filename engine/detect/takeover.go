package detect

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"cam/config"
)

// changeRef is one of a user's change events while the rule looks at it.
type changeRef struct {
	at   int64
	meta uint32 // source << 2 | type
}

func (r changeRef) typ() int { return int(r.meta & 3) }

// window is a qualifying takeover window: the chosen record per type.
type window struct {
	chosen     [4]int // index into the user's sorted records, -1 when not required
	start, end int64
}

// firstWindow finds, in recs sorted by time, the qualifying window with the
// earliest end: events are scanned in time order, all events at one instant
// together; at each instant the latest record of every required type seen
// so far is the tightest choice ending there, so the window qualifies when
// the oldest of those is within span of the end. O(n) after sorting.
func firstWindow(recs []changeRef, required [4]bool, span time.Duration) (window, bool) {
	last := [4]int{-1, -1, -1, -1}
	for i := 0; i < len(recs); {
		j := i
		for j < len(recs) && recs[j].at == recs[i].at {
			last[recs[j].typ()] = j
			j++
		}
		i = j
		w := window{chosen: [4]int{-1, -1, -1, -1}, start: recs[j-1].at, end: recs[j-1].at}
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

// typeMasks returns the change-type bit masks of the takeover rule and of
// the incomplete-candidate check (0: no candidates), and the types that
// failed to arrive.
func typeMasks(failed []config.ChangeType) (all, partial uint8, missing []config.ChangeType) {
	all = 1<<len(config.ChangeTypes) - 1
	for i, ct := range config.ChangeTypes {
		if slices.Contains(failed, ct) {
			missing = append(missing, ct)
		} else {
			partial |= 1 << i
		}
	}
	if len(missing) == 0 {
		partial = 0 // a complete run has no candidates
	}
	return all, partial, missing
}

func required(mask uint8) [4]bool {
	var r [4]bool
	for i := range r {
		r[i] = mask&(1<<i) != 0
	}
	return r
}

// takeovers evaluates the account-takeover rule, and the incomplete
// candidates when some change types failed to arrive.
func (a *Accumulator) takeovers(failed []config.ChangeType) ([]Takeover, []Candidate) {
	all, partial, missing := typeMasks(failed)
	start, perm, masks := a.groupChanges(all, partial)

	var takeovers []Takeover
	var candidates []Candidate
	var recs []changeRef
	for u := 0; u+1 < len(start); u++ {
		if start[u] == start[u+1] {
			continue
		}
		recs = recs[:0]
		for _, i := range perm[start[u]:start[u+1]] {
			at, meta := a.changes.get(i)
			recs = append(recs, changeRef{at: at, meta: meta})
		}
		sortChanges(recs)
		if masks[u]&all == all {
			if w, ok := firstWindow(recs, required(all), a.p.TakeoverWindow); ok {
				takeovers = append(takeovers, a.takeover(uint32(u), recs, w))
				continue
			}
		}
		if partial != 0 && masks[u]&partial == partial {
			if _, ok := firstWindow(recs, required(partial), a.p.TakeoverWindow); ok {
				candidates = append(candidates, Candidate{User: a.users.name(uint32(u)), Missing: slices.Clone(missing)})
			}
		}
	}
	sort.Slice(takeovers, func(i, j int) bool { return takeovers[i].User < takeovers[j].User })
	sort.Slice(candidates, func(i, j int) bool { return candidates[i].User < candidates[j].User })
	return takeovers, candidates
}

// groupChanges orders the change records by user with one counting sort:
// perm[start[u]:start[u+1]] are user u's record numbers in arrival order,
// and masks[u] has bit i set when u has a change of config.ChangeTypes[i].
// Only users whose types cover all or partial can qualify; the others get
// no records, so they are skipped before any sorting. perm holds 4 bytes
// per record; the records themselves are not copied. Every loop here is a
// sequential scan with independent random updates, which the processor
// overlaps, unlike lookups made one event at a time.
func (a *Accumulator) groupChanges(all, partial uint8) (start, perm []uint32, masks []uint8) {
	n := a.users.len()
	start = make([]uint32, n+1)
	masks = make([]uint8, n)
	count := start[1:]
	for _, c := range a.changes.chunks {
		for k, u := range c.user {
			count[u]++
			masks[u] |= 1 << (c.meta[k] & 3)
		}
	}
	total := uint32(0)
	for u, m := range masks {
		c := count[u]
		if m&all != all && (partial == 0 || m&partial != partial) {
			c = 0
		}
		count[u] = total // start[u+1] holds the start of u for now
		total += c
	}
	// count[u] (= start[u+1]) is u's next free position; after the
	// scatter it is u's end, which is start[u+1] as wanted. Ineligible
	// users are told apart by their mask.
	perm = make([]uint32, total)
	i := uint32(0)
	for _, c := range a.changes.chunks {
		for _, u := range c.user {
			if m := masks[u]; m&all == all || partial != 0 && m&partial == partial {
				perm[count[u]] = i
				count[u]++
			}
			i++
		}
	}
	return start, perm, masks
}

func (a *Accumulator) takeover(u uint32, recs []changeRef, w window) Takeover {
	user := a.users.name(u)
	t := Takeover{User: user, WindowStart: time.Unix(0, w.start), WindowEnd: time.Unix(0, w.end),
		Changes: make(map[config.ChangeType]ChangeEvent, 4)}
	for typ, idx := range w.chosen {
		r := recs[idx]
		ct := config.ChangeTypes[typ]
		src := a.sources.get(r.meta >> 2)
		t.Changes[ct] = ChangeEvent{User: user, Type: ct, Time: time.Unix(0, r.at), Database: src.db, Query: src.query}
	}
	return t
}

func takeoverAlert(t Takeover) Alert {
	dbs := map[string]bool{}
	var evidence []Evidence
	for _, ct := range config.ChangeTypes {
		ev := t.Changes[ct]
		dbs[ev.Database] = true
		evidence = append(evidence, Evidence{Type: string(ct), Time: ev.Time, Database: ev.Database, Query: ev.Query})
	}
	return Alert{
		Rule: RuleTakeover, Severity: SeverityCritical, User: t.User, Database: joinSet(dbs),
		FirstSeen: t.WindowStart, LastSeen: t.WindowEnd, Count: len(evidence),
		Message:  fmt.Sprintf("password, email, phone and token changed within %s", shortDuration(t.WindowEnd.Sub(t.WindowStart))),
		Evidence: evidence,
	}
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

// shortDuration renders 3h12m0s as "3h12m" and 2m10s as "2m10s".
func shortDuration(d time.Duration) string {
	d = d.Round(time.Second)
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
