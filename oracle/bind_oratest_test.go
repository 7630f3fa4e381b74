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
