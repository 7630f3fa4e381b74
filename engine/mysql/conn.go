package mysql

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// killTimeout bounds the KILL QUERY sent when a query is cancelled, so a
// server that stopped answering cannot hold up the end of a run.
const killTimeout = 750 * time.Millisecond

// connector hands out connections that stop their query on the server when
// its context ends. go-sql-driver closes the socket on cancel, but the
// server notices a closed socket only when it next writes: a query that
// sleeps, sorts or aggregates would run on. So each connection remembers
// its server thread id and a cancel sends KILL QUERY from a second
// connection.
type connector struct {
	inner   driver.Connector
	addr    string        // host:port or socket, for messages
	timeout time.Duration // connect_timeout: dial, handshake and thread id
}

// ConnectTimeoutError is a connection attempt that did not complete within
// connect_timeout.
type ConnectTimeoutError struct {
	Addr  string
	After time.Duration
}

func (e *ConnectTimeoutError) Error() string {
	return fmt.Sprintf("no connection to %s within %s", e.Addr, e.After)
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	// go-sql-driver bounds only the dial with its Timeout; the handshake
	// waits on ctx, so bound the whole connect here.
	cctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	conn, err := c.inner.Connect(cctx)
	if err == nil {
		var id uint64
		id, err = threadID(cctx, conn)
		if err == nil {
			err = readOnlySession(cctx, conn)
		}
		if err == nil {
			return &killableConn{Conn: conn, id: id, kill: c.killQuery}, nil
		}
		conn.Close()
	}
	if ctx.Err() == nil && errors.Is(cctx.Err(), context.DeadlineExceeded) {
		return nil, &ConnectTimeoutError{Addr: c.addr, After: c.timeout}
	}
	return nil, err
}

func (c *connector) Driver() driver.Driver { return c.inner.Driver() }

// threadID asks the server for the connection's thread id, the argument of
// KILL QUERY.
func threadID(ctx context.Context, conn driver.Conn) (uint64, error) {
	q, ok := conn.(driver.QueryerContext)
	if !ok {
		return 0, errors.New("mysql driver connection cannot run queries")
	}
	rows, err := q.QueryContext(ctx, "SELECT CONNECTION_ID()", nil)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	dest := make([]driver.Value, 1)
	if err := rows.Next(dest); err != nil {
		return 0, err
	}
	switch v := dest[0].(type) {
	case int64:
		return uint64(v), nil
	case uint64:
		return v, nil
	case []byte:
		return strconv.ParseUint(string(v), 10, 64)
	}
	return 0, fmt.Errorf("CONNECTION_ID() returned %T", dest[0])
}

// killQuery stops whatever thread id is running. It is best effort: the
// query's own connection is already closed, so the worst case is a query
// that runs on until it next writes.
func (c *connector) killQuery(id uint64) {
	ctx, cancel := context.WithTimeout(context.Background(), killTimeout)
	defer cancel()
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	if ex, ok := conn.(driver.ExecerContext); ok {
		// 1094 (unknown thread) means the query already ended: fine.
		_, _ = ex.ExecContext(ctx, "KILL QUERY "+strconv.FormatUint(id, 10), nil)
	}
}

// killableConn is a go-sql-driver connection that knows its server thread
// id, so its queries can be killed from another connection.
type killableConn struct {
	driver.Conn
	id   uint64
	kill func(id uint64)
}

// watch follows one query: if ctx ends before the query has delivered its
// last row, the query is killed on the server. stop must be called once.
type watch struct {
	conn      *killableConn
	ctx       context.Context
	completed atomic.Bool
	killOnce  sync.Once
	done      chan struct{}
	exited    chan struct{}
}

func (c *killableConn) watch(ctx context.Context) *watch {
	w := &watch{conn: c, ctx: ctx, done: make(chan struct{}), exited: make(chan struct{})}
	go func() {
		defer close(w.exited)
		select {
		case <-ctx.Done():
			w.killIfRunning()
		case <-w.done:
		}
	}()
	return w
}

func (w *watch) killIfRunning() {
	if w.completed.Load() || w.ctx.Err() == nil {
		return
	}
	w.killOnce.Do(func() { w.conn.kill(w.conn.id) })
}

// stop ends the watch; it returns after any KILL QUERY has been sent, so
// the server is clean when the run reports the query cancelled.
func (w *watch) stop() {
	close(w.done)
	<-w.exited
	w.killIfRunning()
}

// QueryContext runs a query without arguments directly; with arguments the
// driver answers ErrSkip and database/sql prepares it (see PrepareContext).
func (c *killableConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	w := c.watch(ctx)
	rows, err := q.QueryContext(ctx, query, args)
	if err != nil {
		if errors.Is(err, driver.ErrSkip) {
			w.completed.Store(true)
		}
		w.stop()
		return nil, err
	}
	return &watchedRows{Rows: rows, w: w}, nil
}

// PrepareContext returns a statement whose queries are watched.
func (c *killableConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	var st driver.Stmt
	var err error
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		st, err = p.PrepareContext(ctx, query)
	} else {
		st, err = c.Conn.Prepare(query)
	}
	if err != nil {
		return nil, err
	}
	return &watchedStmt{Stmt: st, conn: c}, nil
}

// CheckNamedValue lets the driver convert its own argument types.
func (c *killableConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// IsValid reports a connection the driver closed on cancel as unusable.
func (c *killableConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// ResetSession keeps the driver's liveness check of pooled connections.
func (c *killableConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

// Ping passes through so sql.DB.Ping checks the server.
func (c *killableConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// watchedStmt is a prepared statement whose queries are watched.
type watchedStmt struct {
	driver.Stmt
	conn *killableConn
}

func (s *watchedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := s.Stmt.(driver.StmtQueryContext)
	if !ok {
		return nil, errors.New("mysql driver statement cannot take a context")
	}
	w := s.conn.watch(ctx)
	rows, err := q.QueryContext(ctx, args)
	if err != nil {
		w.stop()
		return nil, err
	}
	return &watchedRows{Rows: rows, w: w}, nil
}

func (s *watchedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	e, ok := s.Stmt.(driver.StmtExecContext)
	if !ok {
		return nil, errors.New("mysql driver statement cannot take a context")
	}
	w := s.conn.watch(ctx)
	defer w.stop()
	res, err := e.ExecContext(ctx, args)
	if err == nil {
		w.completed.Store(true)
	}
	return res, err
}

// CheckNamedValue passes through to the driver's statement.
func (s *watchedStmt) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := s.Stmt.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return s.conn.CheckNamedValue(nv)
}

// watchedRows ends its query's watch when the result is closed.
type watchedRows struct {
	driver.Rows
	w    *watch
	once sync.Once
}

func (r *watchedRows) Next(dest []driver.Value) error {
	err := r.Rows.Next(dest)
	if errors.Is(err, io.EOF) {
		r.w.completed.Store(true)
	}
	return err
}

func (r *watchedRows) Close() error {
	err := r.Rows.Close()
	r.once.Do(r.w.stop)
	return err
}
