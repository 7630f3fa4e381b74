package oracle

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"cam/config"
	"cam/oracle/oratest"
)

// serveSQLite starts an oratest server whose CLIENT_AUDIT service holds
// the tables script creates, and returns it with a database entry and
// options that reach it with password logon (loopbackDB's user).
func serveSQLite(t *testing.T, script string, faults ...oratest.Fault) (*oratest.Server, config.Database, Options) {
	t.Helper()
	srv := oratest.Start(t, oratest.Options{
		Services: map[string]string{"CLIENT_AUDIT": writeFixture(t, script)},
		Users:    map[string]string{"auditor": testPassword},
		Faults:   faults,
	})
	dbc, o := loopbackDB(t, srv.Port())
	return srv, dbc, o
}

// writeFixture creates a SQLite file from script in a temp dir.
func writeFixture(t *testing.T, script string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(script); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return path
}

// openPool opens cam's Oracle pool on db, as a run does.
func openPool(t *testing.T, db config.Database, o Options) *sql.DB {
	t.Helper()
	pool, err := NewWithOptions(func(config.Database, config.Settings) Options { return o }).Open(context.Background(), db, config.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	return pool
}
