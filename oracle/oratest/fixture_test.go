package oratest

import (
	"database/sql"
	"path/filepath"
	"testing"

	go_ora "github.com/sijms/go-ora/v2"
)

// fixtureSchema covers every declared type the double maps.
const fixtureSchema = `
CREATE TABLE t (id INTEGER, name TEXT, amount REAL, d DATE, ts TIMESTAMP,
  tstz TIMESTAMP WITH TIME ZONE, note VARCHAR(40), grp TEXT);
INSERT INTO t VALUES (1, 'one', -12.5, '2024-02-29 13:14:15', '2024-02-29 13:14:15.123456',
  '2024-02-29 13:14:15.5+05:30', NULL, 'g1');
INSERT INTO t VALUES (2, 'two', 0.01, '2024-03-31 01:30:00', '2024-03-31 01:30:00',
  '2024-03-31 01:30:00-04:00', 'x', 'g1');
INSERT INTO t VALUES (3, 'three', 12345678901234, '1999-12-31 23:59:59', '1999-12-31 23:59:59',
  '1999-12-31 23:59:59Z', 'y', 'g2');
CREATE TABLE big (n INTEGER);
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 2500)
INSERT INTO big SELECT n FROM c;`

// writeSQLite creates a SQLite file from a script in the test's temp dir.
func writeSQLite(t *testing.T, name, script string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(script); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return path
}

const (
	testUser     = "cam"
	testPassword = "secret-Pass-1"
)

// startFixture serves the fixture as service CLIENT_AUDIT.
func startFixture(t *testing.T, faults ...Fault) *Server {
	t.Helper()
	return Start(t, Options{
		Services: map[string]string{"CLIENT_AUDIT": writeSQLite(t, "client.db", fixtureSchema)},
		Users:    map[string]string{testUser: testPassword},
		Faults:   faults,
	})
}

// open returns a go-ora pool on srv's service.
func open(t *testing.T, srv *Server, service, password string, options map[string]string) *sql.DB {
	t.Helper()
	db, err := sql.Open("oracle", srv.URL(service, testUser, password, options))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var _ = go_ora.NewDriver // registers the "oracle" driver
