package oracle

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jcmturner/gokrb5/v8/krberror"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/sijms/go-ora/v2/network"

	"cam/config"
	"cam/engine"
)

// classify sorts an error from go-ora, the network or Kerberos into an
// engine error class and a message that tells the analyst what to check.
func classify(err error, db config.Database) (engine.ErrorClass, string) {
	addr := net.JoinHostPort(db.Host, fmt.Sprint(db.Port))
	var (
		oraErr  *network.OracleError
		krbErr  *KerberosError
		netErr  net.Error
		kErr    krberror.Krberror
		kdcErr  messages.KRBError
		kdcErrP *messages.KRBError
	)
	var connTimeout *ConnectTimeoutError
	var pwErr *config.PasswordEnvError
	switch {
	case errors.As(err, &pwErr):
		return engine.ClassAuth, pwErr.Error()
	case errors.As(err, &connTimeout):
		return engine.ClassTimeout, connTimeout.Error() + " — check that the listener is up and reachable (host, port, firewall), or raise connect_timeout"
	case errors.As(err, &oraErr):
		return classifyORA(oraErr, db, addr)
	case errors.Is(err, context.Canceled):
		return engine.ClassCancelled, "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return engine.ClassTimeout, fmt.Sprintf("no answer from %s in time — check that the database is up, or raise the timeout", addr)
	case errors.As(err, &krbErr):
		return engine.ClassAuth, fmt.Sprintf("Kerberos: %s", err.Error())
	case errors.As(err, &kErr), errors.As(err, &kdcErr), errors.As(err, &kdcErrP):
		return engine.ClassAuth, fmt.Sprintf("Kerberos: %v — check your ticket with klist, run kinit", err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return engine.ClassConnection, fmt.Sprintf("nothing listens at %s — check host and port in databases.yaml and that the listener is up", addr)
	case errors.As(err, &netErr) && netErr.Timeout():
		return engine.ClassTimeout, fmt.Sprintf("%s did not answer in time (%v) — check the address, firewall and connect_timeout", addr, err)
	case errors.As(err, &netErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, net.ErrClosed),
		// go-ora reports a session the server cut (mid-fetch included)
		// as driver.ErrBadConn.
		errors.Is(err, driver.ErrBadConn):
		return engine.ClassConnection, fmt.Sprintf("connection to %s failed: %v — check the network path and that the database is up", addr, err)
	case strings.Contains(strings.ToLower(err.Error()), "kerberos"):
		return engine.ClassAuth, fmt.Sprintf("%v — check your ticket with klist, run kinit", err)
	case strings.Contains(err.Error(), "connection refused by the server"):
		return engine.ClassConnection, fmt.Sprintf("%s refused the connection: %v", addr, err)
	}
	return engine.ClassQuery, err.Error()
}

// classifyORA maps Oracle error codes.
func classifyORA(e *network.OracleError, db config.Database, addr string) (engine.ErrorClass, string) {
	code := e.ErrCode
	ora := fmt.Sprintf("ORA-%05d", code)
	switch code {
	case 1013:
		return engine.ClassCancelled, ora + ": cancelled"
	case 1017:
		return engine.ClassAuth, ora + ": invalid user name or password, or your Kerberos principal is not mapped to a database user — check user and password_env, or ask the DBA to map your principal"
	case 28000:
		return engine.ClassAuth, ora + ": the database account is locked — ask the DBA to unlock it"
	case 28001:
		return engine.ClassAuth, ora + ": the password has expired — change it, then update the variable named by password_env"
	case 28040:
		return engine.ClassAuth, ora + ": no matching authentication protocol — the server does not accept this client's login; ask the DBA about SQLNET.ALLOWED_LOGON_VERSION"
	case 12631, 12638, 12641:
		return engine.ClassAuth, ora + ": Kerberos authentication failed — check your ticket with klist and run kinit"
	case 1031:
		return engine.ClassPermission, ora + ": insufficient privileges — ask the DBA for the grants this query needs"
	case 942:
		// The query class, as MySQL's 1146 and SQLite's "no such table":
		// Oracle gives 942 for a table that is not granted too, so the
		// message names both causes.
		return engine.ClassQuery, ora + ": table or view does not exist — it may not exist in this schema (check default_schema) or may not be granted to you"
	case 12514:
		return engine.ClassConnection, fmt.Sprintf("%s: the listener at %s does not know service %s — check service_name in databases.yaml", ora, addr, db.ServiceName)
	case 12505:
		return engine.ClassConnection, fmt.Sprintf("%s: the listener at %s does not know this SID — check service_name in databases.yaml", ora, addr)
	case 12541:
		return engine.ClassConnection, fmt.Sprintf("%s: no listener at %s — check host and port in databases.yaml", ora, addr)
	case 12545:
		return engine.ClassConnection, fmt.Sprintf("%s: host %s is unknown or unreachable — check host in databases.yaml", ora, db.Host)
	case 12170, 12535:
		return engine.ClassConnection, fmt.Sprintf("%s: connecting to %s timed out — check the address and firewall", ora, addr)
	case 12516, 12518, 12519, 12520:
		return engine.ClassConnection, fmt.Sprintf("%s: the listener at %s has no free handler for service %s — the database may be overloaded; try again later", ora, addr, db.ServiceName)
	case 12528, 12537, 12547, 12564:
		return engine.ClassConnection, fmt.Sprintf("%s: the listener at %s closed or refused the connection — check that the database is open", ora, addr)
	case 3113, 3114, 3135:
		return engine.ClassConnection, fmt.Sprintf("%s: lost contact with %s — the session was cut by the network or the server", ora, addr)
	}
	if code >= 12000 && code < 13000 {
		return engine.ClassConnection, fmt.Sprintf("%s at %s (%s): TNS error — check host, port and service_name in databases.yaml", ora, addr, e.Error())
	}
	return engine.ClassQuery, e.Error()
}
