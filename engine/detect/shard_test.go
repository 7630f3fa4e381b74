package detect

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"cam/config"
)

// Queries adding through their own shards at once, with text and numeric
// ids and a source each, find what one accumulator finds: every user who
// changed all four types, once, under the right name and sources.
func TestShardsAddConcurrently(t *testing.T) {
	a := NewAccumulator(params())
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ct := config.ChangeTypes[g%4]
			s := a.NewChangeShard(fmt.Sprint("db", g), "q-"+string(ct), ct)
			var batch []ChangeRow
			for i := range 500 {
				user := fmt.Sprint(i)
				if i%2 == 1 {
					user = fmt.Sprintf(" u%d ", i)
				}
				batch = append(batch, ChangeRow{User: user, At: t0.Add(time.Duration(g) * time.Minute).UnixNano()})
				if len(batch) == 64 {
					s.AddChanges(batch)
					batch = batch[:0]
				}
			}
			s.AddChanges(batch)
			a.AddActivity(login("x", "FAILED", t0, ""))
		}()
	}
	wg.Wait()
	f := a.Findings(nil)
	if len(f.Takeovers) != 500 {
		t.Fatalf("takeovers %d, want 500", len(f.Takeovers))
	}
	for _, tk := range f.Takeovers {
		if len(tk.Changes) != 4 {
			t.Fatalf("%s: %d changes", tk.User, len(tk.Changes))
		}
		for ct, ev := range tk.Changes {
			// Goroutines g and g+4 both add ct; the window ending first
			// (at g = 3) holds the events of goroutines 0–3.
			want := fmt.Sprint("db", indexOf(ct))
			if ev.Database != want || ev.Query != "q-"+string(ct) {
				t.Fatalf("%s %s from %s/%s, want %s", tk.User, ct, ev.Database, ev.Query, want)
			}
		}
	}
	if f.Takeovers[0].User != "0" || f.Takeovers[len(f.Takeovers)-1].User != "u99" {
		t.Errorf("users from %q to %q", f.Takeovers[0].User, f.Takeovers[len(f.Takeovers)-1].User)
	}
}

func indexOf(ct config.ChangeType) int {
	for i, c := range config.ChangeTypes {
		if c == ct {
			return i
		}
	}
	return -1
}

// The same change events find the same takeovers and candidates whether
// they are added one by one, in batches, or through a shard per change
// type (as the engine's queries add them), with ids numeric, padded and
// textual, and instants out of range or at one instant.
func TestShardsFindWhatTheAccumulatorFinds(t *testing.T) {
	var events []ChangeEvent
	for i := range 3000 {
		h := mix(uint64(i))
		user := fmt.Sprint(h % 300)
		switch h >> 8 % 7 {
		case 0:
			user = " " + user
		case 1:
			user = fmt.Sprint("u", h%300)
		}
		at := t0.Add(time.Duration(h>>16%(96*60)) * time.Minute)
		if h>>40%97 == 0 {
			at = MaxTime.Add(time.Second)
		}
		ct := config.ChangeTypes[h>>60&3]
		events = append(events, ChangeEvent{User: user, Type: ct, Time: at, Database: "db", Query: "q-" + string(ct)})
	}
	failed := []config.ChangeType{config.ChangeTypes[3]}
	one, batched, sharded := NewAccumulator(params()), NewAccumulator(params()), NewAccumulator(params())
	shards := map[config.ChangeType]*ChangeShard{}
	for _, ct := range config.ChangeTypes {
		shards[ct] = sharded.NewChangeShard("db", "q-"+string(ct), ct)
	}
	for i, e := range events {
		one.AddChange(e)
		shards[e.Type].AddChanges(rows(events[i : i+1]))
	}
	batched.AddChanges(events)
	want := canonical(one.Findings(failed))
	if len(want.Takeovers) == 0 || len(want.Candidates) == 0 {
		t.Fatalf("%d takeovers, %d candidates: the events exercise nothing", len(want.Takeovers), len(want.Candidates))
	}
	for name, a := range map[string]*Accumulator{"batched": batched, "sharded": sharded} {
		if got := canonical(a.Findings(failed)); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %d takeovers, %d candidates, want %d and %d", name, len(got.Takeovers), len(got.Candidates),
				len(want.Takeovers), len(want.Candidates))
		}
	}
}

// A shard's stores keep whole seconds in 8 bytes until a fraction arrives,
// and instants far from a store's first one in the 12-byte form: either
// way a takeover's window and chosen events keep their exact instants, for
// users either side of 2^32.
func TestRecordFormsKeepInstants(t *testing.T) {
	h, ms := time.Hour, time.Millisecond
	users := []string{"7", "4294967295", "4294967296"}
	cases := []struct {
		name  string
		first time.Time // each store's first instant, which sets its base
	}{
		{"whole seconds, then fractions", t0.Add(-72 * h)},
		{"first instant at the oldest cam takes", MinTime},
		{"first instant at the latest cam takes", MaxTime.Truncate(time.Second)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := NewAccumulator(params())
			for _, ct := range config.ChangeTypes {
				s := a.NewChangeShard("db-"+string(ct), "q-"+string(ct), ct)
				// A user of its own at the first instant, then (for
				// one type) whole seconds long before the window, then
				// the window's events, each a whole second and the
				// same second's quarter.
				batch := []ChangeEvent{change(fmt.Sprint("lone-", ct), ct, tc.first)}
				if ct == config.ChangePassword {
					for _, u := range users {
						batch = append(batch, change(u, ct, t0.Add(-48*h)))
					}
				}
				s.AddChanges(rows(batch))
				batch = batch[:0]
				for i, u := range users {
					at := t0.Add(time.Duration(i)*h + time.Duration(indexOf(ct))*10*time.Minute)
					batch = append(batch, change(u, ct, at), change(u, ct, at.Add(250*ms)))
				}
				s.AddChanges(rows(batch))
			}
			f := a.Findings(nil)
			if len(f.Takeovers) != len(users) {
				t.Fatalf("takeovers %v, want one each for %v", f.Takeovers, users)
			}
			// The window ends at the last type's whole second, and
			// holds the quarter past each earlier type's second.
			for _, tk := range f.Takeovers {
				i := slices.Index(users, tk.User)
				start := t0.Add(time.Duration(i) * h)
				end := start.Add(30 * time.Minute)
				if !tk.WindowStart.Equal(start.Add(250*ms)) || !tk.WindowEnd.Equal(end) {
					t.Errorf("%s: window %v–%v, want %v–%v", tk.User, tk.WindowStart, tk.WindowEnd, start.Add(250*ms), end)
				}
				for ct, ev := range tk.Changes {
					want := start.Add(time.Duration(indexOf(ct)) * 10 * time.Minute)
					if ct != config.ChangeTypes[3] {
						want = want.Add(250 * ms)
					}
					if !ev.Time.Equal(want) {
						t.Errorf("%s %s chosen at %v, want %v", tk.User, ct, ev.Time, want)
					}
				}
			}
		})
	}
}

// rows converts change events to rows of one query, as the engine's
// normaliser makes them: the events should share a source and type.
func rows(events []ChangeEvent) []ChangeRow {
	out := make([]ChangeRow, len(events))
	for i, e := range events {
		out[i] = ChangeRow{User: e.User, At: nanos(e.Time)}
	}
	return out
}

// nanos returns t's Unix nanoseconds or, outside cam's range (where they
// could wrap into it), an instant just outside the range on its side.
func nanos(t time.Time) int64 {
	switch {
	case t.Before(MinTime):
		return MinTime.UnixNano() - 1
	case t.After(MaxTime):
		return MaxTime.UnixNano() + 1
	}
	return t.UnixNano()
}

// A shard keeps exactly the rows AddChange keeps, and both keep those
// inside cam's range and, in anchored mode, inside [T - window, T], both
// ends included, also when the anchor or its window's start lies outside
// the range.
func TestShardKeepsWhatAddChangeKeeps(t *testing.T) {
	day := 24 * time.Hour
	instants := []time.Time{MinTime.Add(-time.Nanosecond), MinTime, MinTime.Add(time.Nanosecond), t0.Add(-day - time.Nanosecond),
		t0.Add(-day), t0.Add(-time.Hour), t0, t0.Add(time.Nanosecond), MaxTime.Add(-time.Nanosecond), MaxTime, MaxTime.Add(time.Nanosecond)}
	anchors := []struct {
		name string
		at   *time.Time
	}{
		{"no anchor", nil},
		{"anchor inside the range", &t0},
		{"anchor before the range", ptr(MinTime.Add(-time.Hour))},
		{"anchor at the range's start", ptr(MinTime)},
		{"window reaching below the range", ptr(MinTime.Add(time.Hour))},
		{"anchor at the range's end", ptr(MaxTime)},
		{"anchor after the range", ptr(MaxTime.Add(time.Hour))},
		{"window starting after the range", ptr(MaxTime.Add(2 * day))},
	}
	for _, tc := range anchors {
		t.Run(tc.name, func(t *testing.T) {
			p := params()
			p.Anchor = tc.at
			a := NewAccumulator(p)
			for _, at := range instants {
				want := InRange(at) && (tc.at == nil || !at.Before(tc.at.Add(-p.TakeoverWindow)) && !at.After(*tc.at))
				if _, _, got := a.instant(at); got != want {
					t.Errorf("AddChange: %v kept %t, want %t", at, got, want)
				}
				if got := nanos(at) >= a.from && nanos(at) <= a.to; got != want {
					t.Errorf("shard: %v kept %t, want %t", at, got, want)
				}
			}
		})
	}
}

func ptr(t time.Time) *time.Time { return &t }

// A shard of a type the takeover rule does not use keeps nothing, and
// blank ids are dropped while padded ones count as their trimmed id.
func TestShardDropsUnusedTypesAndBlankIDs(t *testing.T) {
	a := NewAccumulator(params())
	unused := a.NewChangeShard("db", "q-address", "address")
	unused.AddChanges([]ChangeRow{{User: "7", At: t0.UnixNano()}})
	for i, ct := range config.ChangeTypes {
		at := t0.Add(time.Duration(i) * time.Minute).UnixNano()
		a.NewChangeShard("db", "q-"+string(ct), ct).AddChanges([]ChangeRow{{User: " ", At: at}, {User: " 7 ", At: at}, {User: "x", At: at}})
	}
	if s := unused.changes.list; len(s) != 0 {
		t.Errorf("a shard of an unused type made %d stores", len(s))
	}
	f := a.Findings(nil)
	if got := users(f.Takeovers); !slices.Equal(got, []string{"7", "x"}) {
		t.Errorf("takeovers of %q, want 7 and x", got)
	}
}
