package engine

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"cam/config"
	"cam/sqltext"
)

// Errors the fake source returns, classified by fakeDriver.
var (
	errRefused = errors.New("connection refused")
	errAuth    = errors.New("login denied")
	errSyntax  = errors.New("syntax error")
)

// fakeSource is a scripted database: latency, rows, faults and a read that
// ignores its context, for testing the engine without a server.
type fakeSource struct {
	cols          []string
	rows          [][]driver.Value
	latency       time.Duration // before the first row; honours the context
	refuseConnect int32         // fail this many connects with errRefused
	connectErr    error         // fail every connect with this
	queryErr      error         // fail every query with this
	failAfter     int           // after this many rows, fail with errRefused (0: never)
	blockAfter    int           // after this many rows, block ignoring ctx until closed (0: never)
	rowGap        time.Duration // before each row: a source that delivers slowly
	// sharedBytes hands text over as []byte in one buffer that the next
	// row overwrites, as the MySQL driver does.
	sharedBytes bool

	connects, openConns, maxConns, active, maxActive atomic.Int32
}

func (s *fakeSource) Connect(ctx context.Context) (driver.Conn, error) {
	s.connects.Add(1)
	if s.connectErr != nil {
		return nil, s.connectErr
	}
	if s.refuseConnect > 0 && s.connects.Load() <= s.refuseConnect {
		return nil, errRefused
	}
	bump(&s.openConns, &s.maxConns)
	return &fakeConn{src: s, closed: make(chan struct{})}, nil
}

func (s *fakeSource) Driver() driver.Driver { return nil }

func bump(cur, max *atomic.Int32) {
	n := cur.Add(1)
	for {
		m := max.Load()
		if n <= m || max.CompareAndSwap(m, n) {
			return
		}
	}
}

type fakeConn struct {
	src       *fakeSource
	closeOnce sync.Once
	closed    chan struct{}
}

func (c *fakeConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("not supported") }
func (c *fakeConn) Begin() (driver.Tx, error)           { return nil, errors.New("not supported") }
func (c *fakeConn) Close() error {
	c.closeOnce.Do(func() {
		close(c.closed)
		c.src.openConns.Add(-1)
	})
	return nil
}

func (c *fakeConn) QueryContext(ctx context.Context, _ string, _ []driver.NamedValue) (driver.Rows, error) {
	if c.src.queryErr != nil {
		return nil, c.src.queryErr
	}
	bump(&c.src.active, &c.src.maxActive)
	select {
	case <-time.After(c.src.latency):
	case <-ctx.Done():
		c.src.active.Add(-1)
		return nil, ctx.Err()
	}
	return &fakeRows{conn: c}, nil
}

type fakeRows struct {
	conn *fakeConn
	next int
	done bool
	buf  []byte // sharedBytes: the row's text
}

func (r *fakeRows) Columns() []string { return r.conn.src.cols }
func (r *fakeRows) Close() error {
	if !r.done {
		r.done = true
		r.conn.src.active.Add(-1)
	}
	return nil
}

func (r *fakeRows) Next(dest []driver.Value) error {
	src := r.conn.src
	if src.blockAfter > 0 && r.next == src.blockAfter {
		<-r.conn.closed // ignores every context, like a driver stuck in a socket read
		return io.ErrUnexpectedEOF
	}
	if src.failAfter > 0 && r.next == src.failAfter {
		return errRefused
	}
	if r.next >= len(src.rows) {
		return io.EOF
	}
	time.Sleep(src.rowGap)
	copy(dest, src.rows[r.next])
	r.next++
	if src.sharedBytes {
		r.buf = r.buf[:0]
		for i, v := range dest {
			if s, ok := v.(string); ok {
				from := len(r.buf)
				r.buf = append(r.buf, s...)
				dest[i] = r.buf[from:len(r.buf):len(r.buf)]
			}
		}
	}
	return nil
}

// fakeDriver serves fake sources by database name.
type fakeDriver struct{ sources map[string]*fakeSource }

func (d fakeDriver) Connector(db config.Database, _ config.Settings) (driver.Connector, error) {
	return d.sources[db.Name], nil
}

// fakeDriver's rules: a network database logging in as Oracle's do, so
// the check labels it kerberos.
func init() { config.RegisterDriver("fake", fakeDriver{}) }

func (fakeDriver) Dialect() sqltext.Dialect                  { return sqltext.DialectStandard }
func (fakeDriver) Auths() []string                           { return []string{config.AuthKerberos, config.AuthPassword} }
func (fakeDriver) OwnKeys() []string                         { return nil }
func (fakeDriver) Validate(config.Database) []config.Problem { return nil }

func (fakeDriver) Bind(q string, start time.Time, _ config.Database) (string, []any, error) {
	return q, []any{start}, nil
}

func (fakeDriver) Classify(err error, _ config.Database) (ErrorClass, string) {
	switch {
	case errors.Is(err, errRefused), errors.Is(err, io.ErrUnexpectedEOF):
		return ClassConnection, "connection refused — is the database up?"
	case errors.Is(err, errAuth):
		return ClassAuth, "login denied — check your Kerberos ticket"
	}
	return ClassQuery, err.Error()
}
