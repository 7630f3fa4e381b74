package detect

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"cam/internal/plural"
)

// activityByRule returns the numbers of the activity records that feed
// the brute-force, off-hours and role-violation rules.
func (a *Accumulator) activityByRule() (fails, night, guest []uint32) {
	for i, r := range a.activity {
		if r.flags&flagFailedLogin != 0 {
			fails = append(fails, uint32(i))
		}
		if r.flags&flagOffHours != 0 {
			night = append(night, uint32(i))
		}
		if r.flags&flagGuestWrite != 0 {
			guest = append(guest, uint32(i))
		}
	}
	return fails, night, guest
}

// userGroup is one group of sorted record numbers (one user's, or one
// user's of one day): where it ends, and its first record's instant and
// user.
type userGroup struct {
	first int64
	user  uint64
	end   uint32
}

// sortByUserDay orders record numbers by user, then local day (when byDay),
// then time, then arrival, and returns the groups of one user (and day,
// when byDay) in idx. The fields compared are copied beside each number
// first, so that sorting does not visit the 40-byte records in random
// order (one cache miss per comparison, as it did); the groups are found
// from the same copies, for the same reason. Users and days are radix
// sorted; a group, one or two records mostly, is then put in time order.
func (a *Accumulator) sortByUserDay(idx []uint32, byDay bool) (groups []userGroup) {
	keys := make([]sortItem, len(idx))
	for k, i := range idx {
		r := &a.activity[i]
		keys[k] = sortItem{key: r.user, at: r.at, i: i}
		if byDay {
			keys[k].tag = r.day
		}
	}
	// Least significant first: by day, then (stably) by user.
	keys, spare := radixSort(keys, make([]sortItem, len(keys)), true)
	keys, _ = radixSort(keys, spare, false)
	// Counted first: grown by append, the groups of a few hundred
	// thousand records were copied and faulted in several times.
	n := 0
	for k := range keys {
		if k == 0 || keys[k].key != keys[k-1].key || keys[k].tag != keys[k-1].tag {
			n++
		}
	}
	groups = make([]userGroup, 0, n)
	for k := 0; k < len(keys); {
		end := k + 1
		for end < len(keys) && keys[end].key == keys[k].key && keys[end].tag == keys[k].tag {
			end++
		}
		sortByTime(keys[k:end])
		groups = append(groups, userGroup{first: keys[k].at, user: keys[k].key, end: uint32(end)})
		for ; k < end; k++ {
			idx[k] = keys[k].i
		}
	}
	return groups
}

// sortByTime orders one group's items by time, then number: by insertion
// when few, as nearly every group is.
func sortByTime(items []sortItem) {
	less := func(x, y *sortItem) bool { return x.at < y.at || x.at == y.at && x.i < y.i }
	if len(items) > 32 {
		slices.SortFunc(items, func(x, y sortItem) int {
			if x.at != y.at {
				return cmp.Compare(x.at, y.at)
			}
			return cmp.Compare(x.i, y.i)
		})
		return
	}
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && less(&items[j], &items[j-1]); j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
}

// runs calls f for each group of idx.
func runs(idx []uint32, groups []userGroup, f func(g int, run []uint32)) {
	from := uint32(0)
	for g, gr := range groups {
		f(g, idx[from:gr.end])
		from = gr.end
	}
}

// bruteForce evaluates the brute-force rule. A failure is marked when it
// lies in some closed window of BruteForceWindow holding more than
// BruteForceThreshold failures of the same username (two pointers over the
// sorted failures); consecutive marked failures no more than the window
// apart form one burst, and each burst is one alert counting its failures.
func (a *Accumulator) bruteForce(fails []uint32) []Alert {
	users := a.sortByUserDay(fails, false)
	recs := a.activity
	window := int64(a.p.BruteForceWindow)
	threshold := a.p.BruteForceThreshold
	var alerts []Alert
	var marked []bool
	runs(fails, users, func(_ int, user []uint32) {
		if len(user) <= threshold {
			return
		}
		at := func(k int) int64 { return recs[user[k]].at }
		marked = append(marked[:0], make([]bool, len(user))...)
		markedTo := -1
		for i, j := 0, 0; i < len(user); i++ {
			if j < i {
				j = i
			}
			for j+1 < len(user) && at(j+1)-at(i) <= window {
				j++
			}
			if j-i+1 > threshold {
				for k := max(i, markedTo+1); k <= j; k++ {
					marked[k] = true
				}
				markedTo = max(markedTo, j)
			}
		}
		for i := 0; i < len(user); {
			if !marked[i] {
				i++
				continue
			}
			j := i
			for j+1 < len(user) && marked[j+1] && at(j+1)-at(j) <= window {
				j++
			}
			alerts = append(alerts, a.burstAlert(user[i:j+1]))
			i = j + 1
		}
	})
	return alerts
}

func (a *Accumulator) burstAlert(burst []uint32) Alert {
	dbs, ips := map[string]bool{}, map[string]bool{}
	evidence := make([]Evidence, 0, min(len(burst), maxEvidence))
	for _, i := range burst {
		r := &a.activity[i]
		src, ip := a.sources.get(r.src), a.strs.name(r.ip)
		dbs[src.db] = true
		if ip != "" {
			ips[ip] = true
		}
		if len(evidence) < maxEvidence {
			evidence = append(evidence, Evidence{Type: "LOGIN", Time: time.Unix(0, r.at), Database: src.db,
				Query: src.query, Status: "FAILED", IP: ip})
		}
	}
	first, last := time.Unix(0, a.activity[burst[0]].at), time.Unix(0, a.activity[burst[len(burst)-1]].at)
	msg := fmt.Sprintf("%d failed logins in %s", len(burst), shortDuration(last.Sub(first)))
	if len(ips) > 0 {
		msg += fmt.Sprintf(" from %d %s", len(ips), plural.Word(len(ips), "address", "addresses"))
	}
	return Alert{Rule: RuleBruteForce, Severity: SeverityHigh, User: a.keyName(a.activity[burst[0]].user), Database: joinSet(dbs),
		FirstSeen: first, LastSeen: last, Count: len(burst), Message: msg, IPs: sortedSet(ips), Evidence: evidence}
}

// dayAlerts makes one alert per user and local day of the records idx,
// sorted by sortByUserDay into groups: the off-hours rule or the
// role-violation rule. Group g's alert is made in alerts[pos[g]], its
// place in the findings' order, so that no alert is moved once made.
func (a *Accumulator) dayAlerts(alerts []Alert, pos []int32, idx []uint32, groups []userGroup, rule Rule) {
	recs := a.activity
	hours := fmt.Sprintf("%s–%s %s", clock(a.p.BusinessStart), clock(a.p.BusinessEnd), a.p.BusinessLocation.String())
	// Most groups hold one or two events: the distinct databases and
	// operations are collected in small reused slices, not maps.
	var dbs, ops []string
	var evidenceBuf []Evidence
	days, messages := dayNames{}, offHoursMessages{}
	runs(idx, groups, func(g int, run []uint32) {
		dbs, ops = dbs[:0], ops[:0]
		// Evidence slices are cut from shared blocks: one allocation per
		// few thousand alerts instead of one per alert. Each slice's
		// capacity is its own, so an append to it cannot reach another's.
		k := min(len(run), maxEvidence)
		if cap(evidenceBuf)-len(evidenceBuf) < k {
			evidenceBuf = make([]Evidence, 0, max(4096, k))
		}
		from := len(evidenceBuf)
		evidence := evidenceBuf[from : from : from+k]
		evidenceBuf = evidenceBuf[:from+k]
		for _, i := range run {
			r := &recs[i]
			src, op := a.sources.get(r.src), a.strs.name(r.op)
			dbs = appendNew(dbs, src.db)
			ops = appendNew(ops, op)
			if len(evidence) < maxEvidence {
				evidence = append(evidence, Evidence{Type: op, Time: time.Unix(0, r.at), Database: src.db, Query: src.query,
					Status: a.strs.name(r.status), IP: a.strs.name(r.ip)})
			}
		}
		first := &recs[run[0]]
		n, day := len(run), days.name(first.day)
		// The alert is filled where it lies: a copy of its 200 bytes
		// cost a bulk write barrier while the collector runs.
		alert := &alerts[pos[g]]
		alert.Rule, alert.User, alert.Database = rule, a.keyName(first.user), joinList(dbs)
		alert.FirstSeen, alert.LastSeen = time.Unix(0, first.at), time.Unix(0, recs[run[len(run)-1]].at)
		alert.Count, alert.Evidence = n, evidence
		if rule == RuleRoleViolation {
			alert.Severity = SeverityCritical
			alert.Operations = slices.Clone(ops)
			slices.Sort(alert.Operations)
			alert.Message = fmt.Sprintf("Guest role: %d %s (%s) on %s", n, plural.Word(n, "write", "writes"), strings.Join(alert.Operations, ", "), day)
		} else {
			alert.Severity = SeverityMedium
			alert.Message = messages.offHours(n, first.day, day, hours)
		}
		if n > len(evidence) {
			alert.Message += fmt.Sprintf(" (first %d kept as evidence)", len(evidence))
		}
	})
}

// offHoursMessages remembers the off-hours rule's messages: they depend on
// the count and the day alone, and most of a run's hundreds of thousands
// of alerts count one or two actions on one of a few dozen days, so they
// share a few hundred strings instead of each making its own.
type offHoursMessages map[int64]string

func (m offHoursMessages) offHours(n int, day int32, dayName, hours string) string {
	key := int64(n)<<32 | int64(uint32(day))
	if s, ok := m[key]; ok {
		return s
	}
	s := strconv.Itoa(n) + " " + plural.Word(n, "action", "actions") + " outside business hours (" + hours + ") on " + dayName
	m[key] = s
	return s
}

// dayNames renders local day numbers, remembering each: a run's alerts
// fall on a few hundred days, and formatting a date costs more than
// looking it up.
type dayNames map[int32]string

func (d dayNames) name(day int32) string {
	if s, ok := d[day]; ok {
		return s
	}
	s := dayString(day)
	d[day] = s
	return s
}

// appendNew appends s to list unless it is there already.
func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// joinList is joinSet for a list of distinct names: sorted, without "",
// comma-joined.
func joinList(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	out := slices.DeleteFunc(slices.Clone(names), func(s string) bool { return s == "" })
	slices.Sort(out)
	return strings.Join(out, ", ")
}

func sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}
