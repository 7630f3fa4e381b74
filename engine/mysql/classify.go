package mysql

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strconv"
	"syscall"

	gomysql "github.com/go-sql-driver/mysql"

	"cam/config"
	"cam/engine"
)

// Server error numbers cam tells apart (MySQL and MariaDB share them).
const (
	errConCount          = 1040 // too many connections
	errDBAccessDenied    = 1044 // no access to the database
	errAccessDenied      = 1045 // wrong user or password
	errBadDB             = 1049 // unknown database
	errServerShutdown    = 1053
	errBadField          = 1054 // unknown column
	errParse             = 1064 // syntax error
	errHostBlocked       = 1129
	errHostNotPrivileged = 1130
	errTableAccess       = 1142 // command denied on a table
	errColumnAccess      = 1143
	errNoSuchTable       = 1146
	errTooManyUserConns  = 1203
	errSpecificAccess    = 1227
	errProcAccess        = 1370
	errQueryInterrupted  = 1317
	errNoPassword        = 1698 // MySQL: no password given
	errMustChangePw      = 1820
	errMustChangePwLogin = 1862
	errConnectionKilled  = 1927 // MariaDB
	errStatementTimeout  = 1969 // MariaDB max_statement_time
	errExecutionTimeout  = 3024 // MySQL max_execution_time
	errAccountLocked     = 3118 // MySQL
	errAccountLockedMDB  = 4151 // MariaDB
	// Client-side codes of the C library, which proxies sometimes pass on.
	crConnectionError = 2002
	crConnHostError   = 2003
	crServerGone      = 2006
	crServerLost      = 2013
)

// classify sorts an error from go-sql-driver, the network or cam's own
// connector into an engine class and a message that says what to check.
func classify(err error, db config.Database) (engine.ErrorClass, string) {
	where := address(db)
	var (
		myErr     *gomysql.MySQLError
		pwErr     *config.PasswordEnvError
		timeout   *ConnectTimeoutError
		netErr    net.Error
		certErr   *tls.CertificateVerificationError
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return engine.ClassCancelled, "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return engine.ClassTimeout, fmt.Sprintf("no answer from %s in time — check that the server is up, or raise the timeout", where)
	case errors.As(err, &pwErr):
		return engine.ClassAuth, pwErr.Error()
	case errors.As(err, &myErr):
		return classifyServer(myErr, db, where)
	case errors.As(err, &timeout):
		return engine.ClassConnection, timeout.Error() + " — check that the server is up and reachable (host, port, firewall), or raise connect_timeout"
	case errors.Is(err, gomysql.ErrCleartextPassword), errors.Is(err, gomysql.ErrNativePassword),
		errors.Is(err, gomysql.ErrOldPassword), errors.Is(err, gomysql.ErrUnknownPlugin):
		return engine.ClassAuth, fmt.Sprintf("%s: the server asks for a login method cam does not use (%v) — ask the DBA to use caching_sha2_password or mysql_native_password for %s", where, err, db.Conn.User)
	case errors.Is(err, gomysql.ErrNoTLS):
		return engine.ClassConnection, fmt.Sprintf("%s does not offer TLS but ssl is true — ask the DBA to enable TLS, or set ssl: false", where)
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr):
		return engine.ClassConnection, fmt.Sprintf("the TLS certificate of %s is not trusted (%v) — set ssl_ca to the CA that signed it, or check host", where, err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return engine.ClassConnection, fmt.Sprintf("nothing listens at %s — check host and port (or socket) in databases.yaml and that the server is up", where)
	case db.Conn.Socket != "" && errors.Is(err, fs.ErrNotExist):
		return engine.ClassConnection, fmt.Sprintf("socket %s does not exist — check socket in databases.yaml and that the server is up", db.Conn.Socket)
	case errors.As(err, &netErr) && netErr.Timeout():
		return engine.ClassConnection, fmt.Sprintf("%s did not answer in time (%v) — check the address, firewall and connect_timeout", where, err)
	case errors.Is(err, gomysql.ErrInvalidConn), errors.Is(err, driver.ErrBadConn), errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, net.ErrClosed), errors.As(err, &netErr):
		return engine.ClassConnection, fmt.Sprintf("lost the connection to %s (%v) — the server went away or the network cut it", where, err)
	}
	return engine.ClassQuery, err.Error()
}

// classifyServer maps the server's error numbers.
func classifyServer(e *gomysql.MySQLError, db config.Database, where string) (engine.ErrorClass, string) {
	code := fmt.Sprintf("MySQL error %d", e.Number)
	msg := code + ": " + e.Message
	switch e.Number {
	case errAccessDenied, errNoPassword:
		hint := "check user and the password in the variable named by password_env"
		if db.Conn.PasswordEnv == "" {
			hint = "check user; this database sets no password_env"
		}
		return engine.ClassAuth, msg + " — " + hint
	case errHostNotPrivileged:
		return engine.ClassAuth, msg + " — the account may not log in from this machine; ask the DBA"
	case errMustChangePw, errMustChangePwLogin:
		return engine.ClassAuth, msg + " — the password has expired; change it, then update the variable named by password_env"
	case errAccountLocked, errAccountLockedMDB:
		return engine.ClassAuth, msg + " — the account is locked; ask the DBA to unlock it"
	case errDBAccessDenied, errTableAccess, errColumnAccess, errSpecificAccess, errProcAccess:
		return engine.ClassPermission, msg + " — ask the DBA for SELECT on what this query reads"
	case errNoSuchTable:
		return engine.ClassQuery, msg + fmt.Sprintf(" — the table may not exist in schema %s: check default_schema in databases.yaml and that the DAM schema is installed", schemaName(db))
	case errBadDB:
		return engine.ClassQuery, msg + " — check default_schema in databases.yaml"
	case errBadField:
		return engine.ClassQuery, msg + " — the query does not match this schema; check the query file"
	case errParse:
		return engine.ClassQuery, msg + " — the query file has MySQL syntax errors"
	case errStatementTimeout, errExecutionTimeout:
		return engine.ClassTimeout, msg + " — the server's own statement time limit stopped the query"
	case errQueryInterrupted:
		return engine.ClassQuery, msg + " — the query was killed on the server (by a DBA or a server limit)"
	case errConCount, errTooManyUserConns:
		return engine.ClassConnection, msg + fmt.Sprintf(" — %s has no free connection; try again later or lower max_connections", where)
	case errHostBlocked:
		return engine.ClassConnection, msg + " — the server blocks this machine after failed connections; ask the DBA to run FLUSH HOSTS"
	case errServerShutdown, errConnectionKilled, crConnectionError, crConnHostError, crServerGone, crServerLost:
		return engine.ClassConnection, msg + fmt.Sprintf(" — lost contact with %s", where)
	}
	return engine.ClassQuery, msg
}

// address names where db lives, for messages.
func address(db config.Database) string {
	if db.Conn.Socket != "" {
		return db.Conn.Socket
	}
	return net.JoinHostPort(db.Host, strconv.Itoa(db.Port))
}

func schemaName(db config.Database) string {
	if db.DefaultSchema == "" {
		return "(none set)"
	}
	return db.DefaultSchema
}
