package sqlite

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cam/config"
)

// openThroughConnector opens the file at path the way a run does.
func openThroughConnector(t *testing.T, path string) *sql.DB {
	t.Helper()
	c, err := New().Connector(database("d", path, time.UTC), config.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	t.Cleanup(func() { db.Close() })
	return db
}

// Even SQL that got past the check cannot write: the file is opened
// mode=ro and the session is query_only, and neither can be undone by
// the path itself.
func TestSessionsAreReadOnly(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"plain.db", "odd?mode=rw#x%41.db"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			makeDB(t, strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(path, "%", "%25"), "?", "%3f"), "#", "%23"),
				"CREATE TABLE c (u TEXT, t TEXT)", []any{"alice", "2026-11-22 10:00:00"})
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("test database not at %s: %v", path, err)
			}
			db := openThroughConnector(t, path)
			var n int
			if err := db.QueryRow("SELECT count(*) FROM c").Scan(&n); err != nil || n != 1 {
				t.Fatalf("read through the connector: %d %v", n, err)
			}
			for _, stmt := range []string{"INSERT INTO c VALUES ('x', 'y')", "PRAGMA query_only = 0; INSERT INTO c VALUES ('x', 'y')",
				"ATTACH DATABASE '" + filepath.Join(dir, "new.db") + "' AS x"} {
				_, _ = db.Exec(stmt) // refused or a no-op: the count below is the check
			}
			if err := db.QueryRow("SELECT count(*) FROM c").Scan(&n); err != nil || n != 1 {
				t.Errorf("a write went through: %d rows, %v", n, err)
			}
			if _, err := os.Stat(filepath.Join(dir, "new.db")); err == nil {
				t.Error("ATTACH created a database file")
			}
			for _, q := range []string{"SELECT load_extension('/nonexistent/x.so')", "PRAGMA query_only"} {
				var v any
				if err := db.QueryRow(q).Scan(&v); err == nil || !strings.Contains(err.Error(), "not authorized") {
					t.Errorf("%s: err = %v, want not authorized", q, err)
				}
			}
		})
	}
}
