package engine

import (
	"context"
	"database/sql/driver"
	"sync"
)

// trackingConnector wraps a driver's connector so every connection it
// hands out can be force-closed from another goroutine. database/sql holds
// a connection's lock while Rows.Next runs, so a driver that ignores the
// context while fetching can only be stopped by closing its connection.
//
// It also keeps a database from being asked to log in again after it
// refused: every failed login counts towards the account's lockout, and
// the queries sharing a pool would otherwise each try at once.
type trackingConnector struct {
	driver.Connector
	logins *loginGate // nil: every Connect dials
}

func (c trackingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.logins.connect(ctx, c.Connector)
	if err != nil {
		return nil, err
	}
	return &trackedConn{Conn: conn}, nil
}

// loginGate lets the pool's first login go alone (its connections would
// otherwise all dial at once) and, once the database refused a login,
// none after it: later connects get the refusal. Any other outcome of the
// first (a login, an unreachable host) opens the gate, so a down database
// is still dialled in parallel.
type loginGate struct {
	isRefusal func(error) bool // the driver's classification: auth or not

	first   sync.Mutex // held while the first login is tried
	mu      sync.Mutex
	open    bool  // the first login was answered with something else than a refusal
	refused error // the refusal, once one came
}

func (g *loginGate) connect(ctx context.Context, c driver.Connector) (driver.Conn, error) {
	if g == nil {
		return c.Connect(ctx)
	}
	if err, open := g.state(); err != nil {
		return nil, err
	} else if open {
		return g.note(c.Connect(ctx))
	}
	g.first.Lock()
	defer g.first.Unlock()
	if err, open := g.state(); err != nil {
		return nil, err
	} else if open {
		return g.note(c.Connect(ctx))
	}
	conn, err := g.note(c.Connect(ctx))
	if err == nil || !g.isRefusal(err) {
		g.mu.Lock()
		g.open = true
		g.mu.Unlock()
	}
	return conn, err
}

// note remembers a refusal, whenever it comes.
func (g *loginGate) note(conn driver.Conn, err error) (driver.Conn, error) {
	if err != nil && g.isRefusal(err) {
		g.mu.Lock()
		if g.refused == nil {
			g.refused = err
		}
		g.mu.Unlock()
	}
	return conn, err
}

func (g *loginGate) state() (refused error, open bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.refused, g.open
}

// trackedConn is a driver connection that can be closed once, from any
// goroutine, and reports itself bad afterwards so the pool drops it.
type trackedConn struct {
	driver.Conn
	once   sync.Once
	mu     sync.Mutex
	broken bool
	err    error
}

// forceClose closes the underlying connection, unblocking a driver call in
// progress, and marks the connection bad.
func (c *trackedConn) forceClose() {
	c.mu.Lock()
	c.broken = true
	c.mu.Unlock()
	_ = c.closeOnce() // kept for Close to report; here only the socket must go
}

func (c *trackedConn) closeOnce() error {
	c.once.Do(func() { c.err = c.Conn.Close() })
	return c.err
}

// Close closes the connection once; a second Close (database/sql closing a
// connection that was force-closed) is harmless.
func (c *trackedConn) Close() error { return c.closeOnce() }

func (c *trackedConn) isBroken() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.broken
}

// IsValid tells database/sql not to reuse a force-closed connection.
func (c *trackedConn) IsValid() bool {
	if c.isBroken() {
		return false
	}
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// ResetSession refuses a force-closed connection.
func (c *trackedConn) ResetSession(ctx context.Context) error {
	if c.isBroken() {
		return driver.ErrBadConn
	}
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

// QueryContext passes through so drivers keep their context support.
func (c *trackedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if q, ok := c.Conn.(driver.QueryerContext); ok {
		return q.QueryContext(ctx, query, args)
	}
	return nil, driver.ErrSkip
}

// PrepareContext passes through to the driver.
func (c *trackedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

// CheckNamedValue lets the driver accept its own argument types (go-ora's
// date types, for instance).
func (c *trackedConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// driverBadConn tells database/sql to discard a connection.
var driverBadConn = driver.ErrBadConn
