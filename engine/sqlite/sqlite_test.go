package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"cam/config"
	"cam/engine"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func makeDB(t *testing.T, path, ddl string, rows ...[]any) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(ddl); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if _, err := db.Exec("INSERT INTO c VALUES (?, ?)", r...); err != nil {
			t.Fatal(err)
		}
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func database(name, path string, loc *time.Location, types ...config.ChangeType) config.Database {
	db := config.Database{Name: name, Driver: "sqlite", Path: path, Location: loc, MaxConnections: 2}
	for _, ct := range types {
		db.Queries = append(db.Queries, config.Query{Name: string(ct), Kind: config.KindChange, ChangeType: ct,
			SQL:     "SELECT u AS user_id, t AS change_timestamp FROM c WHERE t >= :start_date AND '" + string(ct) + "' <> ':x'",
			Columns: map[string]string{config.ColUser: "user_id", config.ColTime: "change_timestamp"}})
	}
	return db
}

func run(t *testing.T, dbs ...config.Database) engine.Result {
	t.Helper()
	cfg := &config.Config{Databases: dbs, Settings: config.Settings{
		App:       config.App{MaxConcurrency: 4, QueryTimeout: time.Minute, MaxAttempts: 1},
		Detection: config.Detection{Lookback: 720 * time.Hour, TakeoverWindow: 24 * time.Hour, BusinessLocation: time.UTC, BusinessEnd: 24 * time.Hour, BruteForceThreshold: 5, BruteForceWindow: time.Minute},
	}}
	r, err := engine.New(engine.Options{Drivers: map[string]engine.Driver{"sqlite": New()}}).
		Start(context.Background(), engine.Request{Config: cfg, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return r.Wait()
}

// TestIdsAndZonesAcrossDatabases: padded text ids, integer ids and
// zone-less text in two zones meet as one user within 24h.
func TestIdsAndZonesAcrossDatabases(t *testing.T) {
	dir := t.TempDir()
	london, newYork := mustZone(t, "Europe/London"), mustZone(t, "America/New_York")
	makeDB(t, filepath.Join(dir, "a.db"), "CREATE TABLE c (u TEXT, t TEXT)",
		[]any{" 4242 ", "2026-11-20 10:00:00"}, []any{"4242", "2026-11-20 11:00:00"}, []any{nil, "2026-11-20 11:00:00"},
		[]any{"9", "garbage"}, []any{"old", "2026-01-01 00:00:00"})
	// 23:30 New York on the 19th is 04:30 UTC on the 20th.
	makeDB(t, filepath.Join(dir, "b.db"), "CREATE TABLE c (u INTEGER, t TEXT)",
		[]any{4242, "2026-11-19 23:30:00"}, []any{4242, "2026-11-20 06:00:00"})
	res := run(t,
		database("a", filepath.Join(dir, "a.db"), london, config.ChangeEmail, config.ChangePhone),
		database("b", filepath.Join(dir, "b.db"), newYork, config.ChangePassword, config.ChangeToken))
	if !res.Complete {
		t.Fatalf("incomplete: %+v", res.Queries)
	}
	if q := res.Queries[0]; q.Rows != 2 || q.Rejected != 2 {
		t.Errorf("a/email: %d rows, %d rejected (the 2026-01-01 row is before :start_date)", q.Rows, q.Rejected)
	}
	if len(res.Findings.Takeovers) != 1 || res.Findings.Takeovers[0].User != "4242" {
		t.Fatalf("takeovers %+v", res.Findings.Takeovers)
	}
	pw := res.Findings.Takeovers[0].Changes[config.ChangePassword].Time
	if !pw.Equal(time.Date(2026, 11, 20, 4, 30, 0, 0, time.UTC)) {
		t.Errorf("password change read as %v, want 04:30 UTC", pw.UTC())
	}
}

// byDatabase indexes a run's query results by database, for tests whose
// databases each have one query.
func byDatabase(res engine.Result) map[string]engine.QueryResult {
	q := map[string]engine.QueryResult{}
	for _, r := range res.Queries {
		q[r.Database] = r
	}
	return q
}

func TestGarbageAndMissingFilesFailClearly(t *testing.T) {
	dir := t.TempDir()
	makeDB(t, filepath.Join(dir, "good.db"), "CREATE TABLE c (u TEXT, t TEXT)", []any{"1", "2026-11-20 10:00:00"})
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("this is not sqlite ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.db")
	res := run(t, database("good", filepath.Join(dir, "good.db"), time.UTC, config.ChangeEmail),
		database("garbage", garbage, time.UTC, config.ChangePhone),
		database("missing", missing, time.UTC, config.ChangeToken))
	if res.Complete {
		t.Error("complete despite broken files")
	}
	q := byDatabase(res)
	if q["good"].Status != engine.StatusOK || q["good"].Rows != 1 {
		t.Errorf("good: %+v", q["good"])
	}
	if g := q["garbage"]; g.Status != engine.StatusFailed || g.Class != engine.ClassQuery || !strings.Contains(g.Err, "garbage.db is not a SQLite database") {
		t.Errorf("garbage: %+v", g)
	}
	if m := q["missing"]; m.Status != engine.StatusFailed || m.Class != engine.ClassConnection || !strings.Contains(m.Err, "missing.db does not exist") {
		t.Errorf("missing: %+v", m)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a missing database file was created")
	}
}

func TestBindRejectsOtherParameters(t *testing.T) {
	db := config.Database{Location: time.UTC}
	text, args, err := New().Bind("SELECT 1 WHERE a >= :start_date AND b >= :start_date", now, db)
	if err != nil || strings.Count(text, "?") != 2 || len(args) != 2 || args[0] != "2026-11-22 12:00:00" {
		t.Errorf("%q %v %v", text, args, err)
	}
	if _, _, err := New().Bind("SELECT :other", now, db); err == nil {
		t.Error(":other accepted")
	}
}

func BenchmarkNormalise(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "bench.db")
	db, _ := sql.Open("sqlite", "file:"+path)
	if _, err := db.Exec("CREATE TABLE c (u TEXT, t TEXT)"); err != nil {
		b.Fatal(err)
	}
	tx, _ := db.Begin()
	const rows = 200000
	for i := 0; i < rows; i++ {
		if _, err := tx.Exec("INSERT INTO c VALUES (?, ?)", i%5000, now.Add(-time.Duration(i)*time.Second).Format("2006-01-02 15:04:05")); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	db.Close()
	cfgDB := database("bench", path, time.UTC, config.ChangeEmail)
	cfg := &config.Config{Databases: []config.Database{cfgDB}, Settings: config.Settings{
		App:       config.App{MaxConcurrency: 1, QueryTimeout: time.Minute, MaxAttempts: 1},
		Detection: config.Detection{Lookback: 720 * time.Hour, TakeoverWindow: 24 * time.Hour, BusinessLocation: time.UTC},
	}}
	e := engine.New(engine.Options{Drivers: map[string]engine.Driver{"sqlite": New()}})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, _ := e.Start(context.Background(), engine.Request{Config: cfg, Now: now})
		if res := r.Wait(); res.Queries[0].Rows != rows {
			b.Fatalf("rows %d", res.Queries[0].Rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// A damaged file is reported as corrupt; a query that fails on its own
// data (JSON that does not parse) is a query error, not a corrupt file.
func TestCorruptFileAndMalformedValue(t *testing.T) {
	dir := t.TempDir()
	damaged := filepath.Join(dir, "damaged.db")
	makeDB(t, damaged, `CREATE TABLE c (u TEXT, t TEXT);
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
		INSERT INTO c SELECT printf('%050d', i), '2026-11-20 10:00:00' FROM n`)
	f, err := os.OpenFile(damaged, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Page 1 (the header and schema) stays; the table's pages do not.
	if _, err := f.WriteAt([]byte(strings.Repeat("\xff", 8192)), 4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	good := filepath.Join(dir, "good.db")
	makeDB(t, good, "CREATE TABLE c (u TEXT, t TEXT)", []any{"7", "2026-11-20 10:00:00"})
	badJSON := database("json", good, time.UTC, config.ChangePhone)
	badJSON.Queries[0].SQL = "SELECT u AS user_id, t AS change_timestamp FROM c WHERE json_extract('not json', '$.a') IS NULL AND t >= :start_date"

	res := run(t, database("damaged", damaged, time.UTC, config.ChangeEmail), badJSON)
	q := byDatabase(res)
	if d := q["damaged"]; d.Status != engine.StatusFailed || !strings.Contains(d.Err, "damaged.db is corrupt") {
		t.Errorf("damaged: %+v", d)
	}
	if j := q["json"]; j.Status != engine.StatusFailed || j.Class != engine.ClassQuery || strings.Contains(j.Err, "corrupt") || !strings.Contains(j.Err, "malformed JSON") {
		t.Errorf("json: %+v", j)
	}
}
