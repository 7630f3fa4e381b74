package oratest

import (
	"context"
	"database/sql"
	"net/url"
	"sync"

	_ "modernc.org/sqlite" // the services' data are SQLite files
)

// backend holds one read-only SQLite pool per service.
type backend struct {
	paths map[string]string
	mu    sync.Mutex
	dbs   map[string]*sql.DB
}

func newBackend(paths map[string]string) *backend {
	return &backend{paths: paths, dbs: map[string]*sql.DB{}}
}

func (b *backend) db(service string) (*sql.DB, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if db := b.dbs[service]; db != nil {
		return db, nil
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(5000)")
	db, err := sql.Open("sqlite", "file:"+b.paths[service]+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	b.dbs[service] = db
	return db, nil
}

// query runs a translated statement on service's file.
func (b *backend) query(ctx context.Context, service string, t translation, args []any) (*sql.Rows, error) {
	db, err := b.db(service)
	if err != nil {
		return nil, err
	}
	return db.QueryContext(ctx, t.sqlite, args...)
}

func (b *backend) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for name, db := range b.dbs {
		_ = db.Close()
		delete(b.dbs, name)
	}
}
