package sqlite

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"cam/config"
	"cam/engine"
	"cam/internal/wallclocks"
	"cam/sqltext"
)

// TestTimestampsInEveryDeclaredTypeAndZone stores the same wall clocks in
// columns of every declared type SQLite users write, reads them through the
// engine with the database in three zones, and checks the instants the
// rules receive. modernc parses DATE/DATETIME/TIMESTAMP text as UTC on its
// own; cam must read every zone-less value in the configured zone instead.
func TestTimestampsInEveryDeclaredTypeAndZone(t *testing.T) {
	type row struct {
		user, text string
		want       map[string]time.Time // by zone name
	}
	var rows []row
	for _, c := range wallclocks.Cases {
		rows = append(rows, row{c.User, c.Wall, c.Want})
	}
	// Forms with their own zone keep their instant in every zone.
	tenUTC := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	rows = append(rows,
		row{"iso-t", "2026-11-20T10:00:00", wallclocks.Cases[0].Want},
		row{"zulu", "2026-11-20T10:00:00Z", map[string]time.Time{"UTC": tenUTC, "America/New_York": tenUTC, "Asia/Kolkata": tenUTC}},
		row{"offset", "2026-11-20 15:30:00+05:30", map[string]time.Time{"UTC": tenUTC, "America/New_York": tenUTC, "Asia/Kolkata": tenUTC}})
	rejected := []struct {
		user  string
		value any
	}{
		{"year-1", "0001-01-01 00:00:00"}, {"year-2261", "2261-06-01 00:00:00"},
		{"year-2263", "2263-06-01 00:00:00"}, {"year-9999", "9999-12-31 23:59:59"},
		{"epoch", int64(1763632800)}, {"garbage", "20/11/2026"},
	}
	for _, declared := range []string{"TEXT", "DATE", "DATETIME", "TIMESTAMP", "", "VARCHAR(30)"} {
		for _, zoneName := range wallclocks.Zones {
			t.Run(fmt.Sprintf("%s/%s", typeLabel(declared), zoneName), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "c.db")
				var values [][]any
				for _, r := range rows {
					values = append(values, []any{r.user, r.text})
				}
				for _, r := range rejected {
					values = append(values, []any{r.user, r.value})
				}
				makeDB(t, path, "CREATE TABLE c (u TEXT, t "+declared+")", values...)
				res := run(t, everyType(path, mustZone(t, zoneName)))
				got := map[string]time.Time{}
				for _, tk := range res.Findings.Takeovers {
					got[tk.User] = tk.WindowStart
				}
				for _, r := range rows {
					if want := r.want[zoneName]; !got[r.user].Equal(want) {
						t.Errorf("%s %q: instant %s, want %s", r.user, r.text, got[r.user].UTC(), want)
					}
				}
				q := res.Queries[0]
				want := map[string]int64{"out_of_range_time": 4, "not_text_time": 1, "unparseable_time": 1}
				if fmt.Sprint(q.RejectedBy) != fmt.Sprint(want) || q.Rows != int64(len(rows)) {
					t.Errorf("rows %d, rejected %v; want %d and %v", q.Rows, q.RejectedBy, len(rows), want)
				}
			})
		}
	}
}

func typeLabel(declared string) string {
	if declared == "" {
		return "undeclared"
	}
	return declared
}

// everyType is one database whose four change queries read the same table,
// so every user with an accepted row is a takeover at that row's instant.
func everyType(path string, loc *time.Location) config.Database {
	db := config.Database{Name: "c", Driver: "sqlite", Path: path, Location: loc, MaxConnections: 2}
	for _, ct := range config.ChangeTypes {
		db.Queries = append(db.Queries, config.Query{Name: string(ct), Kind: config.KindChange, ChangeType: ct,
			SQL:     "SELECT u AS user_id, t AS change_timestamp FROM c;",
			Columns: map[string]string{config.ColUser: "user_id", config.ColTime: "change_timestamp"}})
	}
	return db
}

// Epoch numbers are read when, and only when, the query says so.
func TestEpochColumnsNeedTimeFormat(t *testing.T) {
	want := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		declared string
		value    any
		format   config.TimeFormat
		ok       bool
	}{
		{"seconds, INTEGER, no format", "INTEGER", want.Unix(), config.TimeText, false},
		{"seconds, DATETIME, no format", "DATETIME", want.Unix(), config.TimeText, false},
		{"seconds, INTEGER, unix", "INTEGER", want.Unix(), config.TimeUnix, true},
		{"seconds as text, unix", "TEXT", fmt.Sprint(want.Unix()), config.TimeUnix, true},
		{"milliseconds, INTEGER, unix_ms", "INTEGER", want.UnixMilli(), config.TimeUnixMs, true},
		{"milliseconds, DATETIME, unix_ms", "DATETIME", want.UnixMilli(), config.TimeUnixMs, true},
		{"milliseconds, REAL, unix_ms", "REAL", float64(want.UnixMilli()), config.TimeUnixMs, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.db")
			makeDB(t, path, "CREATE TABLE c (u TEXT, t "+c.declared+")", []any{"epoch", c.value})
			db := everyType(path, mustZone(t, "America/New_York"))
			for i := range db.Queries {
				db.Queries[i].TimeFormat = c.format
			}
			res := run(t, db)
			if !c.ok {
				q := res.Queries[0]
				if q.Status != engine.StatusFailed || q.Class != engine.ClassData || res.Complete {
					t.Fatalf("status %s class %s complete %v: an all-numbers time column must fail the query", q.Status, q.Class, res.Complete)
				}
				return
			}
			if len(res.Findings.Takeovers) != 1 || !res.Findings.Takeovers[0].WindowStart.Equal(want) {
				t.Fatalf("takeovers %+v, want one at %s", res.Findings.Takeovers, want)
			}
		})
	}
}

// The wrapper that strips declared types must not change what a query
// returns: column names (also quoted and duplicated ones), storage classes,
// a trailing ";" followed by a comment, WITH queries and bind parameters.
func TestUntypedSelectKeepsTheQuery(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	makeDB(t, path, `CREATE TABLE c (u INTEGER, t DATETIME)`, []any{int64(7), "2026-11-20 10:00:00"})
	c, err := New().Connector(config.Database{Name: "c", Path: path}, config.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	pool := sql.OpenDB(c)
	defer pool.Close()
	q := `WITH x AS (SELECT u, t FROM c WHERE t >= ?) SELECT u AS "odd ""name""", t, t AS t2, 1.5 AS r FROM x; -- trailing`
	rows, err := pool.Query(sqltext.TrimStatementEnd(q, sqltext.DialectStandard), "2026-01-01 00:00:00")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	if fmt.Sprint(cols) != `[odd "name" t t2 r]` {
		t.Errorf("columns %q", cols)
	}
	if !rows.Next() {
		t.Fatal("no row")
	}
	var u, tm, t2, r any
	if err := rows.Scan(&u, &tm, &t2, &r); err != nil {
		t.Fatal(err)
	}
	if u != int64(7) || tm != "2026-11-20 10:00:00" || t2 != "2026-11-20 10:00:00" || r != 1.5 {
		t.Errorf("row %#v %#v %#v %#v: want the stored values with their storage classes", u, tm, t2, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestStartsWithQueryKeyword(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT 1": true, "  with x as (select 1) select * from x": true, "-- c\n/* d */ Select 1": true,
		"PRAGMA query_only": false, "selector": false, "-- only a comment": false, "/* open": false, "": false,
	} {
		if got := startsWithQueryKeyword(q); got != want {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
}
