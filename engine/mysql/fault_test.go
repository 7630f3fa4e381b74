package mysql

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cam/config"
	"cam/engine"
	"cam/engine/mysql/mariadbtest"
	"cam/internal/integration"
)

// TestServerDownAtStart: a database whose server is down fails as a
// connection fault after every configured attempt; the other database
// completes and its alerts are found; the run is incomplete.
func TestServerDownAtStart(t *testing.T) {
	srv := damServer(t)
	tokyo := mustZone(t, "Asia/Tokyo")
	up := srv.Database("dam", mariadbtest.User, tokyo)
	up.Queries = []config.Query{shippedActivityQuery(t)}
	down := srv.Database("dam_replica", mariadbtest.User, tokyo)
	down.Port = integration.ClosedPort(t)
	down.Queries = []config.Query{shippedActivityQuery(t)}

	res := start(t, newEngine(engine.Options{}), settings(tokyo, 3), down, up).Wait()
	d := queryResult(t, res, "dam_replica")
	if d.Status != engine.StatusFailed || d.Class != engine.ClassConnection || d.Attempts != 3 {
		t.Errorf("down: status %s, class %s, attempts %d: want failed, connection, 3 attempts", d.Status, d.Class, d.Attempts)
	}
	if !strings.Contains(d.Err, "nothing listens") {
		t.Errorf("down: message %q does not say nothing listens", d.Err)
	}
	if u := queryResult(t, res, "dam"); u.Status != engine.StatusOK {
		t.Errorf("up: status %s (%s)", u.Status, u.Err)
	}
	if res.Complete {
		t.Error("run marked complete with a database down")
	}
	assertPlanted(t, res.Findings.Alerts)
}

// bigResultSQL streams a million generated rows; the server produces them
// as the client reads, so a kill lands mid-fetch.
const bigResultSQL = `WITH d AS (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
           UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)
SELECT CONCAT('user', a.n, b.n) AS username, NOW() AS access_timestamp,
       'SELECT' AS operation_type, 'SUCCESS' AS operation_status
FROM d a, d b, d c, d e, d f, d g
WHERE NOW() >= :start_date`

const bigResultRows = 1_000_000

// TestServerKilledMidFetch: the server dies while a large result streams.
// That query fails as a connection fault without a retry (rows had already
// reached the rules), the other database completes, and the run ends.
func TestServerKilledMidFetch(t *testing.T) {
	srv := damServer(t)
	victim := mariadbtest.Start(t)
	big := victim.Database("big", mariadbtest.User, time.UTC)
	big.Queries = []config.Query{activityQuery("Generated", bigResultSQL)}
	up := srv.Database("dam", mariadbtest.User, time.UTC)
	up.Queries = []config.Query{shippedActivityQuery(t)}

	run := start(t, newEngine(engine.Options{ProgressInterval: 5 * time.Millisecond}), settings(time.UTC, 3), big, up)
	var killedAt time.Time
	var failed *engine.QueryFailed
	var res engine.Result
	timeout := time.After(2 * time.Minute)
	events := run.Events()
	for done := false; !done; {
		select {
		case ev, ok := <-events:
			if !ok {
				done = true
				break
			}
			switch e := ev.(type) {
			case engine.QueryProgressed:
				if e.Database == "big" && e.Rows >= 5000 && killedAt.IsZero() {
					victim.Kill()
					killedAt = time.Now()
				}
			case engine.QueryFailed:
				if e.Database == "big" {
					failed = &e
				}
			case engine.RunFinished:
				res = e.Result
			}
		case <-timeout:
			run.Cancel()
			t.Fatal("the run hung after the server was killed")
		}
	}
	if killedAt.IsZero() {
		t.Fatal("the large query never reported progress")
	}
	t.Logf("run ended %s after the kill", time.Since(killedAt).Round(time.Millisecond))
	if failed != nil {
		t.Logf("%d rows, then: %s", failed.Rows, failed.Err)
	}
	if failed == nil {
		t.Fatalf("no QueryFailed for the killed server; queries: %+v", res.Queries)
	}
	if failed.Class != engine.ClassConnection || failed.Attempts != 1 {
		t.Errorf("class %s, attempts %d (%s): want connection, 1 attempt", failed.Class, failed.Attempts, failed.Err)
	}
	if failed.Rows == 0 || failed.Rows >= bigResultRows {
		t.Errorf("%d rows before the failure, want some but not all %d", failed.Rows, bigResultRows)
	}
	if u := queryResult(t, res, "dam"); u.Status != engine.StatusOK {
		t.Errorf("other database: status %s (%s)", u.Status, u.Err)
	}
	if res.Complete {
		t.Error("run marked complete")
	}
}

// TestRetrySucceedsAfterRestart: the server is down for the first attempt
// and back before the retry, which succeeds and reads every row.
func TestRetrySucceedsAfterRestart(t *testing.T) {
	srv := mariadbtest.Start(t)
	if err := srv.LoadDAM(); err != nil {
		t.Fatal(err)
	}
	tokyo := mustZone(t, "Asia/Tokyo")
	db := srv.Database("dam", mariadbtest.User, tokyo)
	db.Queries = []config.Query{shippedActivityQuery(t)}
	srv.Stop()

	var restarts atomic.Int32
	// The engine asks for the delay before each retry: the server comes
	// back during the first one.
	backoff := func(n int) time.Duration {
		if restarts.Add(1) == 1 {
			if err := srv.Restart(); err != nil {
				t.Errorf("restart: %v", err)
			}
		}
		return 10 * time.Millisecond
	}
	res := start(t, newEngine(engine.Options{Backoff: backoff}), settings(tokyo, 3), db).Wait()
	q := queryResult(t, res, "dam")
	if q.Status != engine.StatusOK || q.Attempts != 2 {
		t.Fatalf("status %s (%s %s), attempts %d: want ok on attempt 2", q.Status, q.Class, q.Err, q.Attempts)
	}
	if !res.Complete {
		t.Error("run not complete")
	}
	assertPlanted(t, res.Findings.Alerts)
}
