package triage

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
)

// dataset is random change and activity events over a few days, with
// enough bursts, night work, guest writes and clustered changes that
// every rule fires and some findings straddle any split point. Every
// event has its own instant: events at one instant are ordered by
// arrival, which no run fixes.
func dataset(r *rand.Rand, start time.Time, span time.Duration) ([]detect.ChangeEvent, []detect.ActivityEvent) {
	users := []string{"u1", "u2", "u3", "u4", "u5", "u6", "  u7 "}
	dbs := []string{"crm", "erp", "hr"}
	used := map[int64]bool{}
	at := func(base time.Time, spread time.Duration) time.Time {
		for {
			t := base.Add(time.Duration(r.Int64N(int64(spread))))
			if !used[t.UnixNano()] && t.Before(start.Add(span)) {
				used[t.UnixNano()] = true
				return t
			}
			base = start
			spread = span
		}
	}
	var changes []detect.ChangeEvent
	for range r.IntN(40) + 10 {
		u := users[r.IntN(len(users))]
		// A cluster of changes within a couple of windows, sometimes all four.
		base := at(start, span)
		for range r.IntN(6) + 1 {
			ct := config.ChangeTypes[r.IntN(len(config.ChangeTypes))]
			changes = append(changes, detect.ChangeEvent{User: u, Type: ct, Time: at(base, 40*time.Hour),
				Database: dbs[r.IntN(len(dbs))], Query: "q-" + string(ct)})
		}
	}
	var activity []detect.ActivityEvent
	for range r.IntN(30) + 10 {
		u := users[r.IntN(len(users))]
		base := at(start, span)
		ip := fmt.Sprintf("10.0.0.%d", r.IntN(3))
		// A burst of failures, seconds to minutes apart.
		for range r.IntN(12) {
			activity = append(activity, detect.ActivityEvent{User: u, Time: at(base, time.Duration(r.IntN(20)+1)*time.Minute),
				Operation: "LOGIN", Status: "FAILED", IP: ip, Database: dbs[r.IntN(len(dbs))], Query: "logins"})
		}
	}
	ops := []string{"LOGIN", "SELECT", "UPDATE", "insert", "DELETE"}
	roles := []string{"Guest", "Admin", "", "guest "}
	statuses := []string{"SUCCESS", "FAILED", "failure"}
	for range r.IntN(200) + 50 {
		activity = append(activity, detect.ActivityEvent{User: users[r.IntN(len(users))], Time: at(start, span),
			Operation: ops[r.IntN(len(ops))], Status: statuses[r.IntN(len(statuses))], Role: roles[r.IntN(len(roles))],
			IP: fmt.Sprintf("10.1.0.%d", r.IntN(4)), Database: dbs[r.IntN(len(dbs))], Query: "activity"})
	}
	r.Shuffle(len(changes), func(i, j int) { changes[i], changes[j] = changes[j], changes[i] })
	r.Shuffle(len(activity), func(i, j int) { activity[i], activity[j] = activity[j], activity[i] })
	return changes, activity
}

// since returns the events at or after from and up to to (inclusive).
func since[E any](events []E, at func(E) time.Time, from, to time.Time) []E {
	var out []E
	for _, e := range events {
		if t := at(e); !t.Before(from) && !t.After(to) {
			out = append(out, e)
		}
	}
	return out
}

func changeAt(e detect.ChangeEvent) time.Time     { return e.Time }
func activityAt(e detect.ActivityEvent) time.Time { return e.Time }

// canonical makes findings comparable: instants in UTC, empty slices nil.
func canonical(f detect.Findings) detect.Findings {
	out := detect.Findings{}
	for _, t := range f.Takeovers {
		t.WindowStart, t.WindowEnd = t.WindowStart.UTC(), t.WindowEnd.UTC()
		ch := map[config.ChangeType]detect.ChangeEvent{}
		for k, e := range t.Changes {
			e.Time = e.Time.UTC()
			ch[k] = e
		}
		t.Changes = ch
		out.Takeovers = append(out.Takeovers, t)
	}
	out.Candidates = append(out.Candidates, f.Candidates...)
	for _, a := range f.Alerts {
		a.FirstSeen, a.LastSeen = a.FirstSeen.UTC(), a.LastSeen.UTC()
		ev := make([]detect.Evidence, len(a.Evidence))
		for i, e := range a.Evidence {
			e.Time = e.Time.UTC()
			ev[i] = e
		}
		a.Evidence = ev
		if len(a.IPs) == 0 {
			a.IPs = nil
		}
		if len(a.Operations) == 0 {
			a.Operations = nil
		}
		out.Alerts = append(out.Alerts, a)
	}
	return out
}

// testConfig is a configuration whose detection matches params().
func testConfig() *config.Config {
	p := params()
	return &config.Config{Settings: config.Settings{Detection: config.Detection{Lookback: 720 * time.Hour,
		TakeoverWindow: p.TakeoverWindow, BruteForceThreshold: p.BruteForceThreshold, BruteForceWindow: p.BruteForceWindow,
		BusinessLocation: p.BusinessLocation, BusinessStart: p.BusinessStart, BusinessEnd: p.BusinessEnd, GuestRoles: p.GuestRoles}},
		Databases: []config.Database{{Name: "crm", Driver: "sqlite", Queries: []config.Query{{Name: "logins", Kind: config.KindActivity, SQL: "SELECT 1"}}}}}
}

// newestOf is the newest instant among the events.
func newestOf(changes []detect.ChangeEvent, activity []detect.ActivityEvent) time.Time {
	var n time.Time
	for _, e := range changes {
		if e.Time.After(n) {
			n = e.Time
		}
	}
	for _, e := range activity {
		if e.Time.After(n) {
			n = e.Time
		}
	}
	return n
}

// TestIncrementalEqualsFull: a full detection over all the events finds
// exactly what a first run over the events up to a random point, then
// one to three incremental reruns (each reading from the previous newest
// event less the overlap, merged through the store) find.
func TestIncrementalEqualsFull(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig()
	p := params()
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	const span = 5 * 24 * time.Hour
	seeds := 60
	if testing.Short() {
		seeds = 10
	}
	merges := 0
	defer func() {
		if merges < seeds {
			t.Errorf("only %d incremental merges over %d seeds: the property was hardly exercised", merges, seeds)
		}
	}()
	for seed := range seeds {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 19))
			changes, activity := dataset(r, start, span)
			full := detectAll(p, changes, activity)

			// Split points, in order; the last part runs to the end.
			var cuts []time.Time
			for range r.IntN(3) + 1 {
				cut := start.Add(time.Duration(r.Int64N(int64(span))))
				if r.IntN(2) == 0 {
					// Split inside a burst of failures, where the brute-force
					// marks are least settled.
					if e := activity[r.IntN(len(activity))]; e.Status == "FAILED" {
						cut = e.Time.Add(time.Duration(r.Int64N(int64(6*time.Minute))) - 3*time.Minute)
					}
				}
				cuts = append(cuts, cut)
			}
			slices.SortFunc(cuts, time.Time.Compare)
			cuts = append(cuts, start.Add(span))

			c := &clock{t: cuts[0]}
			s := openTest(t, t.TempDir(), c)
			plan := Plan{Fingerprint: Fingerprint(cfg)}
			for i, cut := range cuts {
				c.t = cut
				from := start
				if i > 0 {
					var err error
					if plan, err = s.PlanRun(ctx, cfg, cut); err != nil {
						t.Fatal(err)
					}
					if plan.Incremental {
						from = plan.Start
						merges++
					} else if plan.Why != "run 1 read no events" {
						t.Fatalf("part %d: full run planned: %s", i, plan.Why)
					}
				}
				ch, act := since(changes, changeAt, from, cut), since(activity, activityAt, from, cut)
				got := detectAll(p, ch, act)
				if plan.Incremental {
					merged, err := s.Merge(ctx, plan, got, p)
					if errors.Is(err, ErrNeedsFullRun) {
						t.Skip("a burst outgrew the evidence kept; the merge asks for a full run, as it should")
					}
					if err != nil {
						t.Fatal(err)
					}
					got = merged
				}
				res := engine.Result{StartedAt: cut, FinishedAt: cut, StartDate: from, Complete: true, Findings: got,
					Queries: []engine.QueryResult{{Rows: int64(len(ch) + len(act)), Newest: newestOf(ch, act)}}}
				sum, err := s.Record(ctx, res, "A1", ModeIncremental)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.SaveCoverage(ctx, sum.ID, res, plan, cfg); err != nil {
					t.Fatal(err)
				}
				rec, err := s.Run(ctx, sum.ID)
				if err != nil {
					t.Fatal(err)
				}
				if cv := rec.Coverage; cv == nil || !cv.From.Equal(from) || cv.Incremental != plan.Incremental ||
					cv.RowsFetched != int64(len(ch)+len(act)) || cv.To.Before(newestOf(ch, act)) {
					t.Fatalf("part %d: coverage %+v, want from %v, %d rows", i, cv, from, len(ch)+len(act))
				}
				if i == len(cuts)-1 {
					if want, have := canonical(full), canonical(got); !reflect.DeepEqual(want, have) {
						t.Fatalf("after %d incremental run(s):\nfull:   %d takeovers, %d alerts\nmerged: %d takeovers, %d alerts\n%s",
							i, len(want.Takeovers), len(want.Alerts), len(have.Takeovers), len(have.Alerts), firstDiff(want, have))
					}
				}
			}
			if len(full.Alerts) == 0 {
				t.Errorf("the dataset raised no alert; the property says nothing")
			}
		})
	}
}

// firstDiff names the first alert that differs.
func firstDiff(a, b detect.Findings) string {
	for i := range max(len(a.Alerts), len(b.Alerts)) {
		var x, y detect.Alert
		if i < len(a.Alerts) {
			x = a.Alerts[i]
		}
		if i < len(b.Alerts) {
			y = b.Alerts[i]
		}
		if !reflect.DeepEqual(x, y) {
			return fmt.Sprintf("alert %d:\nfull   %+v\nmerged %+v", i, x, y)
		}
	}
	return fmt.Sprintf("takeovers:\nfull   %+v\nmerged %+v", a.Takeovers, b.Takeovers)
}

func TestPlanRun(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig()
	now := t0.Add(48 * time.Hour)
	complete := func(s *Store, newest time.Time, c *config.Config, ok bool) {
		res := engine.Result{StartedAt: now, FinishedAt: now, StartDate: now.Add(-720 * time.Hour), Complete: ok,
			Queries: []engine.QueryResult{{Rows: 10, Newest: newest}}}
		sum, err := s.Record(ctx, res, "A1", ModeHeadless)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SaveCoverage(ctx, sum.ID, res, Plan{}, c); err != nil {
			t.Fatal(err)
		}
	}
	changed := testConfig()
	changed.Settings.Detection.BruteForceThreshold = 9
	// The same entries over other files: another configuration's
	// findings must not be merged into this one's.
	elsewhere := testConfig()
	elsewhere.Databases[0].Path = "/elsewhere/crm.db"
	cases := []struct {
		name  string
		setup func(s *Store)
		want  string // "" for incremental
	}{
		{"no run yet", func(*Store) {}, "no complete run"},
		{"a complete run", func(s *Store) { complete(s, now.Add(-time.Hour), cfg, true) }, ""},
		{"only an incomplete run", func(s *Store) { complete(s, now.Add(-time.Hour), cfg, false) }, "no complete run"},
		{"configuration changed", func(s *Store) { complete(s, now.Add(-time.Hour), changed, true) }, "configuration changed"},
		{"the same entries over other databases", func(s *Store) { complete(s, now.Add(-time.Hour), elsewhere, true) }, "configuration changed"},
		{"older than the lookback", func(s *Store) { complete(s, now.Add(-719*time.Hour), cfg, true) }, "older than the lookback"},
		{"no events read", func(s *Store) { complete(s, time.Time{}, cfg, true) }, "read no events"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t, t.TempDir(), nil)
			tc.setup(s)
			plan, err := s.PlanRun(ctx, cfg, now)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				wantStart := now.Add(-time.Hour).Add(-Overlap(cfg.Settings.Detection))
				if !plan.Incremental || !plan.Start.Equal(wantStart) {
					t.Errorf("plan %+v, want incremental from %v", plan, wantStart)
				}
				return
			}
			if plan.Incremental || !containsText(plan.Why, tc.want) {
				t.Errorf("plan %+v, want a full run because %q", plan, tc.want)
			}
		})
	}
	if d := (config.Detection{TakeoverWindow: time.Hour, BruteForceWindow: 45 * time.Minute}); Overlap(d) != 90*time.Minute {
		t.Errorf("overlap %v, want two brute-force windows when longer than the takeover window", Overlap(d))
	}
}

func containsText(s, sub string) bool { return strings.Contains(s, sub) }

func TestMergeRefusesCappedEvidence(t *testing.T) {
	capped := detect.Findings{Alerts: []detect.Alert{{Rule: detect.RuleOffHours, User: "u1", Count: 1200,
		Evidence: make([]detect.Evidence, 1000)}}}
	if _, err := MergeFindings(capped, detect.Findings{}, t0, params()); !errors.Is(err, ErrNeedsFullRun) {
		t.Fatalf("merging capped evidence: %v, want ErrNeedsFullRun", err)
	}
}

// A burst that the first run saw too little of to alert on, split so its
// marks depend on failures on both sides of the split.
func TestIncrementalBurstAcrossTheSplit(t *testing.T) {
	p := params()
	var burst []detect.ActivityEvent
	for i := range 8 {
		burst = append(burst, detect.ActivityEvent{User: "u1", Time: t0.Add(time.Duration(i) * 20 * time.Second),
			Operation: "LOGIN", Status: "FAILED", IP: "10.0.0.1", Database: "crm", Query: "logins"})
	}
	full := detectAll(p, nil, burst)
	if len(full.Alerts) != 1 || full.Alerts[0].Count != 8 {
		t.Fatalf("fixture: full run %+v", full.Alerts)
	}
	for split := 1; split < len(burst); split++ {
		t.Run(fmt.Sprintf("%d before the split", split), func(t *testing.T) {
			newest := burst[split-1].Time
			base := detectAll(p, nil, burst[:split])
			start := newest.Add(-Overlap(testConfig().Settings.Detection))
			fresh := detectAll(p, nil, since(burst, activityAt, start, t0.Add(time.Hour)))
			merged, err := MergeFindings(base, fresh, newest, p)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(canonical(merged), canonical(full)) {
				t.Errorf("merged %+v\nfull   %+v", merged.Alerts, full.Alerts)
			}
		})
	}
}
