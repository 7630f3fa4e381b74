package oracle

import (
	"context"
	"strings"
	"testing"
	"time"
)

// changesScript is a change table with DATE columns, as an audit schema
// keeps them: zone-less wall clocks.
const changesScript = `
CREATE TABLE changes (user_id INTEGER, change_date DATE);
INSERT INTO changes VALUES (101, '2026-03-29 00:30:00'), (102, '2026-03-29 02:30:00'),
  (103, '2026-03-29 03:30:00'), (104, '2026-03-30 09:00:00');`

func TestStartDateReachesTheServerAsAWallClockInsideADateCast(t *testing.T) {
	srv, db, o := serveSQLite(t, changesScript)
	db.Location, _ = time.LoadLocation("Europe/London")
	db.Timezone = "Europe/London"
	pool := openPool(t, db, o)
	// 01:15 UTC on the day London moves to BST is 02:15 BST.
	start := time.Date(2026, 3, 29, 1, 15, 0, 0, time.UTC)
	q, args, err := New().Bind("SELECT user_id FROM changes WHERE change_date >= :start_date ORDER BY user_id", start, db)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := pool.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids, ",") != "102,103,104" {
		t.Errorf("rows since 02:15 London: %v, want 102,103,104", ids)
	}
	sts := srv.Record().Statements()
	st := sts[len(sts)-1]
	if !strings.Contains(st.SQL, "change_date >= CAST(:start_date AS DATE)") {
		t.Errorf("SQL text lacks the DATE cast: %s", st.SQL)
	}
	if len(st.Binds) != 1 || st.Binds[0].Type != "TIMESTAMP" || st.Binds[0].Value != "2026-03-29 02:15:00" {
		t.Errorf("bind = %+v, want one TIMESTAMP holding London's wall clock 2026-03-29 02:15:00", st.Binds)
	}
}

// go-ora v2.9.0 reads a quote inside a -- comment as the start of a string
// literal, hides the :start_date after it and sends no bind: ORA-01008 on
// any server. An analyst's comment ("the user's email") must not break
// the query.
func TestAnApostropheInACommentDoesNotHideStartDate(t *testing.T) {
	srv, db, o := serveSQLite(t, changesScript)
	pool := openPool(t, db, o)
	q, args, err := New().Bind("-- the analyst's query\nSELECT user_id FROM changes /* it's */ WHERE change_date >= :start_date -- don't\n",
		time.Date(2026, 3, 29, 3, 0, 0, 0, time.UTC), db)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := pool.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("query with an apostrophe in a comment: %v", err)
	}
	if n, err := drain(rows); n != 2 || err != nil {
		t.Errorf("read %d rows (%v), want 103 and 104", n, err)
	}
	sts := srv.Record().Statements()
	if st := sts[len(sts)-1]; len(st.Binds) != 1 || !strings.Contains(st.SQL, "CAST(:start_date AS DATE)") {
		t.Errorf("the server got %q with binds %+v", st.SQL, st.Binds)
	}
}
