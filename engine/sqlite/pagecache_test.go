package sqlite

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"cam/config"
	"cam/internal/integration"
	"cam/internal/sqlitecache"
)

// readCalls is how many read system calls this process has made.
func readCalls(t *testing.T) int {
	t.Helper()
	f, err := os.Open("/proc/self/io")
	if err != nil {
		t.Skipf("no /proc/self/io to count reads: %v", err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "syscr: "); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("/proc/self/io has no syscr line")
	return 0
}

// TestConcurrentScansReadEachPageAboutOnce runs a join whose lookup
// table lies beyond the memory-mapped start of the file (a file larger
// than the map, made small here to keep the test small) while four other
// queries scan the same file, as a run's queries do. On SQLite's default
// shared page cache the scans took the join's lookup pages and each row
// read them again (hundreds of thousands of reads for a file of a few
// thousand pages); with a cache per connection every query reads its
// pages about once.
func TestConcurrentScansReadEachPageAboutOnce(t *testing.T) {
	integration.SkipSlowUnderRace(t, "counts reads; SQLite under -race takes a minute to write and scan the file")
	if sqlitecache.Err != nil {
		t.Fatalf("the per-connection page cache was not installed: %v", sqlitecache.Err)
	}
	path := filepath.Join(t.TempDir(), "scan.db")
	const rows, users = 60_000, 4_000
	writeScanDB(t, path, rows, users)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	pages := int(st.Size() / 4096)
	const mapBytes = 4 << 20
	if st.Size() < 3*mapBytes {
		t.Fatalf("the file (%d bytes) must be well past the memory map (%d)", st.Size(), mapBytes)
	}

	c, err := readOnlyConnector(config.Database{Name: "scan", Driver: "sqlite", Path: path}, mapBytes)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	db.SetMaxOpenConns(5)
	queries := []string{
		"SELECT l.name, l.at, u.role FROM log l LEFT JOIN users u ON u.name = l.name ORDER BY l.at",
	}
	for i := range 4 {
		queries = append(queries, fmt.Sprintf("SELECT name, at, pad FROM log%d ORDER BY at", i))
	}
	before := readCalls(t)
	var wg sync.WaitGroup
	errs := make([]error, len(queries))
	counts := make([]int, len(queries))
	for i, q := range queries {
		wg.Go(func() { counts[i], errs[i] = drain(t.Context(), db, q) })
	}
	wg.Wait()
	reads := readCalls(t) - before
	for i, err := range errs {
		if err != nil {
			t.Fatalf("%s: %v", queries[i], err)
		}
		if counts[i] != rows {
			t.Fatalf("%s: %d rows, want %d", queries[i], counts[i], rows)
		}
	}
	// Each query reads its table and index, a few pages more than once
	// at most; a thrashing cache reads the lookup pages once per row.
	if reads > pages*3/2 {
		t.Errorf("%d reads for a file of %d pages: the lookup pages were read again per row", reads, pages)
	}
	t.Logf("%d reads, %d pages", reads, pages)
}

func drain(ctx context.Context, db *sql.DB, q string) (int, error) {
	r, err := db.QueryContext(ctx, q)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n := 0
	var a, b, c sql.NullString
	for r.Next() {
		if err := r.Scan(&a, &b, &c); err != nil {
			return n, err
		}
		n++
	}
	return n, r.Err()
}

// writeScanDB writes five log tables of rows rows (the join's first, the
// lookup table last, so its pages lie past the memory map) and a users
// table of users accounts.
func writeScanDB(t *testing.T, path string, rows, users int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"log", "log0", "log1", "log2", "log3"} {
		writeLog(t, tx, table, rows, users)
	}
	if _, err := tx.Exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT UNIQUE, role TEXT)"); err != nil {
		t.Fatal(err)
	}
	for i := range users {
		if _, err := tx.Exec("INSERT INTO users (name, role) VALUES (?, ?)", fmt.Sprintf("user%05d", i), "User"); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// writeLog writes a log table of rows rows in time order, by users
// accounts, with an index on the time.
func writeLog(t *testing.T, tx *sql.Tx, table string, rows, users int) {
	t.Helper()
	if _, err := tx.Exec("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, name TEXT, at TEXT, pad TEXT)"); err != nil {
		t.Fatal(err)
	}
	ins, err := tx.Prepare("INSERT INTO " + table + " (name, at, pad) VALUES (?, ?, ?)")
	if err != nil {
		t.Fatal(err)
	}
	defer ins.Close()
	pad := strings.Repeat("x", 40)
	for i := range rows {
		// Users in a scrambled order, so the join's lookups jump about.
		if _, err := ins.Exec(fmt.Sprintf("user%05d", i*7919%users), fmt.Sprintf("2026-11-01 %08d", i), pad); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Exec("CREATE INDEX " + table + "_at ON " + table + "(at)"); err != nil {
		t.Fatal(err)
	}
}
