package oracle

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"
	"testing"
	"time"

	"cam/engine"
	"cam/oracle/oratest"
)

// numbersScript is one table of 1,000 numbered rows.
const numbersScript = `
CREATE TABLE numbers (n INTEGER);
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 1000)
INSERT INTO numbers SELECT n FROM c;`

// drain reads rows to the end and returns how many there were and the
// error that ended them.
func drain(rows *sql.Rows) (int, error) {
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// cancelAfter calls cancel after d and then sends the time it did.
func cancelAfter(d time.Duration, cancel func()) <-chan time.Time {
	at := make(chan time.Time, 1)
	time.AfterFunc(d, func() {
		now := time.Now()
		cancel()
		at <- now
	})
	return at
}

// assertFreshSession runs a query on pool and checks that it ran on a
// session other than the ones in used: a cut connection is never reused.
func assertFreshSession(t *testing.T, srv *oratest.Server, pool *sql.DB, used ...int) {
	t.Helper()
	var n int64
	if err := pool.QueryRow("SELECT count(*) FROM numbers").Scan(&n); err != nil || n != 1000 {
		t.Fatalf("query after the cut: %d, %v", n, err)
	}
	sts := srv.Record().Statements()
	last := sts[len(sts)-1]
	for _, s := range used {
		if last.Session == s {
			t.Fatalf("the query after the cut ran on session %d again; logins: %+v", s, srv.Record().Logins())
		}
	}
}

func TestCancelDuringASlowExecuteEndsWithinOneSecond(t *testing.T) {
	srv, db, o := serveSQLite(t, numbersScript, oratest.Fault{Kind: oratest.SlowExecute, SQL: "FROM numbers ORDER BY", Delay: 10 * time.Second})
	pool := openPool(t, db, o)
	pool.SetMaxOpenConns(1)
	if err := pool.Ping(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := cancelAfter(200*time.Millisecond, cancel)
	_, err := pool.QueryContext(ctx, "SELECT n FROM numbers ORDER BY n") //nolint:rowserrcheck,sqlclosecheck // the query must fail before any row: err is what is checked
	took := time.Since(<-cancelled)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if took > time.Second {
		t.Errorf("the cancelled execute returned %s after the cancel, want within 1s", took)
	}
	assertFreshSession(t, srv, pool, 1)
}

func TestCancelDuringALaterSlowFetchEndsWithinOneSecond(t *testing.T) {
	srv, db, o := serveSQLite(t, numbersScript, oratest.Fault{Kind: oratest.SlowFetch, SQL: "FROM numbers ORDER BY", Delay: 10 * time.Second})
	o.FetchSize = 100
	pool := openPool(t, db, o)
	pool.SetMaxOpenConns(1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rows, err := pool.QueryContext(ctx, "SELECT n FROM numbers ORDER BY n")
	if err != nil {
		t.Fatal(err)
	}
	cancelled := cancelAfter(200*time.Millisecond, cancel)
	n, err := drain(rows)
	took := time.Since(<-cancelled)
	if n != 100 || !errors.Is(err, context.Canceled) {
		t.Fatalf("read %d rows, err %v; want the first batch of 100, then context.Canceled", n, err)
	}
	if took > time.Second {
		t.Errorf("the cancelled fetch returned %s after the cancel, want within 1s", took)
	}
	if len(srv.Record().Breaks()) != 0 {
		t.Errorf("go-ora sent a break; cam is expected to cut the socket instead")
	}
	assertFreshSession(t, srv, pool, 1)
}

func TestAConnectionThatStoppedAnsweringIsNotReused(t *testing.T) {
	srv, db, o := serveSQLite(t, numbersScript, oratest.Fault{Kind: oratest.StallFetch, SQL: "FROM numbers ORDER BY", AfterRows: 100, Times: 1})
	o.FetchSize = 100
	pool := openPool(t, db, o)
	pool.SetMaxOpenConns(1)
	if err := pool.Ping(); err != nil { // log on outside the deadline
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rows, err := pool.QueryContext(ctx, "SELECT n FROM numbers ORDER BY n")
	if err != nil {
		t.Fatal(err)
	}
	n, err := drain(rows)
	if n != 100 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("read %d rows, err %v; want 100, then the deadline", n, err)
	}
	assertFreshSession(t, srv, pool, 1)
	if got := srv.Record().Sessions(); got != 2 {
		t.Errorf("%d sessions logged on, want 2 (the stalled one and a new one)", got)
	}
}

func TestAConnectionCutMidFetchFailsTheQueryAndIsNotReused(t *testing.T) {
	srv, db, o := serveSQLite(t, numbersScript, oratest.Fault{Kind: oratest.DropFetch, SQL: "FROM numbers ORDER BY", AfterRows: 150, Times: 1})
	o.FetchSize = 100
	pool := openPool(t, db, o)
	pool.SetMaxOpenConns(1)
	rows, err := pool.Query("SELECT n FROM numbers ORDER BY n")
	if err != nil {
		t.Fatal(err)
	}
	n, err := drain(rows)
	if n != 100 || err == nil {
		t.Fatalf("read %d rows, err %v; want the first 100, then an error", n, err)
	}
	if !errors.Is(err, driver.ErrBadConn) {
		t.Errorf("err = %v, want driver.ErrBadConn, which keeps the connection out of the pool", err)
	}
	if class, msg := New().Classify(err, db); class != engine.ClassConnection || !strings.Contains(msg, "127.0.0.1:") {
		t.Errorf("a cut connection is class %q (%s), want connection naming the address", class, msg)
	}
	assertFreshSession(t, srv, pool, 1)
}
