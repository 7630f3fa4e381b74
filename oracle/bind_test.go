package oracle

import (
	"database/sql"
	"testing"
	"time"

	go_ora "github.com/sijms/go-ora/v2"
)

func TestBindCastsStartDateToDATEInDatabaseZone(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	db := testDB
	db.Location = ny
	start := time.Date(2026, 7, 1, 16, 30, 45, 900_000_000, time.UTC) // 12:30:45 EDT

	q, args, err := New().Bind("SELECT * FROM audit WHERE ts >= :start_date AND ts2 > :START_DATE", start, db)
	if err != nil {
		t.Fatal(err)
	}
	want := "SELECT * FROM audit WHERE ts >= CAST(:start_date AS DATE) AND ts2 > CAST(:start_date AS DATE)"
	if q != want {
		t.Errorf("query\n got %s\nwant %s", q, want)
	}
	if len(args) != 1 {
		t.Fatalf("args = %v, want one named argument", args)
	}
	nv, ok := args[0].(sql.NamedArg)
	if !ok || nv.Name != "start_date" {
		t.Fatalf("arg = %#v, want sql.Named(start_date, ...)", args[0])
	}
	ts, ok := nv.Value.(go_ora.TimeStamp)
	if !ok {
		t.Fatalf("value is %T, want go_ora.TimeStamp (a time.Time binds as TIMESTAMP WITH TIME ZONE)", nv.Value)
	}
	got := time.Time(ts)
	if got.Hour() != 12 || got.Minute() != 30 || got.Second() != 45 || got.Nanosecond() != 0 {
		t.Errorf("wall clock %s, want 12:30:45 New York time with no fraction", got)
	}
	if !got.Equal(start.Truncate(time.Second)) {
		t.Errorf("instant %s, want %s", got, start.Truncate(time.Second))
	}
}

func TestBindLeavesLiteralsCommentsAndLongerNamesAlone(t *testing.T) {
	in := `SELECT ':start_date', "a:start_date" -- :start_date
FROM t /* :start_date */ WHERE x = :start_date_2 AND y >= :start_date`
	want := `SELECT ':start_date', "a:start_date" -- :start_date
FROM t /* :start_date */ WHERE x = :start_date_2 AND y >= CAST(:start_date AS DATE)`
	got, n := rewriteStartDate(in)
	if got != want || n != 1 {
		t.Errorf("rewrite (%d)\n got %s\nwant %s", n, got, want)
	}
}

// Oracle's q'[...]' literals are strings too: the same lexer that
// validated the file at load time decides what is a placeholder.
func TestBindLeavesOracleQQuotedLiteralsAlone(t *testing.T) {
	in := "SELECT q'[ :start_date ]' FROM t WHERE y >= :start_date"
	want := "SELECT q'[ :start_date ]' FROM t WHERE y >= CAST(:start_date AS DATE)"
	if got, n := rewriteStartDate(in); got != want || n != 1 {
		t.Errorf("rewrite (%d)\n got %s\nwant %s", n, got, want)
	}
}

func TestBindWithoutPlaceholderBindsNothing(t *testing.T) {
	q, args, err := New().Bind("SELECT 1 FROM DUAL", time.Now(), testDB)
	if err != nil || q != "SELECT 1 FROM DUAL" || args != nil {
		t.Errorf("got %q %v %v", q, args, err)
	}
}
