package detect

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"cam/config"
)

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
func firstWindow(recs []changeRec, required [4]bool, span time.Duration) (window, bool) {
	last := [4]int{-1, -1, -1, -1}
	for i := 0; i < len(recs); {
		j := i
		for j < len(recs) && recs[j].at == recs[i].at {
			last[recs[j].typ] = j
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

// takeovers evaluates the account-takeover rule, and the incomplete
// candidates when some change types failed to arrive.
func (a *Accumulator) takeovers(failed []config.ChangeType) ([]Takeover, []Candidate) {
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
		if w, ok := firstWindow(recs, all, a.p.TakeoverWindow); ok {
			takeovers = append(takeovers, a.takeover(user, recs, w))
			continue
		}
		if len(missing) > 0 && anyArrived {
			if _, ok := firstWindow(recs, partial, a.p.TakeoverWindow); ok {
				candidates = append(candidates, Candidate{User: user, Missing: append([]config.ChangeType(nil), missing...)})
			}
		}
	}
	sort.Slice(takeovers, func(i, j int) bool { return takeovers[i].User < takeovers[j].User })
	sort.Slice(candidates, func(i, j int) bool { return candidates[i].User < candidates[j].User })
	return takeovers, candidates
}

func (a *Accumulator) takeover(user string, recs []changeRec, w window) Takeover {
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
