package mysql

import (
	"strings"
	"testing"
	"time"

	"cam/config"
)

func TestBindRewritesEveryStartDateOutsideStringsAndComments(t *testing.T) {
	tokyo := mustZone(t, "Asia/Tokyo")
	db := config.Database{Name: "dam", Location: tokyo}
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	q := `SELECT ':start_date' AS s, "x:start_date" AS d -- :start_date
FROM t /* :start_date */ WHERE a >= :start_date AND b < :START_DATE`
	text, args, err := Driver{}.Bind(q, start, db)
	if err != nil {
		t.Fatal(err)
	}
	want := `SELECT ':start_date' AS s, "x:start_date" AS d -- :start_date
FROM t /* :start_date */ WHERE a >= ? AND b < ?`
	if text != want {
		t.Errorf("rewritten:\n%s\nwant:\n%s", text, want)
	}
	if len(args) != 2 {
		t.Fatalf("%d arguments, want one per occurrence (2)", len(args))
	}
	wall := start.In(tokyo).Format("2006-01-02 15:04:05")
	for i, a := range args {
		if a != wall {
			t.Errorf("argument %d = %v, want the Asia/Tokyo wall clock %q", i, a, wall)
		}
	}
}

func TestBindRejectsOtherParameters(t *testing.T) {
	_, _, err := Driver{}.Bind("SELECT 1 FROM t WHERE a = :user_id", time.Now(), config.Database{Location: time.UTC})
	if err == nil || !strings.Contains(err.Error(), ":user_id") {
		t.Errorf("err = %v, want one naming :user_id", err)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
