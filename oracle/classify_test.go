package oracle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/jcmturner/gokrb5/v8/krberror"
	"github.com/sijms/go-ora/v2/network"

	"cam/engine"
)

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestClassifyOracleErrors(t *testing.T) {
	cases := []struct {
		code  int
		class engine.ErrorClass
		hint  string
	}{
		{12514, engine.ClassConnection, "the listener at db.cam.test:1521 does not know service CLIENT_AUDIT — check service_name in databases.yaml"},
		{12541, engine.ClassConnection, "no listener at db.cam.test:1521"},
		{12170, engine.ClassConnection, "timed out"},
		{12599, engine.ClassConnection, "TNS error"},
		{3113, engine.ClassConnection, "lost contact"},
		{3114, engine.ClassConnection, "lost contact"},
		{3135, engine.ClassConnection, "lost contact"},
		{1017, engine.ClassAuth, "password_env"},
		{28000, engine.ClassAuth, "locked"},
		{28001, engine.ClassAuth, "expired"},
		{12638, engine.ClassAuth, "kinit"},
		{1031, engine.ClassPermission, "grants"},
		{942, engine.ClassQuery, "may not be granted"},
		{1013, engine.ClassCancelled, "cancelled"},
		{904, engine.ClassQuery, "ORA-00904"},
	}
	for _, c := range cases {
		err := fmt.Errorf("query failed: %w", network.NewOracleError(c.code))
		class, msg := classify(err, testDB)
		if class != c.class || !strings.Contains(msg, c.hint) {
			t.Errorf("ORA-%05d: got %q %q, want %q containing %q", c.code, class, msg, c.class, c.hint)
		}
		if !strings.Contains(msg, fmt.Sprintf("ORA-%05d", c.code)) {
			t.Errorf("ORA-%05d: message %q does not name the code", c.code, msg)
		}
	}
}

func TestClassifyNonOracleErrors(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	cases := []struct {
		name  string
		err   error
		class engine.ErrorClass
	}{
		{"refused", refused, engine.ClassConnection},
		{"net timeout", &net.OpError{Op: "read", Net: "tcp", Err: timeoutErr{}}, engine.ClassTimeout},
		{"reset", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, engine.ClassConnection},
		{"eof", io.EOF, engine.ClassConnection},
		{"cancelled", context.Canceled, engine.ClassCancelled},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), engine.ClassTimeout},
		{"kerberos ours", &KerberosError{Msg: "no ticket"}, engine.ClassAuth},
		{"gokrb5", krberror.New(krberror.KDCError, "KDC_ERR_S_PRINCIPAL_UNKNOWN"), engine.ClassAuth},
		{"go-ora kerberos text", errors.New("advanced negotiation error: Kerberos authenticator not set"), engine.ClassAuth},
		{"other", errors.New("missing expression"), engine.ClassQuery},
	}
	for _, c := range cases {
		if class, msg := classify(c.err, testDB); class != c.class {
			t.Errorf("%s: class %q (%s), want %q", c.name, class, msg, c.class)
		}
	}
}
