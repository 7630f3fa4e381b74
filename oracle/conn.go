package oracle

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"sync"

	go_ora "github.com/sijms/go-ora/v2"
)

// conn wraps a go-ora connection so that a cancelled context, or a Close
// from another goroutine, cuts the socket at once.
//
// go-ora watches the context only while a statement executes, and then
// sends a break and waits for the server's answer; while rows are fetched
// it does not watch at all, and a socket read timeout can leave an unread
// reply behind. cam instead closes the socket: the blocked read returns at
// once, the connection reports itself bad (driver.ErrBadConn from
// ResetSession, false from IsValid) and database/sql drops it from the
// pool, so no half-read reply is ever handed to the next query.
type conn struct {
	ora oraConn
	raw net.Conn // the socket under ora; nil if the dialer was bypassed

	mu       sync.Mutex
	busy     bool // a statement or its rows are in use
	bad      bool // the socket was cut; never reuse
	closing  bool // Close was called while busy
	released bool // ora.Close has run
}

// oraConn is what conn needs of a go-ora connection.
type oraConn interface {
	driver.Conn
	driver.QueryerContext
	driver.ExecerContext
	driver.Pinger
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.SessionResetter
	driver.NamedValueChecker
}

var _ oraConn = (*go_ora.Connection)(nil)

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
)

// begin marks the connection busy and arranges for ctx's end to cut the
// socket; the returned func ends the operation.
func (c *conn) begin(ctx context.Context) (func(), error) {
	c.mu.Lock()
	if c.bad || c.released || c.closing {
		c.mu.Unlock()
		return nil, driver.ErrBadConn
	}
	c.busy = true
	c.mu.Unlock()
	stop := context.AfterFunc(ctx, c.cut)
	return func() {
		stop()
		c.mu.Lock()
		c.busy = false
		release := c.closing && !c.released
		if release {
			c.released = true
		}
		c.mu.Unlock()
		if release {
			_ = c.ora.Close() // socket already cut: logoff fails fast
		}
	}, nil
}

// cut closes the socket and marks the connection bad. Safe from any
// goroutine.
func (c *conn) cut() {
	c.mu.Lock()
	c.bad = true
	c.mu.Unlock()
	if c.raw != nil {
		_ = c.raw.Close()
	}
}

// result turns an error after a cut into the context's error, so callers
// see "cancelled" rather than "use of closed network connection".
func (c *conn) result(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if c.isBad() && errors.Is(err, net.ErrClosed) {
		return driver.ErrBadConn
	}
	return err
}

func (c *conn) isBad() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bad
}

// Close logs off politely when the connection is idle. Called from another
// goroutine while a statement or fetch is running, it cuts the socket so
// the blocked call returns at once, and the logoff runs when that call
// ends.
func (c *conn) Close() error {
	c.mu.Lock()
	if c.released {
		c.mu.Unlock()
		return nil
	}
	if c.busy {
		c.closing = true
		c.bad = true
		c.mu.Unlock()
		if c.raw != nil {
			_ = c.raw.Close()
		}
		return nil
	}
	c.released = true
	bad := c.bad
	c.mu.Unlock()
	if bad && c.raw != nil {
		_ = c.raw.Close()
	}
	return c.ora.Close()
}

// QueryContext runs a query; the connection stays busy until the rows close.
func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	end, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := c.ora.QueryContext(context.WithoutCancel(ctx), query, args)
	if err != nil {
		end()
		return nil, c.result(ctx, err)
	}
	return &connRows{Rows: rows, c: c, ctx: ctx, end: end}, nil
}

// ExecContext runs a statement.
func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	end, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer end()
	res, err := c.ora.ExecContext(context.WithoutCancel(ctx), query, args)
	return res, c.result(ctx, err)
}

// Ping checks the session is alive.
func (c *conn) Ping(ctx context.Context) error {
	end, err := c.begin(ctx)
	if err != nil {
		return err
	}
	defer end()
	return c.result(ctx, c.ora.Ping(context.WithoutCancel(ctx)))
}

// Prepare is required by driver.Conn; cam runs queries directly.
func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext returns go-ora's statement. Statements are not watched:
// database/sql uses QueryContext on this connection for every cam query.
func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if c.isBad() {
		return nil, driver.ErrBadConn
	}
	return c.ora.PrepareContext(ctx, query)
}

// Begin starts a transaction (cam only reads; kept for database/sql).
func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx starts a transaction.
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.isBad() {
		return nil, driver.ErrBadConn
	}
	return c.ora.BeginTx(ctx, opts)
}

// ResetSession keeps a cut connection out of the pool, and gives a
// reused one a fresh read-only transaction.
func (c *conn) ResetSession(ctx context.Context) error {
	if c.isBad() {
		return driver.ErrBadConn
	}
	if err := c.ora.ResetSession(ctx); err != nil {
		return err
	}
	return c.startReadOnly(ctx, true)
}

// IsValid reports whether the pool may reuse the connection.
func (c *conn) IsValid() bool { return !c.isBad() }

// CheckNamedValue lets go-ora's own bind types through unchanged.
// go-ora answers driver.ErrSkip for every driver.Valuer, and database/sql
// then rejects go_ora.TimeStamp, whose Value returns itself: the
// :start_date bind would never reach the server.
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	switch nv.Value.(type) {
	case go_ora.TimeStamp, *go_ora.TimeStamp:
		return nil
	}
	return c.ora.CheckNamedValue(nv)
}

// connRows ends its connection's operation when closed, and turns a
// fetch cut short by cancellation into the context's error.
type connRows struct {
	driver.Rows
	c    *conn
	ctx  context.Context
	end  func()
	once sync.Once
}

// Next fetches the next row, from the driver's buffer or the server.
func (r *connRows) Next(dest []driver.Value) error {
	err := r.Rows.Next(dest)
	if err == nil || err == io.EOF {
		return err
	}
	return r.c.result(r.ctx, err)
}

// Close closes the rows and frees the connection.
func (r *connRows) Close() error {
	err := r.Rows.Close()
	r.once.Do(r.end)
	if r.c.isBad() {
		return nil // the socket is gone; nothing to report
	}
	return err
}

// ColumnTypeDatabaseTypeName passes through go-ora's column type names.
func (r *connRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}
