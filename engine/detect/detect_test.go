package detect

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"

	"cam/config"
)

var (
	london  = mustZone("Europe/London")
	newYork = mustZone("America/New_York")
	t0      = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func params() Params {
	return Params{
		TakeoverWindow: 24 * time.Hour, BruteForceThreshold: 5, BruteForceWindow: 5 * time.Minute,
		BusinessLocation: london, BusinessStart: 9 * time.Hour, BusinessEnd: 18 * time.Hour, GuestRoles: []string{"Guest"},
	}
}

func change(user string, ct config.ChangeType, at time.Time) ChangeEvent {
	return ChangeEvent{User: user, Type: ct, Time: at, Database: "db-" + string(ct), Query: "q-" + string(ct)}
}

// four returns one change of each type at the given offsets from t0.
func four(user string, offsets ...time.Duration) []ChangeEvent {
	var out []ChangeEvent
	for i, ct := range config.ChangeTypes {
		out = append(out, change(user, ct, t0.Add(offsets[i])))
	}
	return out
}

func run(p Params, changes []ChangeEvent, activity []ActivityEvent, failed ...config.ChangeType) Findings {
	a := NewAccumulator(p)
	for _, c := range changes {
		a.AddChange(c)
	}
	for _, e := range activity {
		a.AddActivity(e)
	}
	return a.Findings(failed)
}

func users(ts []Takeover) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.User)
	}
	return out
}

func TestTakeoverBoundaries(t *testing.T) {
	h := time.Hour
	cases := []struct {
		name    string
		changes []ChangeEvent
		want    bool
	}{
		{"all four within an hour", four("u", 0, 10*time.Minute, 20*time.Minute, h), true},
		{"exactly 24h first to last", four("u", 0, h, 2*h, 24*h), true},
		{"24h and one second", four("u", 0, h, 2*h, 24*h+time.Second), false},
		{"three of four", four("u", 0, h, 2*h, h)[:3], false},
		{"all four over 25h", four("u", 0, 25*h, 2*h, 3*h), false},
		{"interleaved over days finds the right events", append(four("u", 0, 48*h, 96*h, 150*h),
			change("u", config.ChangePassword, t0.Add(140*h)), change("u", config.ChangeEmail, t0.Add(149*h)),
			change("u", config.ChangePhone, t0.Add(130*h))), true},
		{"padded id and plain id are one user", []ChangeEvent{
			change(" 4242 ", config.ChangePassword, t0), change("4242", config.ChangeEmail, t0.Add(h)),
			change("4242", config.ChangePhone, t0.Add(2*h)), change("4242 ", config.ChangeToken, t0.Add(3*h))}, true},
		{"different users never combine", []ChangeEvent{
			change("a", config.ChangePassword, t0), change("a", config.ChangeEmail, t0),
			change("b", config.ChangePhone, t0), change("b", config.ChangeToken, t0)}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := run(params(), c.changes, nil)
			if got := len(f.Takeovers) == 1; got != c.want {
				t.Fatalf("flagged = %v, want %v (%v)", got, c.want, users(f.Takeovers))
			}
			if c.want && f.Takeovers[0].WindowEnd.Sub(f.Takeovers[0].WindowStart) > 24*time.Hour {
				t.Errorf("window longer than 24h: %+v", f.Takeovers[0])
			}
		})
	}
}

func TestTakeoverReportsFirstWindowAndChosenEvents(t *testing.T) {
	h := time.Hour
	// An early password change, then all four within 2h two days later.
	changes := append([]ChangeEvent{change("u", config.ChangePassword, t0)},
		four("u", 48*h, 48*h+30*time.Minute, 49*h, 50*h)...)
	f := run(params(), changes, nil)
	if len(f.Takeovers) != 1 {
		t.Fatalf("takeovers: %v", f.Takeovers)
	}
	tk := f.Takeovers[0]
	if !tk.WindowStart.Equal(t0.Add(48*h)) || !tk.WindowEnd.Equal(t0.Add(50*h)) {
		t.Errorf("window %v–%v", tk.WindowStart, tk.WindowEnd)
	}
	if !tk.Changes[config.ChangePassword].Time.Equal(t0.Add(48 * h)) {
		t.Errorf("chosen password change %v, want the one inside the window", tk.Changes[config.ChangePassword].Time)
	}
	if tk.Changes[config.ChangeEmail].Database != "db-email" {
		t.Errorf("chosen email change lost its database: %+v", tk.Changes[config.ChangeEmail])
	}
	if len(f.Alerts) != 1 || f.Alerts[0].Rule != RuleTakeover || f.Alerts[0].Severity != SeverityCritical ||
		f.Alerts[0].Count != 4 || len(f.Alerts[0].Evidence) != 4 {
		t.Errorf("takeover alert: %+v", f.Alerts)
	}
}

func TestTakeoverComparesInstantsAcrossZones(t *testing.T) {
	// 23:30 in New York on 2 Nov is 04:30 UTC on 3 Nov; wall clocks differ
	// by a day but the instants are 5h30m apart.
	changes := []ChangeEvent{
		change("u", config.ChangePassword, time.Date(2026, 11, 2, 23, 30, 0, 0, newYork)),
		change("u", config.ChangeEmail, time.Date(2026, 11, 3, 10, 0, 0, 0, london)),
		change("u", config.ChangePhone, time.Date(2026, 11, 3, 9, 0, 0, 0, london)),
		change("u", config.ChangeToken, time.Date(2026, 11, 3, 5, 0, 0, 0, london)),
	}
	if f := run(params(), changes, nil); len(f.Takeovers) != 1 {
		t.Error("not flagged across zones")
	}
}

func TestAnchoredMode(t *testing.T) {
	T := t0.Add(48 * time.Hour)
	p := params()
	p.Anchor = &T
	cases := []struct {
		name    string
		offsets []time.Duration // from T
		want    bool
	}{
		{"at T-24h and at T are in", []time.Duration{-24 * time.Hour, -time.Hour, -time.Minute, 0}, true},
		{"one second after T is out", []time.Duration{-time.Hour, -time.Hour, -time.Hour, time.Second}, false},
		{"one second before T-24h is out", []time.Duration{-24*time.Hour - time.Second, -time.Hour, -time.Hour, 0}, false},
		{"a window earlier than T does not count", []time.Duration{-40 * time.Hour, -39 * time.Hour, -38 * time.Hour, -37 * time.Hour}, false},
	}
	for _, c := range cases {
		var changes []ChangeEvent
		for i, ct := range config.ChangeTypes {
			changes = append(changes, change("u", ct, T.Add(c.offsets[i])))
		}
		if got := len(run(p, changes, nil).Takeovers) == 1; got != c.want {
			t.Errorf("%s: flagged = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestIncompleteCandidates(t *testing.T) {
	h := time.Hour
	changes := append(four("full", 0, h, 2*h, 3*h),
		change("maybe", config.ChangeEmail, t0), change("maybe", config.ChangePhone, t0.Add(h)),
		change("maybe", config.ChangeToken, t0.Add(2*h)),
		change("spread", config.ChangeEmail, t0), change("spread", config.ChangePhone, t0.Add(30*h)),
		change("spread", config.ChangeToken, t0.Add(2*h)),
		change("two", config.ChangeEmail, t0), change("two", config.ChangeToken, t0.Add(2*h)))
	f := run(params(), changes, nil, config.ChangePassword)
	if got := users(f.Takeovers); len(got) != 1 || got[0] != "full" {
		t.Errorf("takeovers %v", got)
	}
	if len(f.Candidates) != 1 || f.Candidates[0].User != "maybe" || fmt.Sprint(f.Candidates[0].Missing) != "[password]" {
		t.Errorf("candidates %+v", f.Candidates)
	}
	f = run(params(), changes, nil, config.ChangePassword, config.ChangePhone)
	var got []string
	for _, c := range f.Candidates {
		got = append(got, c.User+fmt.Sprint(c.Missing))
	}
	if fmt.Sprint(got) != "[maybe[password phone] spread[password phone] two[password phone]]" {
		t.Errorf("two failed types: %v", got)
	}
	if f := run(params(), changes, nil); len(f.Candidates) != 0 {
		t.Errorf("complete run has candidates: %v", f.Candidates)
	}
}

func login(user, status string, at time.Time, ip string) ActivityEvent {
	return ActivityEvent{User: user, Time: at, Operation: "LOGIN", Status: status, IP: ip, Database: "dam", Query: "act"}
}

func failures(user string, n int, every time.Duration) []ActivityEvent {
	var out []ActivityEvent
	base := time.Date(2026, 11, 3, 11, 0, 0, 0, london)
	for i := 0; i < n; i++ {
		status := "FAILED"
		if i%2 == 1 {
			status = "Failed"
		}
		out = append(out, login(user, status, base.Add(time.Duration(i)*every), fmt.Sprintf("10.0.0.%d", i%2)))
	}
	return out
}

func alertsOf(f Findings, rule Rule) []Alert {
	var out []Alert
	for _, a := range f.Alerts {
		if a.Rule == rule {
			out = append(out, a)
		}
	}
	return out
}

func TestBruteForceBoundaries(t *testing.T) {
	cases := []struct {
		name   string
		events []ActivityEvent
		bursts int
		count  int
	}{
		{"exactly 5 in 5 minutes", failures("u", 5, time.Minute), 0, 0},
		{"6 in exactly 5 minutes", failures("u", 6, time.Minute), 1, 6},
		{"6 spread over 6 minutes", failures("u", 6, 72*time.Second), 0, 0},
		{"8 in 3m30s from an unknown username", failures("no_such_user", 8, 30*time.Second), 1, 8},
		{"successes do not count", append(failures("u", 5, time.Minute),
			login("u", "SUCCESS", time.Date(2026, 11, 3, 11, 1, 30, 0, london), "")), 0, 0},
		{"mixed-case operation", append(failures("u", 5, time.Minute), ActivityEvent{User: "u", Operation: "login",
			Status: " failure ", Time: time.Date(2026, 11, 3, 11, 2, 30, 0, london)}), 1, 6},
		{"two bursts an hour apart", append(failures("u", 6, 10*time.Second), func() []ActivityEvent {
			var out []ActivityEvent
			for _, e := range failures("u", 7, 10*time.Second) {
				e.Time = e.Time.Add(time.Hour)
				out = append(out, e)
			}
			return out
		}()...), 2, 6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := alertsOf(run(params(), nil, c.events), RuleBruteForce)
			if len(got) != c.bursts {
				t.Fatalf("bursts %d, want %d: %+v", len(got), c.bursts, got)
			}
			if c.bursts > 0 && got[0].Count != c.count {
				t.Errorf("count %d, want %d", got[0].Count, c.count)
			}
			if c.bursts > 0 && (got[0].Severity != SeverityHigh || got[0].FirstSeen.After(got[0].LastSeen)) {
				t.Errorf("alert %+v", got[0])
			}
		})
	}
	a := alertsOf(run(params(), nil, failures("u", 6, time.Second)), RuleBruteForce)[0]
	if fmt.Sprint(a.IPs) != "[10.0.0.0 10.0.0.1]" || a.Message != "6 failed logins in 5s from 2 addresses" {
		t.Errorf("IPs %v message %q", a.IPs, a.Message)
	}
}

func TestOffHoursBoundaries(t *testing.T) {
	at := func(h, m, s int) ActivityEvent {
		return ActivityEvent{User: "u", Operation: "SELECT", Status: "SUCCESS", Time: time.Date(2026, 7, 3, h, m, s, 0, london)}
	}
	cases := []struct {
		ev   ActivityEvent
		want bool
	}{
		{at(8, 59, 59), true}, {at(9, 0, 0), false}, {at(17, 59, 59), false}, {at(18, 0, 0), true}, {at(2, 0, 0), true},
	}
	for _, c := range cases {
		got := len(alertsOf(run(params(), nil, []ActivityEvent{c.ev}), RuleOffHours)) == 1
		if got != c.want {
			t.Errorf("%s London: off-hours = %v, want %v", c.ev.Time.Format("15:04:05"), got, c.want)
		}
	}
	// The same instant given in UTC is judged in the business zone: 08:30
	// UTC is 09:30 in London in July.
	ev := ActivityEvent{User: "u", Operation: "SELECT", Time: time.Date(2026, 7, 3, 8, 30, 0, 0, time.UTC)}
	if len(alertsOf(run(params(), nil, []ActivityEvent{ev}), RuleOffHours)) != 0 {
		t.Error("judged in UTC instead of the business zone")
	}
	// One alert per user per local day, with the count.
	evs := []ActivityEvent{at(7, 0, 0), at(19, 0, 0), at(23, 59, 59),
		{User: "u", Operation: "SELECT", Time: time.Date(2026, 7, 4, 0, 0, 1, 0, london)}}
	got := alertsOf(run(params(), nil, evs), RuleOffHours)
	if len(got) != 2 || got[0].Count != 3 || got[1].Count != 1 || got[0].Severity != SeverityMedium {
		t.Errorf("per-day alerts: %+v", got)
	}
}

func TestRoleViolation(t *testing.T) {
	write := func(user, role, op string) ActivityEvent {
		return ActivityEvent{User: user, Role: role, Operation: op, Status: "SUCCESS", Time: time.Date(2026, 11, 3, 10, 0, 0, 0, london)}
	}
	evs := []ActivityEvent{write("g1", "Guest", "INSERT"), write("g1", "Guest", "delete"), write("g1", "Guest", "SELECT"),
		write("g2", " guest ", "UPDATE"), write("u1", "User", "DELETE"), write("a1", "Admin", "INSERT")}
	got := alertsOf(run(params(), nil, evs), RuleRoleViolation)
	if len(got) != 2 {
		t.Fatalf("alerts %+v", got)
	}
	byUser := map[string]Alert{got[0].User: got[0], got[1].User: got[1]}
	if a := byUser["g1"]; a.Count != 2 || fmt.Sprint(a.Operations) != "[DELETE INSERT]" || a.Severity != SeverityCritical {
		t.Errorf("g1: %+v", a)
	}
	if _, ok := byUser["g2"]; !ok {
		t.Error("lower-case guest role not matched")
	}
}

func TestAlertsSortedWorstFirst(t *testing.T) {
	h := time.Hour
	evs := append(failures("bf", 6, time.Second), ActivityEvent{User: "night", Operation: "SELECT", Time: time.Date(2026, 11, 3, 2, 0, 0, 0, london)})
	f := run(params(), four("tk", 0, h, h, h), evs)
	var order []string
	for _, a := range f.Alerts {
		order = append(order, a.Severity.String())
	}
	if fmt.Sprint(order) != "[critical high medium]" {
		t.Errorf("order %v", order)
	}
}

func TestConcurrentAdds(t *testing.T) {
	a := NewAccumulator(params())
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				a.AddChange(change(fmt.Sprint(i), config.ChangeTypes[g%4], t0.Add(time.Duration(g)*time.Minute)))
				a.AddActivity(login("x", "FAILED", t0, ""))
			}
		}(g)
	}
	wg.Wait()
	f := a.Findings(nil)
	if len(f.Takeovers) != 500 {
		t.Errorf("takeovers %d, want 500", len(f.Takeovers))
	}
}

// referenceTakeover tries every combination of one event per type.
func referenceTakeover(evs []ChangeEvent, window time.Duration) bool {
	by := map[config.ChangeType][]time.Time{}
	for _, e := range evs {
		by[e.Type] = append(by[e.Type], e.Time)
	}
	for _, a := range by[config.ChangePassword] {
		for _, b := range by[config.ChangeEmail] {
			for _, c := range by[config.ChangePhone] {
				for _, d := range by[config.ChangeToken] {
					ts := []time.Time{a, b, c, d}
					sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
					if ts[3].Sub(ts[0]) <= window {
						return true
					}
				}
			}
		}
	}
	return false
}

// referenceBruteForce reports whether any window starting at a failure
// holds more than threshold failures.
func referenceBruteForce(ts []time.Time, threshold int, window time.Duration) bool {
	for _, a := range ts {
		n := 0
		for _, b := range ts {
			if !b.Before(a) && b.Sub(a) <= window {
				n++
			}
		}
		if n > threshold {
			return true
		}
	}
	return false
}

func TestPropertyAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 3000; iter++ {
		var evs []ChangeEvent
		var acts []ActivityEvent
		var fails []time.Time
		n := rng.IntN(10)
		for i := 0; i < n; i++ {
			at := t0.Add(time.Duration(rng.IntN(72)) * time.Hour / 2)
			evs = append(evs, change("u", config.ChangeTypes[rng.IntN(4)], at))
		}
		m := rng.IntN(12)
		for i := 0; i < m; i++ {
			at := t0.Add(time.Duration(rng.IntN(20)) * 30 * time.Second)
			fails = append(fails, at)
			acts = append(acts, login("u", "FAILED", at, ""))
		}
		f := run(params(), evs, acts)
		if got, want := len(f.Takeovers) == 1, referenceTakeover(evs, 24*time.Hour); got != want {
			t.Fatalf("iteration %d: takeover %v, reference %v for %+v", iter, got, want, evs)
		}
		if got, want := len(alertsOf(f, RuleBruteForce)) > 0, referenceBruteForce(fails, 5, 5*time.Minute); got != want {
			t.Fatalf("iteration %d: brute force %v, reference %v for %v", iter, got, want, fails)
		}
		total := 0
		for _, a := range alertsOf(f, RuleBruteForce) {
			total += a.Count
		}
		if total > len(fails) {
			t.Fatalf("bursts count %d failures of %d", total, len(fails))
		}
	}
}

// An anchored run is "as of T" for the activity rules too: a burst, an
// off-hours action or a Guest write after T is not reported.
func TestAnchoredActivityIsAsOfT(t *testing.T) {
	burst := failures("u", 6, time.Minute) // 2026-11-03 11:00 London onwards
	night := ActivityEvent{User: "night", Operation: "SELECT", Status: "SUCCESS", Time: time.Date(2026, 11, 3, 23, 0, 0, 0, london)}
	guest := ActivityEvent{User: "g", Operation: "DELETE", Status: "SUCCESS", Role: "Guest", Time: time.Date(2026, 11, 3, 12, 0, 0, 0, london)}
	events := append(append(burst, night), guest)
	cases := []struct {
		name   string
		anchor time.Time
		rules  []Rule
	}{
		{"T after everything", time.Date(2026, 11, 4, 0, 0, 0, 0, london), []Rule{RuleBruteForce, RuleOffHours, RuleRoleViolation}},
		{"T before the night action", time.Date(2026, 11, 3, 22, 0, 0, 0, london), []Rule{RuleBruteForce, RuleRoleViolation}},
		{"T before the Guest write", time.Date(2026, 11, 3, 11, 30, 0, 0, london), []Rule{RuleBruteForce}},
		{"T before the burst", time.Date(2026, 11, 3, 10, 0, 0, 0, london), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := params()
			p.Anchor = &c.anchor
			f := run(p, nil, events)
			var got []Rule
			for _, a := range f.Alerts {
				if a.Rule != RuleOffHours || a.User == "night" {
					got = append(got, a.Rule)
				}
			}
			sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
			want := append([]Rule(nil), c.rules...)
			sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("rules %v, want %v", got, want)
			}
		})
	}
}

// Instants past 2262 would wrap in Unix nanoseconds; the accumulator
// ignores anything outside [MinTime, MaxTime] instead of misplacing it.
func TestOutOfRangeInstantsAreIgnored(t *testing.T) {
	for _, year := range []int{1, 1899, 2201, 2261, 2263, 2611, 9999} {
		at := time.Date(year, 11, 2, 10, 0, 0, 0, time.UTC)
		var changes []ChangeEvent
		for _, ct := range config.ChangeTypes {
			changes = append(changes, change("u", ct, at))
		}
		f := run(params(), changes, failures("u", 8, time.Second))
		inRange := year >= 1900 && year <= 2200
		if got := len(f.Takeovers) == 1; got != inRange {
			t.Errorf("year %d: takeover %v, want %v", year, got, inRange)
		}
	}
	if InRange(MinTime.Add(-time.Nanosecond)) || !InRange(MinTime) || !InRange(MaxTime) || InRange(MaxTime.Add(time.Nanosecond)) {
		t.Error("InRange boundaries are wrong")
	}
}
