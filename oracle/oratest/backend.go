package oratest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"regexp"
	"sync"

	msqlite "modernc.org/sqlite"
)

// backend holds one read-only SQLite pool per service. Each connection
// also attaches its file under every schema name of Options.Schemas, so
// schema-qualified names (event_logs.email_changes) resolve in the same
// file, as cam's shipped queries need.
type backend struct {
	paths   map[string]string
	schemas []string
	mu      sync.Mutex
	dbs     map[string]*sql.DB
}

var schemaNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$#]{0,127}$`)

func newBackend(paths map[string]string, schemas []string) (*backend, error) {
	for _, s := range schemas {
		if !schemaNameRE.MatchString(s) {
			return nil, fmt.Errorf("oratest: schema %q is not a plain identifier", s)
		}
	}
	return &backend{paths: paths, schemas: schemas, dbs: map[string]*sql.DB{}}, nil
}

// readOnlyURI is the SQLite URI of path, opened read-only.
func readOnlyURI(path string) string {
	q := url.Values{}
	q.Set("mode", "ro")
	return "file:" + path + "?" + q.Encode()
}

func (b *backend) db(service string) *sql.DB {
	b.mu.Lock()
	defer b.mu.Unlock()
	if db := b.dbs[service]; db != nil {
		return db
	}
	db := sql.OpenDB(attachingConnector{path: b.paths[service], schemas: b.schemas})
	b.dbs[service] = db
	return db
}

// query runs a translated statement on service's file.
func (b *backend) query(ctx context.Context, service string, t translation, args []any) (*sql.Rows, error) {
	return b.db(service).QueryContext(ctx, t.sqlite, args...)
}

func (b *backend) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for name, db := range b.dbs {
		_ = db.Close()
		delete(b.dbs, name)
	}
}

// attachingConnector opens the file read-only and attaches it again under
// each schema name.
type attachingConnector struct {
	path    string
	schemas []string
}

func (c attachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Driver().Open(readOnlyURI(c.path) + "&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	exec, ok := conn.(driver.ExecerContext)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("oratest: the SQLite driver cannot run ATTACH")
	}
	for _, s := range c.schemas {
		// The name was checked by newBackend; the file is a bound value.
		arg := []driver.NamedValue{{Ordinal: 1, Value: readOnlyURI(c.path)}}
		if _, err := exec.ExecContext(ctx, `ATTACH DATABASE ?1 AS "`+s+`"`, arg); err != nil {
			_ = conn.Close()
			return nil, fmt.Errorf("oratest: attaching %s as %s: %w", c.path, s, err)
		}
	}
	return conn, nil
}

func (attachingConnector) Driver() driver.Driver { return &msqlite.Driver{} }
