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
	"testing"
)

// fillDB writes n rows of about 200 bytes each to table c of the file at
// path, starting at id from; a row's text says its id.
func fillDB(t *testing.T, db *sql.DB, from, n int) {
	t.Helper()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	if _, err := tx.Exec("CREATE TABLE IF NOT EXISTS c (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	for i := from; i < from+n; i++ {
		if _, err := tx.Exec("INSERT INTO c VALUES (?, ?)", i, rowText(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func rowText(i int) string { return fmt.Sprintf("%08d%s", i, strings.Repeat("x", 192)) }

// mapsOf returns the noted mappings that /proc/self/maps shows as a
// mapping of the file at path, and stops the test on a noted range that
// is not a live mapping of a database file (a drop would advise memory
// that is not the database's).
func mapsOf(t *testing.T, path string) []mapped {
	t.Helper()
	live := map[uintptr]string{} // start -> file
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 {
			continue
		}
		start, _, _ := strings.Cut(fields[0], "-")
		a, err := strconv.ParseUint(start, 16, 64)
		if err != nil {
			t.Fatal(err)
		}
		live[uintptr(a)] = fields[5]
	}
	var ofPath []mapped
	for _, m := range mappings() {
		file, ok := live[m.start]
		switch {
		case !ok:
			t.Fatalf("noted mapping %#x-%#x is not mapped", m.start, m.end)
		case !strings.HasSuffix(file, ".db"):
			t.Fatalf("noted mapping %#x-%#x maps %s, not a database", m.start, m.end, file)
		case file == path:
			ofPath = append(ofPath, m)
		}
	}
	return ofPath
}

// residentKB is the resident size of the mapping that starts at start,
// from /proc/self/smaps.
func residentKB(t *testing.T, start uintptr) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	header := fmt.Sprintf("%x-", start)
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, header) {
			in = true
			continue
		}
		if v, ok := strings.CutPrefix(line, "Rss:"); ok && in {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Fatalf("no mapping at %#x in /proc/self/smaps", start)
	return 0
}

// A scan's mapped pages leave the resident set when dropped, in the middle
// of the scan, and the rows read after the drop are the file's.
func TestDroppedPagesLeaveTheResidentSetNotTheData(t *testing.T) {
	if !mapsWatched() {
		t.Fatalf("the VFS's mmap is not watched: %v", errMapsNotWatched)
	}
	path := filepath.Join(t.TempDir(), "big.db")
	w, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	const n = 20_000 // about 4.5 MB
	fillDB(t, w, 0, n)
	w.Close()

	db := openThroughConnector(t, path)
	rows, err := db.QueryContext(context.Background(), "SELECT id, v FROM c ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	read := 0
	next := func(upTo int) {
		for ; read < upTo && rows.Next(); read++ {
			var id int
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				t.Fatal(err)
			}
			if id != read || v != rowText(read) {
				t.Fatalf("row %d read back as %d %q", read, id, v)
			}
		}
	}
	next(n / 2)
	maps := mapsOf(t, path)
	if len(maps) != 1 {
		t.Fatalf("%d noted mappings of %s, want the connection's one", len(maps), path)
	}
	if kb := residentKB(t, maps[0].start); kb < 1024 {
		t.Fatalf("half the file scanned and only %d kB of its map resident", kb)
	}
	if dropMappedPages() == 0 {
		t.Fatal("the drop advised no mapping")
	}
	if kb := residentKB(t, maps[0].start); kb > 64 {
		t.Errorf("%d kB of the map still resident after the drop", kb)
	}
	next(n)
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if read != n {
		t.Errorf("read %d rows after the drop, want %d", read, n)
	}
}

// The noted mappings follow SQLite's own: a reader's map is replaced when
// another connection grows the file, a writer's is grown by mremap, and a
// closed connection's is gone. Every noted range is always a live map of
// a database file, so a drop never advises memory that is not one.
func TestNotedMapsFollowGrowthAndClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "grow.db")
	w, err := sql.Open("sqlite", "file:"+path+"?_pragma=mmap_size(67108864)")
	if err != nil {
		t.Fatal(err)
	}
	w.SetMaxOpenConns(1)
	fillDB(t, w, 0, 2_000)
	r := openThroughConnector(t, path)
	r.SetMaxOpenConns(1)
	count := func() int {
		t.Helper()
		var got int
		if err := r.QueryRow("SELECT count(*) FROM c WHERE v LIKE '%x'").Scan(&got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	total := 2_000
	for round := range 4 {
		if got := count(); got != total {
			t.Fatalf("round %d: %d rows, want %d", round, got, total)
		}
		maps := mapsOf(t, path)
		if len(maps) == 0 {
			t.Fatalf("round %d: no noted mapping of %s", round, path)
		}
		dropMappedPages()
		fillDB(t, w, total, 3_000) // grows the file through the writer's map
		total += 3_000
		mapsOf(t, path)
	}
	w.Close()
	r.Close()
	if maps := mapsOf(t, path); len(maps) != 0 {
		t.Errorf("closed connections left noted mappings: %v", maps)
	}
}
