package oracle

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	go_ora "github.com/sijms/go-ora/v2"

	"cam/config"
)

// Connector opens go-ora connections to one database. It owns everything
// per database that go-ora would otherwise take from globals: the Kerberos
// authenticator, the dialer, the current schema. Safe for concurrent use.
type Connector struct {
	db       config.Database
	opts     Options
	url      string // with the password, if any; never logged
	auth     *KerberosAuth
	schema   string // upper-cased plain identifier, or ""
	ora      *go_ora.OracleDriver
	dialer   net.Dialer
	safeURL  string // BuildURL's password-free form, for error messages
	password bool
}

var plainIdent = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_$#]{0,127}$`)

// NewConnector validates db and o and returns a connector. The password of
// password authentication is read from the environment here.
func NewConnector(db config.Database, s config.Settings, o Options) (*Connector, error) {
	o = o.withDefaults()
	safe, err := buildURL(db, o, "")
	if err != nil {
		return nil, err
	}
	pw, err := password(db.Name, o)
	if err != nil {
		return nil, err
	}
	full, err := buildURL(db, o, pw)
	if err != nil {
		return nil, err
	}
	c := &Connector{db: db, opts: o, url: full, safeURL: safe, ora: go_ora.NewDriver(),
		dialer: net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}, password: pw != ""}
	if db.DefaultSchema != "" {
		if !plainIdent.MatchString(db.DefaultSchema) {
			return nil, fmt.Errorf("database %q: default_schema %q is not a plain Oracle identifier (letters, digits, _ $ #, starting with a letter)", db.Name, db.DefaultSchema)
		}
		c.schema = strings.ToUpper(db.DefaultSchema)
	}
	if o.Auth == AuthKerberos {
		c.auth = &KerberosAuth{Krb5Conf: o.Krb5Conf, Krb5Cache: o.Krb5Cache}
	}
	return c, nil
}

// Driver returns the go-ora driver behind the connector.
func (c *Connector) Driver() driver.Driver { return c.ora }

// Connect dials, negotiates and logs on. It gives up after ConnectTimeout
// or when ctx ends, closing the socket itself: go-ora does not bound the
// wait for the listener's first reply.
func (c *Connector) Connect(ctx context.Context) (driver.Conn, error) {
	oc, err := c.ora.OpenConnector(c.url)
	if err != nil {
		return nil, c.scrub(err)
	}
	goc := oc.(*go_ora.OracleConnector)
	if c.auth != nil {
		// Per connector, never go-ora's global SetKerberosAuth: each
		// database may name its own cache and krb5.conf.
		goc.WithKerberosAuth(c.auth)
	}
	dial := &capturingDialer{dialer: &c.dialer}
	goc.Dialer(dial)

	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, c.opts.ConnectTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, dial.closeRaw)
	// go-ora's own context handling writes to the session from another
	// goroutine; closing the socket ourselves is enough and race free.
	raw, err := goc.Connect(context.WithoutCancel(ctx))
	aborted := !stop()
	if aborted {
		if err == nil {
			dial.closeRaw()
			_ = raw.Close()
		}
		if parent.Err() == nil {
			return nil, &ConnectTimeoutError{Addr: net.JoinHostPort(c.db.Host, fmt.Sprint(c.db.Port)), After: c.opts.ConnectTimeout}
		}
		return nil, fmt.Errorf("connecting to %s:%d: %w", c.db.Host, c.db.Port, parent.Err())
	}
	if err != nil {
		return nil, c.scrub(err)
	}
	oconn := raw.(*go_ora.Connection)
	cn := &conn{ora: oconn, raw: dial.conn()}
	if c.schema != "" {
		if _, err := cn.ExecContext(ctx, "ALTER SESSION SET CURRENT_SCHEMA = "+c.schema, nil); err != nil {
			_ = cn.Close()
			return nil, err
		}
	}
	if err := cn.startReadOnly(ctx, false); err != nil {
		_ = cn.Close()
		return nil, err
	}
	return cn, nil
}

// scrub removes the URL, which holds the password under password
// authentication, from URL parse errors.
func (c *Connector) scrub(err error) error {
	var ue *url.Error
	if c.password && errors.As(err, &ue) {
		return fmt.Errorf("database %q: invalid connection settings: %v", c.db.Name, ue.Err)
	}
	return err
}

// capturingDialer keeps the socket it dials so the connection can be cut
// from another goroutine.
type capturingDialer struct {
	dialer *net.Dialer
	mu     sync.Mutex
	raw    net.Conn
	closed bool
}

// DialContext dials and remembers the socket.
func (d *capturingDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	c, err := d.dialer.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		_ = c.Close()
		return nil, net.ErrClosed
	}
	d.raw = c
	return c, nil
}

func (d *capturingDialer) closeRaw() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	if d.raw != nil {
		_ = d.raw.Close()
	}
}

func (d *capturingDialer) conn() net.Conn {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.raw
}

// ConnectTimeoutError is a connection attempt that got no complete answer
// within connect_timeout.
type ConnectTimeoutError struct {
	Addr  string
	After time.Duration
}

// Error describes the timeout.
func (e *ConnectTimeoutError) Error() string {
	return fmt.Sprintf("no answer from %s within connect_timeout %s", e.Addr, e.After)
}

// Timeout marks the error as a timeout for net.Error-style checks.
func (e *ConnectTimeoutError) Timeout() bool { return true }
