package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
	"cam/engine/mysql/mariadbtest"
	"cam/queries"
	"cam/sqltext"
)

// One MariaDB server with the DAM schema serves every test of the package
// that does not stop or kill its server.
var shared struct {
	once sync.Once
	srv  *mariadbtest.Server
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.srv != nil {
		shared.srv.Close()
	}
	if code == 0 {
		// Every watch of a query, and every pool, must have ended.
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// damServer returns the shared server, started on first use.
func damServer(t *testing.T) *mariadbtest.Server {
	t.Helper()
	mariadbtest.Require(t)
	shared.once.Do(func() {
		shared.srv, shared.err = mariadbtest.New()
		if shared.err == nil {
			shared.err = shared.srv.LoadDAM()
		}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.srv
}

// activityColumns are databases.yaml's defaults for an activity query.
var activityColumns = map[string]string{config.ColUser: "username", config.ColTime: "access_timestamp",
	config.ColOperation: "operation_type", config.ColStatus: "operation_status", config.ColRole: "role", config.ColIP: "ip_address"}

// activityQuery is a kind: activity query with the given SQL.
func activityQuery(name, sqlText string) config.Query {
	return config.Query{Name: name, Kind: config.KindActivity, SQL: sqlText, Columns: activityColumns}
}

// shippedActivityQuery is queries/mysql/activity.sql, as `cam init --dam`
// ships it.
func shippedActivityQuery(t *testing.T) config.Query {
	t.Helper()
	text, err := queries.Files.ReadFile("mysql/activity.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sqltext.CheckReadOnlySQL(string(text), sqltext.DialectMySQL) {
		t.Errorf("shipped query: %s", p)
	}
	return activityQuery("Database activity", string(text))
}

// settings are the default detection settings with business hours in
// zone; attempts is max_attempts.
func settings(zone *time.Location, attempts int) config.Settings {
	return config.Settings{
		App: config.App{MaxConcurrency: 4, QueryTimeout: time.Minute, MaxAttempts: attempts},
		Detection: config.Detection{Lookback: 720 * time.Hour, TakeoverWindow: 24 * time.Hour,
			BruteForceThreshold: 5, BruteForceWindow: 5 * time.Minute, BusinessLocation: zone,
			BusinessStart: 9 * time.Hour, BusinessEnd: 18 * time.Hour, GuestRoles: []string{"Guest"}},
	}
}

// newEngine returns an engine with the MySQL driver whose retries wait
// only briefly, so fault tests stay fast.
func newEngine(opts engine.Options) *engine.Engine {
	opts.Drivers = map[string]engine.Driver{config.DriverMySQL: New()}
	if opts.Backoff == nil {
		opts.Backoff = func(int) time.Duration { return 20 * time.Millisecond }
	}
	return engine.New(opts)
}

func start(t *testing.T, eng *engine.Engine, s config.Settings, dbs ...config.Database) *engine.Run {
	t.Helper()
	run, err := eng.Start(context.Background(), engine.Request{Config: &config.Config{Databases: dbs, Settings: s}})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func queryResult(t *testing.T, res engine.Result, db string) engine.QueryResult {
	t.Helper()
	for _, q := range res.Queries {
		if q.Database == db {
			return q
		}
	}
	t.Fatalf("no result for database %s in %+v", db, res.Queries)
	return engine.QueryResult{}
}

// assertPlanted checks that the alerts are exactly the DAM's planted
// cases: one alert per planted user and rule, no near miss, nothing else.
func assertPlanted(t *testing.T, alerts []detect.Alert) {
	t.Helper()
	byRule := map[detect.Rule][]string{}
	for _, a := range alerts {
		byRule[a.Rule] = append(byRule[a.Rule], a.User)
	}
	p := mariadbtest.DAMPlantedCases()
	check := func(rule detect.Rule, want, nearMisses []string) {
		got := map[string]int{}
		for _, u := range byRule[rule] {
			got[u]++
		}
		for _, u := range want {
			if got[u] != 1 {
				t.Errorf("%s: planted %q has %d alerts, want 1", rule, u, got[u])
			}
		}
		for _, u := range nearMisses {
			if got[u] > 0 {
				t.Errorf("%s: near miss %q was flagged", rule, u)
			}
		}
		if len(byRule[rule]) != len(want) {
			t.Errorf("%s: %d alerts %v, want exactly the %d planted %v", rule, len(byRule[rule]), byRule[rule], len(want), want)
		}
	}
	check(detect.RuleBruteForce, p.BruteForce, p.BruteForceNearMisses)
	check(detect.RuleOffHours, p.OffHours, p.OffHoursNearMisses)
	check(detect.RuleRoleViolation, p.RoleViolations, p.RoleNearMisses)
	if n := len(byRule[detect.RuleTakeover]); n != 0 {
		t.Errorf("%d takeover alerts from activity data alone", n)
	}
}

// TestDAMPlantedCasesThroughMySQL runs the shipped activity query over the
// DAM seed and finds exactly the planted cases. The zone is Tokyo, nine
// hours from UTC, so a DATETIME read in the wrong zone would move every
// off-hours boundary.
func TestDAMPlantedCasesThroughMySQL(t *testing.T) {
	srv := damServer(t)
	tokyo := mustZone(t, "Asia/Tokyo")
	db := srv.Database("dam", mariadbtest.User, tokyo)
	db.Queries = []config.Query{shippedActivityQuery(t)}
	res := start(t, newEngine(engine.Options{}), settings(tokyo, 3), db).Wait()
	q := queryResult(t, res, "dam")
	if q.Status != engine.StatusOK || !res.Complete {
		t.Fatalf("query %s (%s %s), complete %v", q.Status, q.Class, q.Err, res.Complete)
	}
	if q.Rows == 0 || q.Rejected != 0 || q.Attempts != 1 {
		t.Errorf("rows %d, rejected %d, attempts %d", q.Rows, q.Rejected, q.Attempts)
	}
	assertPlanted(t, res.Findings.Alerts)
}

// TestSocketLogin: with socket set, cam logs in over the unix socket (no
// host or port) and reads the same data.
func TestSocketLogin(t *testing.T) {
	srv := damServer(t)
	tokyo := mustZone(t, "Asia/Tokyo")
	db := srv.Database("dam", mariadbtest.User, tokyo)
	db.Host, db.Port, db.Conn.Socket = "", 0, srv.Socket
	db.Queries = []config.Query{shippedActivityQuery(t)}
	res := start(t, newEngine(engine.Options{}), settings(tokyo, 1), db).Wait()
	if q := queryResult(t, res, "dam"); q.Status != engine.StatusOK {
		t.Fatalf("over the socket: %s (%s %s)", q.Status, q.Class, q.Err)
	}
	assertPlanted(t, res.Findings.Alerts)
}

// TestDateTimeIsReadAndBoundInTheDatabaseZone: a DATETIME comes back as
// its wall-clock text, untouched by the driver (the engine reads it in the
// database's zone), and :start_date is sent as that zone's wall clock,
// whatever zone the caller's time is in.
func TestDateTimeIsReadAndBoundInTheDatabaseZone(t *testing.T) {
	srv := damServer(t)
	tokyo := mustZone(t, "Asia/Tokyo")
	db := srv.Database("dam", mariadbtest.User, tokyo)
	pool := openPool(t, db)

	var text string
	err := pool.QueryRow(`SELECT access_timestamp FROM activity_logs
WHERE user_id = 4 AND operation_type = 'INSERT' AND access_timestamp > CURDATE() - INTERVAL 10 DAY`).Scan(&text)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(text, " 10:15:00") {
		t.Fatalf("read %q, want the stored wall clock ending 10:15:00", text)
	}
	at, err := time.ParseInLocation("2006-01-02 15:04:05", text, tokyo)
	if err != nil {
		t.Fatal(err)
	}
	query, args, err := Driver{}.Bind(`SELECT COUNT(*) FROM activity_logs
WHERE access_timestamp >= :start_date AND access_timestamp <= :start_date`, at.UTC(), db)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d rows at the bound instant, want the one row at 10:15:00", n)
	}
}

func openPool(t *testing.T, db config.Database) *sql.DB {
	t.Helper()
	c, err := Driver{}.Connector(db, config.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	pool := sql.OpenDB(c)
	t.Cleanup(func() { pool.Close() })
	return pool
}

// TestWrongPasswordIsAuthNotRetried: a wrong password fails at once with
// the server's 1045, and the message never holds the password.
func TestWrongPasswordIsAuthNotRetried(t *testing.T) {
	srv := damServer(t)
	const wrong = "not-the-password-4711"
	t.Setenv("CAM_TEST_WRONG_PW", wrong)
	db := srv.Database("dam", mariadbtest.User, time.UTC)
	db.Conn.PasswordEnv = "CAM_TEST_WRONG_PW"
	db.Queries = []config.Query{shippedActivityQuery(t)}
	res := start(t, newEngine(engine.Options{}), settings(time.UTC, 3), db).Wait()
	q := queryResult(t, res, "dam")
	if q.Status != engine.StatusFailed || q.Class != engine.ClassAuth || q.Attempts != 1 {
		t.Errorf("status %s, class %s, attempts %d: want failed, auth, 1 attempt", q.Status, q.Class, q.Attempts)
	}
	if !strings.Contains(q.Err, "1045") || !strings.Contains(q.Err, "password_env") {
		t.Errorf("message %q does not say what to check", q.Err)
	}
	if strings.Contains(q.Err, wrong) || strings.Contains(q.Err, srv.Password) {
		t.Errorf("message %q holds a password", q.Err)
	}
}

// TestMissingTableIsQueryClassWithHint: a query naming a table the schema
// lacks fails once, with a hint to check default_schema.
func TestMissingTableIsQueryClassWithHint(t *testing.T) {
	srv := damServer(t)
	db := srv.Database("dam", mariadbtest.User, time.UTC)
	db.Queries = []config.Query{activityQuery("Old activity", `SELECT username, access_timestamp, operation_type, operation_status
FROM activity_log WHERE access_timestamp >= :start_date`)}
	res := start(t, newEngine(engine.Options{}), settings(time.UTC, 3), db).Wait()
	q := queryResult(t, res, "dam")
	if q.Status != engine.StatusFailed || q.Class != engine.ClassQuery || q.Attempts != 1 {
		t.Errorf("status %s, class %s, attempts %d: want failed, query, 1 attempt", q.Status, q.Class, q.Attempts)
	}
	for _, want := range []string{"1146", "activity_log", "default_schema"} {
		if !strings.Contains(q.Err, want) {
			t.Errorf("message %q lacks %q", q.Err, want)
		}
	}
}

// TestTableWithoutGrantIsPermission: an account that may read users but
// not activity_logs gets a permission failure that says what to ask for.
func TestTableWithoutGrantIsPermission(t *testing.T) {
	srv := damServer(t)
	db := srv.Database("dam", mariadbtest.LimitedUser, time.UTC)
	db.Queries = []config.Query{shippedActivityQuery(t)}
	res := start(t, newEngine(engine.Options{}), settings(time.UTC, 3), db).Wait()
	q := queryResult(t, res, "dam")
	if q.Status != engine.StatusFailed || q.Class != engine.ClassPermission || q.Attempts != 1 {
		t.Errorf("status %s, class %s (%s), attempts %d: want failed, permission, 1 attempt", q.Status, q.Class, q.Err, q.Attempts)
	}
	if !strings.Contains(q.Err, "1142") {
		t.Errorf("message %q lacks the server's error number", q.Err)
	}
}

// sleeperSQL runs for 30 s on the server before returning one row.
const sleeperSQL = `SELECT 'sleeper' AS username, NOW() AS access_timestamp, 'SELECT' AS operation_type,
       'SUCCESS' AS operation_status
FROM (SELECT SLEEP(30) AS slept) AS s
WHERE NOW() >= :start_date`

// waitRunning waits until the server shows user running a statement
// containing text.
func waitRunning(t *testing.T, srv *mariadbtest.Server, user, text string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		running, err := srv.RunningQueries(user)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range running {
			if strings.Contains(q, text) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server never showed %q running; processlist: %q", text, running)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// assertNothingRunning checks that the server soon shows no statement of
// user: KILL QUERY takes effect when the killed thread next checks, which
// is within milliseconds for SLEEP.
func assertNothingRunning(t *testing.T, srv *mariadbtest.Server, user string) {
	t.Helper()
	deadline := time.Now().Add(500 * time.Millisecond)
	for {
		running, err := srv.RunningQueries(user)
		if err != nil {
			t.Fatal(err)
		}
		if len(running) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server still runs %q after the run ended", running)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestCancelStopsTheQueryOnTheServer: cancelling a run whose query sleeps
// on the server ends the run within a second and leaves no query running
// there.
func TestCancelStopsTheQueryOnTheServer(t *testing.T) {
	srv := damServer(t)
	db := srv.Database("dam", mariadbtest.User, time.UTC)
	db.Queries = []config.Query{activityQuery("Sleeper", sleeperSQL)}
	run := start(t, newEngine(engine.Options{}), settings(time.UTC, 3), db)
	waitRunning(t, srv, mariadbtest.User, "SLEEP(30)")

	cancelled := time.Now()
	run.Cancel()
	res := run.Wait()
	took := time.Since(cancelled)
	t.Logf("run ended %s after cancel", took.Round(time.Millisecond))
	if took > time.Second {
		t.Errorf("run ended %s after cancel, want within 1s", took)
	}
	q := queryResult(t, res, "dam")
	if !res.Cancelled || q.Status != engine.StatusCancelled {
		t.Errorf("run cancelled %v, query %s", res.Cancelled, q.Status)
	}
	assertNothingRunning(t, srv, mariadbtest.User)
}

// TestQueryTimeoutStopsTheQueryOnTheServer: query_timeout ends the attempt
// as a timeout (not retried) and the server stops the query too.
func TestQueryTimeoutStopsTheQueryOnTheServer(t *testing.T) {
	srv := damServer(t)
	db := srv.Database("dam", mariadbtest.User, time.UTC)
	db.Queries = []config.Query{activityQuery("Sleeper", sleeperSQL)}
	s := settings(time.UTC, 3)
	s.App.QueryTimeout = time.Second
	began := time.Now()
	res := start(t, newEngine(engine.Options{}), s, db).Wait()
	q := queryResult(t, res, "dam")
	if q.Status != engine.StatusFailed || q.Class != engine.ClassTimeout || q.Attempts != 1 {
		t.Errorf("status %s, class %s, attempts %d: want failed, timeout, 1 attempt", q.Status, q.Class, q.Attempts)
	}
	if took := time.Since(began); took > 3*time.Second {
		t.Errorf("a 1s timeout took %s", took)
	}
	assertNothingRunning(t, srv, mariadbtest.User)
}

// TestDAMViewsAnswer: the schema's three views load and agree with the
// seed.
func TestDAMViewsAnswer(t *testing.T) {
	srv := damServer(t)
	pool := openPool(t, srv.Database("dam", mariadbtest.User, time.UTC))
	var users, guestWrites, unknownFailures int
	if err := pool.QueryRow(`SELECT COUNT(*) FROM user_activity_summary`).Scan(&users); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(`SELECT COUNT(*) FROM suspicious_activities WHERE reason = 'guest write'`).Scan(&guestWrites); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(`SELECT COUNT(*) FROM all_activities WHERE role IS NULL AND operation_status = 'FAILED'`).Scan(&unknownFailures); err != nil {
		t.Fatal(err)
	}
	if users != 5 || guestWrites != 3 || unknownFailures != 13 {
		t.Errorf("users %d (want 5), guest writes %d (want 3), failures of unknown accounts %d (want 7+6)", users, guestWrites, unknownFailures)
	}
}
