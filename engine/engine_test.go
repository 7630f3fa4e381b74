package engine

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"cam/config"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// changeRows returns n rows of (user_id, change_timestamp).
func changeRows(n int) [][]driver.Value {
	rows := make([][]driver.Value, n)
	for i := range rows {
		rows[i] = []driver.Value{fmt.Sprint(1000 + i), testNow.Add(-time.Duration(i) * time.Minute).Format("2006-01-02 15:04:05")}
	}
	return rows
}

func newSource(rows int) *fakeSource {
	return &fakeSource{cols: []string{"USER_ID", "CHANGE_TIMESTAMP"}, rows: changeRows(rows)}
}

// testConfig builds a config with one database per source, each with the
// given change types (one query each).
func testConfig(dbs map[string][]config.ChangeType, order []string) *config.Config {
	cfg := &config.Config{Settings: config.Settings{
		App:       config.App{MaxConcurrency: 8, QueryTimeout: time.Minute, MaxAttempts: 3},
		Detection: config.Detection{Lookback: 720 * time.Hour, TakeoverWindow: 24 * time.Hour, BruteForceThreshold: 5, BruteForceWindow: 5 * time.Minute, BusinessLocation: time.UTC, BusinessStart: 9 * time.Hour, BusinessEnd: 18 * time.Hour},
	}}
	for _, name := range order {
		db := config.Database{Name: name, Driver: "fake", Location: time.UTC, MaxConnections: 2}
		for _, ct := range dbs[name] {
			db.Queries = append(db.Queries, config.Query{Name: "q-" + string(ct), Kind: config.KindChange, ChangeType: ct,
				Columns: map[string]string{config.ColUser: "user_id", config.ColTime: "change_timestamp"}})
		}
		cfg.Databases = append(cfg.Databases, db)
	}
	return cfg
}

// noSleep records the backoff schedule without waiting long.
type noSleep struct {
	mu    sync.Mutex
	calls []int
}

func (n *noSleep) backoff(attempt int) time.Duration {
	n.mu.Lock()
	n.calls = append(n.calls, attempt)
	n.mu.Unlock()
	return time.Millisecond
}

func start(t *testing.T, ctx context.Context, sources map[string]*fakeSource, cfg *config.Config, opts ...func(*Options)) *Run {
	t.Helper()
	o := Options{Drivers: map[string]Driver{"fake": fakeDriver{sources}}}
	for _, f := range opts {
		f(&o)
	}
	run, err := New(o).Start(ctx, Request{Config: cfg, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func collect(run *Run) ([]Event, Result) {
	var evs []Event
	var res Result
	for ev := range run.Events() {
		evs = append(evs, ev)
		if f, ok := ev.(RunFinished); ok {
			res = f.Result
		}
	}
	return evs, res
}

func TestQueriesRunConcurrently(t *testing.T) {
	sources := map[string]*fakeSource{}
	dbs := map[string][]config.ChangeType{}
	var order []string
	for i, ct := range config.ChangeTypes {
		name := fmt.Sprintf("db%d", i)
		src := newSource(3)
		src.latency = 300 * time.Millisecond
		sources[name], dbs[name] = src, []config.ChangeType{ct}
		order = append(order, name)
	}
	began := time.Now()
	res := start(t, context.Background(), sources, testConfig(dbs, order)).Wait()
	took := time.Since(began)
	if !res.Complete {
		t.Fatalf("run incomplete: %+v", res.Queries)
	}
	// Serially this would take 1.2 s; generous bound for a loaded machine.
	if took > 900*time.Millisecond {
		t.Errorf("four 300 ms queries on four databases took %s", took)
	}
}

func TestConcurrencyAndConnectionBounds(t *testing.T) {
	src := newSource(2)
	src.latency = 50 * time.Millisecond
	cfg := testConfig(map[string][]config.ChangeType{"db": config.ChangeTypes}, []string{"db"})
	cfg.Databases[0].MaxConnections = 1
	res := start(t, context.Background(), map[string]*fakeSource{"db": src}, cfg).Wait()
	if !res.Complete {
		t.Fatalf("incomplete: %+v", res.Queries)
	}
	if src.maxConns.Load() != 1 || src.maxActive.Load() != 1 {
		t.Errorf("max_connections 1: saw %d connections, %d queries at once", src.maxConns.Load(), src.maxActive.Load())
	}

	// max_concurrency bounds queries across databases.
	sources := map[string]*fakeSource{}
	dbs := map[string][]config.ChangeType{}
	var order []string
	for i := 0; i < 6; i++ {
		name := fmt.Sprintf("db%d", i)
		s := newSource(1)
		s.latency = 60 * time.Millisecond
		sources[name], dbs[name] = s, []config.ChangeType{config.ChangeEmail}
		order = append(order, name)
	}
	cfg = testConfig(dbs, order)
	cfg.Settings.App.MaxConcurrency = 2
	var mu sync.Mutex
	running, peak := 0, 0
	run := start(t, context.Background(), sources, cfg)
	for ev := range run.Events() {
		mu.Lock()
		switch ev.(type) {
		case QueryStarted:
			running++
			peak = max(peak, running)
		case QueryFinished, QueryFailed, QueryCancelled:
			running--
		}
		mu.Unlock()
	}
	if peak > 2 {
		t.Errorf("max_concurrency 2: %d queries ran at once", peak)
	}
}

func TestRetriesOnlyConnectionErrorsWithBackoff(t *testing.T) {
	flaky := newSource(5)
	flaky.refuseConnect = 2 // succeeds on the third try
	denied := newSource(5)
	denied.connectErr = errAuth
	broken := newSource(5)
	broken.queryErr = errSyntax
	sleeper := &noSleep{}
	cfg := testConfig(map[string][]config.ChangeType{"flaky": {config.ChangeEmail}, "denied": {config.ChangePhone}, "broken": {config.ChangeToken}},
		[]string{"flaky", "denied", "broken"})
	run := start(t, context.Background(), map[string]*fakeSource{"flaky": flaky, "denied": denied, "broken": broken}, cfg,
		func(o *Options) { o.Backoff = sleeper.backoff })
	evs, res := collect(run)
	byDB := map[string]QueryResult{}
	for _, q := range res.Queries {
		byDB[q.Database] = q
	}
	if q := byDB["flaky"]; q.Status != StatusOK || q.Attempts != 3 || q.Rows != 5 {
		t.Errorf("flaky: %+v", q)
	}
	if q := byDB["denied"]; q.Status != StatusFailed || q.Attempts != 1 || q.Class != ClassAuth || !strings.Contains(q.Err, "Kerberos") {
		t.Errorf("denied: %+v", q)
	}
	if q := byDB["broken"]; q.Status != StatusFailed || q.Attempts != 1 || q.Class != ClassQuery {
		t.Errorf("broken: %+v", q)
	}
	if fmt.Sprint(sleeper.calls) != "[1 2]" {
		t.Errorf("backoff asked for retries %v, want [1 2]", sleeper.calls)
	}
	retries := 0
	for _, ev := range evs {
		if r, ok := ev.(QueryRetrying); ok {
			retries++
			if r.Database != "flaky" || r.Class != ClassConnection || r.MaxAttempts != 3 {
				t.Errorf("retry event %+v", r)
			}
		}
	}
	if retries != 2 {
		t.Errorf("%d retry events, want 2", retries)
	}
	if res.Complete {
		t.Error("run with failed queries marked complete")
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	down := newSource(1)
	down.connectErr = errRefused
	cfg := testConfig(map[string][]config.ChangeType{"down": {config.ChangeEmail}}, []string{"down"})
	res := start(t, context.Background(), map[string]*fakeSource{"down": down}, cfg,
		func(o *Options) { o.Backoff = (&noSleep{}).backoff }).Wait()
	if q := res.Queries[0]; q.Status != StatusFailed || q.Attempts != 3 || q.Class != ClassConnection {
		t.Errorf("%+v", q)
	}
}

func TestFaultAfterRowsIsNotRetried(t *testing.T) {
	src := newSource(10)
	src.failAfter = 4
	cfg := testConfig(map[string][]config.ChangeType{"db": {config.ChangeEmail}}, []string{"db"})
	res := start(t, context.Background(), map[string]*fakeSource{"db": src}, cfg,
		func(o *Options) { o.Backoff = (&noSleep{}).backoff }).Wait()
	q := res.Queries[0]
	if q.Status != StatusFailed || q.Attempts != 1 || q.Rows != 4 || !strings.Contains(q.Err, "not retried") {
		t.Errorf("%+v", q)
	}
}

// cancelWhen starts a run, cancels it once ready() holds, and returns the
// result and how long the run took to end after the cancel.
func cancelWhen(t *testing.T, sources map[string]*fakeSource, cfg *config.Config, ready func() bool) (Result, map[string]bool, time.Duration) {
	t.Helper()
	run := start(t, context.Background(), sources, cfg)
	cancelAt := make(chan time.Time, 1)
	go func() {
		for !ready() {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		cancelAt <- time.Now()
		run.Cancel()
	}()
	var res Result
	cancelled := map[string]bool{}
	for ev := range run.Events() {
		switch e := ev.(type) {
		case QueryCancelled:
			cancelled[e.Database] = true
		case RunFinished:
			res = e.Result
		}
	}
	return res, cancelled, time.Since(<-cancelAt)
}

func TestCancelStopsAReadThatIgnoresContext(t *testing.T) {
	stuck := newSource(100)
	stuck.blockAfter = 10
	cfg := testConfig(map[string][]config.ChangeType{"stuck": {config.ChangeEmail}}, []string{"stuck"})
	res, cancelled, took := cancelWhen(t, map[string]*fakeSource{"stuck": stuck}, cfg, func() bool { return stuck.active.Load() == 1 })
	// The read ignores its context: only closing the connection ends it.
	if took > time.Second {
		t.Errorf("run ended %s after cancel, want within 1 s", took)
	}
	if q := res.Queries[0]; q.Status != StatusCancelled || !cancelled["stuck"] || q.Rows != 10 {
		t.Errorf("%+v", q)
	}
	if stuck.openConns.Load() != 0 {
		t.Errorf("%d connections left open", stuck.openConns.Load())
	}
}

func TestCancelEndsRunningAndQueuedQueriesWithinASecond(t *testing.T) {
	sources := map[string]*fakeSource{}
	dbs := map[string][]config.ChangeType{}
	names := []string{"a", "b", "c"}
	for i, name := range names {
		s := newSource(3)
		s.latency = time.Hour
		sources[name], dbs[name] = s, []config.ChangeType{config.ChangeTypes[i]}
	}
	cfg := testConfig(dbs, names)
	cfg.Settings.App.MaxConcurrency = 2 // one query is still queued when we cancel
	active := func() bool {
		n := int32(0)
		for _, s := range sources {
			n += s.active.Load()
		}
		return n == 2
	}
	res, cancelled, took := cancelWhen(t, sources, cfg, active)
	if took > time.Second {
		t.Errorf("run ended %s after cancel, want within 1 s", took)
	}
	if !res.Cancelled || res.Complete {
		t.Errorf("result: cancelled %v complete %v", res.Cancelled, res.Complete)
	}
	for _, q := range res.Queries {
		if q.Status != StatusCancelled || !cancelled[q.Database] {
			t.Errorf("%s: %s (event %v)", q.Database, q.Status, cancelled[q.Database])
		}
	}
	for name, s := range sources {
		if s.openConns.Load() != 0 {
			t.Errorf("%s: %d connections left open", name, s.openConns.Load())
		}
	}
}

func TestQueryTimeout(t *testing.T) {
	slow := newSource(1)
	slow.latency = time.Hour
	cfg := testConfig(map[string][]config.ChangeType{"slow": {config.ChangeEmail}}, []string{"slow"})
	cfg.Settings.App.QueryTimeout = 100 * time.Millisecond
	res := start(t, context.Background(), map[string]*fakeSource{"slow": slow}, cfg).Wait()
	if q := res.Queries[0]; q.Status != StatusFailed || q.Class != ClassTimeout || !strings.Contains(q.Err, "app_settings.query_timeout") {
		t.Errorf("%+v", q)
	}
}

func TestRejectedRowsAndMissingColumns(t *testing.T) {
	src := newSource(0)
	src.rows = [][]driver.Value{
		{" 42 ", "2026-11-20 10:00:00"},
		{int64(43), testNow},
		{nil, "2026-11-20 10:00:00"},
		{"44", nil},
		{"45", "not a date"},
		{"   ", "2026-11-20 10:00:00"},
	}
	bad := &fakeSource{cols: []string{"USER_ID", "CHANGE_DATE"}, rows: changeRows(2)}
	cfg := testConfig(map[string][]config.ChangeType{"db": {config.ChangeEmail}, "bad": {config.ChangePhone}}, []string{"db", "bad"})
	res := start(t, context.Background(), map[string]*fakeSource{"db": src, "bad": bad}, cfg).Wait()
	if q := res.Queries[0]; q.Rows != 2 || q.Rejected != 4 || q.Status != StatusOK {
		t.Errorf("rows %d rejected %d status %s", q.Rows, q.Rejected, q.Status)
	}
	wantBy := map[string]int64{"null_user": 1, "null_time": 1, "unparseable_time": 1, "empty_user": 1}
	if got := res.Queries[0].RejectedBy; fmt.Sprint(got) != fmt.Sprint(wantBy) {
		t.Errorf("rejected by reason %v, want %v", got, wantBy)
	}
	if q := res.Queries[1]; q.Class != ClassQuery || !strings.Contains(q.Err, "column change_timestamp not in the result (have: USER_ID, CHANGE_DATE)") {
		t.Errorf("missing column: %+v", q)
	}
}

func TestPartialFailureStillDetects(t *testing.T) {
	at := testNow.Add(-time.Hour).Format("2006-01-02 15:04:05")
	sources := map[string]*fakeSource{}
	dbs := map[string][]config.ChangeType{}
	var order []string
	for _, ct := range config.ChangeTypes {
		name := string(ct)
		sources[name] = &fakeSource{cols: []string{"user_id", "change_timestamp"}, rows: [][]driver.Value{{"7", at}}}
		dbs[name] = []config.ChangeType{ct}
		order = append(order, name)
	}
	sources["password"].connectErr = errAuth
	res := start(t, context.Background(), sources, testConfig(dbs, order)).Wait()
	if res.Complete {
		t.Error("complete despite a failed query")
	}
	if len(res.Findings.Candidates) != 1 || res.Findings.Candidates[0].User != "7" {
		t.Errorf("candidates %+v", res.Findings.Candidates)
	}
	for _, q := range res.Queries[1:] {
		if q.Status != StatusOK {
			t.Errorf("%s: %s", q.Database, q.Status)
		}
	}
}

func TestEventOrderPerQuery(t *testing.T) {
	src := newSource(50)
	src.refuseConnect = 1
	cfg := testConfig(map[string][]config.ChangeType{"db": {config.ChangeEmail, config.ChangePhone}}, []string{"db"})
	cfg.Databases[0].MaxConnections = 1
	run := start(t, context.Background(), map[string]*fakeSource{"db": src}, cfg,
		func(o *Options) { o.Backoff = (&noSleep{}).backoff; o.ProgressInterval = time.Nanosecond })
	evs, _ := collect(run)
	seq := map[string][]string{}
	queued := 0
	for i, ev := range evs {
		name := fmt.Sprintf("%T", ev)
		name = name[strings.LastIndex(name, ".")+1:]
		if _, ok := ev.(QueryQueued); ok {
			queued++
			if i != queued-1 {
				t.Errorf("QueryQueued at %d, after other events", i)
			}
		}
		if r, ok := ev.(interface{ Run() int64 }); ok && r.Run() != run.ID() {
			t.Errorf("event %s of run %d", name, r.Run())
		}
		switch e := ev.(type) {
		case QueryQueued:
			seq[e.Query] = append(seq[e.Query], name)
		case QueryStarted:
			seq[e.Query] = append(seq[e.Query], name)
		case QueryRetrying:
			seq[e.Query] = append(seq[e.Query], name)
		case QueryFinished:
			seq[e.Query] = append(seq[e.Query], name)
		}
	}
	if _, ok := evs[len(evs)-1].(RunFinished); !ok {
		t.Errorf("last event %T, want RunFinished", evs[len(evs)-1])
	}
	for q, s := range seq {
		got := strings.Join(s, ",")
		if got != "QueryQueued,QueryStarted,QueryFinished" && got != "QueryQueued,QueryStarted,QueryRetrying,QueryStarted,QueryFinished" {
			t.Errorf("%s: %s", q, got)
		}
	}
}

func TestWaitWithoutReadingEventsDoesNotLeak(t *testing.T) {
	cfg := testConfig(map[string][]config.ChangeType{"db": {config.ChangeEmail}}, []string{"db"})
	res := start(t, context.Background(), map[string]*fakeSource{"db": newSource(10)}, cfg).Wait()
	if !res.Complete || res.Queries[0].Rows != 10 {
		t.Errorf("%+v", res.Queries)
	}
}

func TestUnknownDriverIsRefused(t *testing.T) {
	cfg := testConfig(map[string][]config.ChangeType{"db": {config.ChangeEmail}}, []string{"db"})
	cfg.Databases[0].Driver = "postgres"
	if _, err := New(Options{}).Start(context.Background(), Request{Config: cfg}); err == nil || !strings.Contains(err.Error(), "postgres") {
		t.Errorf("err = %v", err)
	}
}

// A query whose every row is rejected saw nothing the rules could use: it
// fails with class data, its message names the column and the commonest
// reason (never a value), and the run is incomplete.
func TestAllRejectedQueryFailsTheRun(t *testing.T) {
	cases := []struct {
		name string
		rows [][]driver.Value
		want string
	}{
		{"epoch numbers", [][]driver.Value{{"1", int64(1762182000)}, {"2", int64(1762182060)}, {"3", "garbage"}},
			"all 3 rows rejected: change_timestamp holds numbers; set columns.time_format"},
		{"unparseable text", [][]driver.Value{{"1", "03/11/2026"}},
			"the only row was rejected: change_timestamp is not a timestamp"},
		{"out of range", [][]driver.Value{{"1", "9999-12-31 00:00:00"}, {"2", "2263-01-01 00:00:00"}},
			"all 2 rows rejected: change_timestamp is outside the years 1900–2200"},
		{"NULL users", [][]driver.Value{{nil, "2026-11-20 10:00:00"}},
			"the only row was rejected: user_id is NULL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := &fakeSource{cols: []string{"USER_ID", "CHANGE_TIMESTAMP"}, rows: c.rows}
			ok := newSource(3)
			cfg := testConfig(map[string][]config.ChangeType{"db": {config.ChangeEmail}, "ok": {config.ChangePhone}}, []string{"db", "ok"})
			res := start(t, context.Background(), map[string]*fakeSource{"db": src, "ok": ok}, cfg).Wait()
			q := res.Queries[0]
			if q.Status != StatusFailed || q.Class != ClassData || !strings.HasPrefix(q.Err, c.want) {
				t.Errorf("status %s class %s err %q, want failed/data %q", q.Status, q.Class, q.Err, c.want)
			}
			if q.Attempts != 1 {
				t.Errorf("%d attempts: a data failure is not retried", q.Attempts)
			}
			if res.Complete || res.Queries[1].Status != StatusOK {
				t.Errorf("complete %v, other query %s: the run must be incomplete, the other query fine", res.Complete, res.Queries[1].Status)
			}
		})
	}
	// A query with no rows at all is not a data failure.
	cfg := testConfig(map[string][]config.ChangeType{"db": {config.ChangeEmail}}, []string{"db"})
	res := start(t, context.Background(), map[string]*fakeSource{"db": newSource(0)}, cfg).Wait()
	if !res.Complete || res.Queries[0].Status != StatusOK {
		t.Errorf("empty result: %+v", res.Queries[0])
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1204: "1,204", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// A database that refuses the login is asked once per run, whatever the
// number of its queries: every failed login counts towards the account's
// lockout, and the queries sharing its pool would otherwise each try.
func TestARefusedLoginIsNotRepeatedForTheDatabasesOtherQueries(t *testing.T) {
	for _, tc := range []struct {
		name     string
		err      error
		connects int32
	}{
		{name: "login refused: one attempt for four queries", err: errAuth, connects: 1},
		{name: "connection refused: each query tries (and retries)", err: errRefused, connects: 4 * 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			denied := newSource(5)
			denied.connectErr = tc.err
			types := []config.ChangeType{config.ChangePassword, config.ChangeEmail, config.ChangePhone, config.ChangeToken}
			cfg := testConfig(map[string][]config.ChangeType{"denied": types}, []string{"denied"})
			cfg.Databases[0].MaxConnections = 4
			sleeper := &noSleep{}
			_, res := collect(start(t, context.Background(), map[string]*fakeSource{"denied": denied}, cfg,
				func(o *Options) { o.Backoff = sleeper.backoff }))
			if got := denied.connects.Load(); got != tc.connects {
				t.Errorf("%d logins for %d queries, want %d", got, len(res.Queries), tc.connects)
			}
			for _, q := range res.Queries {
				if q.Status != StatusFailed {
					t.Errorf("%s: %s, want failed", q.Query, q.Status)
				}
			}
		})
	}
}
