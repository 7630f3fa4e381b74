package detect

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"cam/config"
)

// randomRun builds a run that exercises every rule: few users so that they
// collide, times around both London clock changes, ops, statuses and roles
// in mixed case and padding, out-of-range instants, and several sources.
// An event's source is a function of its time, so that two events at one
// instant are interchangeable (the reference breaks such ties arbitrarily).
func randomRun(rng *rand.Rand) ([]ChangeEvent, []ActivityEvent) {
	bases := []time.Time{
		time.Date(2026, 3, 28, 20, 0, 0, 0, time.UTC), // London springs forward on the 29th
		time.Date(2026, 10, 24, 20, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 20, 0, 0, 0, time.UTC),
	}
	base := bases[rng.IntN(len(bases))]
	at := func(span time.Duration) time.Time {
		if rng.IntN(200) == 0 {
			return time.Date(2263, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		return base.Add(time.Duration(rng.Int64N(int64(span/time.Second))) * time.Second)
	}
	user := func() string {
		u := fmt.Sprint("u", rng.IntN(6))
		if n := rng.IntN(8); n >= 6 {
			// Numbers either side of 2^32: narrow and wide change records.
			u = fmt.Sprint(1<<32 - 7 + n)
		}
		switch rng.IntN(10) {
		case 0:
			return " " + u + " "
		case 1:
			return ""
		}
		return u
	}
	src := func(t time.Time) (string, string) {
		return fmt.Sprint("db", t.Unix()%3), fmt.Sprint("q", t.Unix()%2)
	}
	// A third of the runs have change instants with fractions of a
	// second, only late in the run: a store's records take the 12-byte
	// form beside the whole seconds already held. Some runs start with a
	// change at the oldest or latest instant cam takes, so that the
	// store's base lies more than 68 years from the rest.
	fractions, far := rng.IntN(3) == 0, rng.IntN(4)
	var changes []ChangeEvent
	n := rng.IntN(60)
	for i := range n {
		t := at(72 * time.Hour)
		switch {
		case i == 0 && far == 1:
			t = MinTime
		case i == 0 && far == 2:
			t = MaxTime.Truncate(time.Second)
		case fractions && i >= n/2 && rng.IntN(2) == 0:
			t = t.Add(time.Duration(rng.IntN(2)+1) * 500 * time.Millisecond)
		}
		db, q := src(t)
		changes = append(changes, ChangeEvent{User: user(), Type: config.ChangeTypes[rng.IntN(4)], Time: t, Database: db, Query: q})
	}
	ops := []string{"LOGIN", "LOGIN", "LOGIN", "Login", "login ", "SELECT", "insert", " Update", "DELETE", "LOGOUT", ""}
	statuses := []string{"FAILED", "failed", " Failure ", "SUCCESS", "", "fail"}
	roles := []string{"Guest", " guest", "User", "", "GUEST"}
	var activity []ActivityEvent
	for range rng.IntN(120) {
		t := at(time.Duration(1+rng.IntN(72)) * time.Hour)
		if rng.IntN(2) == 0 {
			t = base.Add(time.Duration(rng.IntN(40)) * 20 * time.Second)
		}
		db, q := src(t)
		activity = append(activity, ActivityEvent{User: user(), Time: t, Operation: ops[rng.IntN(len(ops))],
			Status: statuses[rng.IntN(len(statuses))], Role: roles[rng.IntN(len(roles))],
			IP: fmt.Sprint("10.0.0.", t.Unix()%4), Database: db, Query: q})
	}
	// Bursts of failed logins around the brute-force threshold.
	for range rng.IntN(3) {
		u, from := user(), base.Add(time.Duration(rng.IntN(3600))*time.Second)
		for range 3 + rng.IntN(8) {
			t := from.Add(time.Duration(rng.IntN(420)) * time.Second)
			db, q := src(t)
			activity = append(activity, ActivityEvent{User: u, Time: t, Operation: ops[rng.IntN(4)],
				Status: statuses[rng.IntN(3)], IP: fmt.Sprint("10.0.0.", t.Unix()%4), Database: db, Query: q})
		}
	}
	return changes, activity
}

// canonical makes findings comparable: instants in UTC, and evidence in a
// total order (the reference keeps equal-time evidence in arrival order,
// which concurrent queries make arbitrary anyway).
func canonical(f Findings) Findings {
	utc := func(t time.Time) time.Time { return t.UTC() }
	for i := range f.Takeovers {
		tk := &f.Takeovers[i]
		tk.WindowStart, tk.WindowEnd = utc(tk.WindowStart), utc(tk.WindowEnd)
		for ct, ev := range tk.Changes {
			ev.Time = utc(ev.Time)
			tk.Changes[ct] = ev
		}
	}
	for i := range f.Alerts {
		al := &f.Alerts[i]
		al.FirstSeen, al.LastSeen = utc(al.FirstSeen), utc(al.LastSeen)
		for k := range al.Evidence {
			al.Evidence[k].Time = utc(al.Evidence[k].Time)
		}
		slices.SortFunc(al.Evidence, func(x, y Evidence) int {
			return strings.Compare(fmt.Sprint(x.Time.UnixNano(), x), fmt.Sprint(y.Time.UnixNano(), y))
		})
	}
	return f
}

// The fast core finds exactly what the reference (the previous core) finds:
// the same takeovers with the same chosen events, the same candidates and
// the same alerts with the same counts, messages and evidence.
func TestFindingsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	seen := map[string]int{}
	defer func(n int) { subRecords = n }(subRecords)
	for iter := range 1500 {
		changes, activity := randomRun(rng)
		p := params()
		if rng.IntN(3) == 0 {
			anchor := time.Date(2026, 3, 29, 12, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(48)) * time.Hour)
			p.Anchor = &anchor
		}
		if rng.IntN(2) == 0 {
			p.BusinessLocation = newYork
		}
		var failed []config.ChangeType
		for _, ct := range config.ChangeTypes {
			if rng.IntN(5) == 0 {
				failed = append(failed, ct)
			}
		}
		// Half the runs split every partition into as many sub-groups as
		// it allows, as partitions of a large run are.
		subRecords = 2048
		if iter%2 == 1 {
			subRecords = 1
		}
		fast, ref := NewAccumulator(p), newRefAccumulator(p)
		// A third of the changes one at a time, a third in one batch, a
		// third through two shards (as concurrent queries add them).
		// A shard per source and type, as a query's rows arrive.
		type query struct {
			n     int
			db, q string
			ct    config.ChangeType
		}
		shards := map[query]*ChangeShard{}
		var batch []ChangeEvent
		for i, c := range changes {
			switch i % 3 {
			case 0:
				fast.AddChange(c)
			case 1:
				batch = append(batch, c)
			default:
				k := query{i % 2, c.Database, c.Query, c.Type}
				if shards[k] == nil {
					shards[k] = fast.NewChangeShard(c.Database, c.Query, c.Type)
				}
				shards[k].AddChanges(rows([]ChangeEvent{c}))
			}
			ref.AddChange(c)
		}
		fast.AddChanges(batch)
		half := len(activity) / 2
		fast.AddActivities(activity[:half])
		for _, e := range activity[half:] {
			fast.AddActivity(e)
		}
		for _, e := range activity {
			ref.AddActivity(e)
		}
		got, want := canonical(fast.Findings(failed)), canonical(ref.Findings(failed))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("iteration %d differs\n got: %+v\nwant: %+v", iter, got, want)
		}
		if again := canonical(fast.Findings(failed)); !reflect.DeepEqual(again, got) {
			t.Fatalf("iteration %d: a second Findings differs", iter)
		}
		seen["takeover"] += len(got.Takeovers)
		seen["candidate"] += len(got.Candidates)
		for _, a := range got.Alerts {
			seen[string(a.Rule)]++
		}
	}
	// The generator must keep producing every kind of finding, or this test
	// would compare empty results.
	for _, kind := range []string{"takeover", "candidate", string(RuleBruteForce), string(RuleOffHours), string(RuleRoleViolation)} {
		if seen[kind] < 50 {
			t.Errorf("only %d %s findings over the random runs", seen[kind], kind)
		}
	}
	t.Logf("findings compared: %v", seen)
}
