package oracle

import (
	"context"
	"database/sql/driver"
	"reflect"
	"testing"
)

// recordingOra records the statements a session is sent.
type recordingOra struct {
	fakeOra
	execs []string
}

func (r *recordingOra) ExecContext(_ context.Context, q string, _ []driver.NamedValue) (driver.Result, error) {
	r.execs = append(r.execs, q)
	return driver.RowsAffected(0), nil
}

// Every query runs in a read-only transaction of its own: one at logon,
// and a new one (after ending the last) whenever the pool reuses the
// session, so a reused session never reads an old snapshot.
func TestSessionsRunReadOnlyTransactions(t *testing.T) {
	r := &recordingOra{}
	c := &conn{ora: r}
	if err := c.startReadOnly(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	if want := []string{"SET TRANSACTION READ ONLY"}; !reflect.DeepEqual(r.execs, want) {
		t.Fatalf("at logon: %q, want %q", r.execs, want)
	}
	r.execs = nil
	if err := c.ResetSession(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"COMMIT", "SET TRANSACTION READ ONLY"}; !reflect.DeepEqual(r.execs, want) {
		t.Errorf("on reuse: %q, want %q", r.execs, want)
	}
	c.bad = true
	if err := c.ResetSession(context.Background()); err != driver.ErrBadConn {
		t.Errorf("a cut session was reset: %v", err)
	}
}
