package oracle

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// fakeOra stands in for a go-ora connection whose fetches block on a
// socket, as go-ora's do while the server is slow to send the next batch.
type fakeOra struct {
	driver.Conn
	sock   net.Conn // client end of a pipe nobody writes to
	closed atomic.Int32
}

func (f *fakeOra) QueryContext(context.Context, string, []driver.NamedValue) (driver.Rows, error) {
	return &blockingRows{sock: f.sock}, nil
}
func (f *fakeOra) ExecContext(context.Context, string, []driver.NamedValue) (driver.Result, error) {
	return driver.RowsAffected(0), nil
}
func (f *fakeOra) Ping(context.Context) error { return nil }
func (f *fakeOra) PrepareContext(context.Context, string) (driver.Stmt, error) {
	return nil, errors.New("unused")
}
func (f *fakeOra) BeginTx(context.Context, driver.TxOptions) (driver.Tx, error) {
	return nil, errors.New("unused")
}
func (f *fakeOra) ResetSession(context.Context) error       { return nil }
func (f *fakeOra) CheckNamedValue(*driver.NamedValue) error { return nil }
func (f *fakeOra) Close() error                             { f.closed.Add(1); return nil }
func (f *fakeOra) Prepare(string) (driver.Stmt, error)      { return nil, errors.New("unused") }
func (f *fakeOra) Begin() (driver.Tx, error)                { return nil, errors.New("unused") }

type blockingRows struct{ sock net.Conn }

func (r *blockingRows) Columns() []string { return []string{"user_id"} }
func (r *blockingRows) Close() error      { return nil }
func (r *blockingRows) Next([]driver.Value) error {
	_, err := r.sock.Read(make([]byte, 1))
	if err == nil {
		err = io.ErrUnexpectedEOF
	}
	return err
}

func newFakeConn(t *testing.T) (*conn, *fakeOra) {
	client, server := net.Pipe()
	t.Cleanup(func() { client.Close(); server.Close() })
	f := &fakeOra{sock: client}
	return &conn{ora: f, raw: client}, f
}

func TestCancelDuringFetchEndsAtOnceAndDiscardsConnection(t *testing.T) {
	c, f := newFakeConn(t)
	ctx, cancel := context.WithCancel(context.Background())
	rows, err := c.QueryContext(ctx, "SELECT user_id FROM audit", nil)
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(100*time.Millisecond, cancel)
	began := time.Now()
	err = rows.Next(make([]driver.Value, 1))
	if took := time.Since(began); took > time.Second {
		t.Errorf("fetch ended %s after cancel, want within a second", took)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Next err = %v, want context.Canceled", err)
	}
	_ = rows.Close()
	if c.IsValid() {
		t.Error("a cut connection must not go back to the pool")
	}
	if err := c.ResetSession(context.Background()); !errors.Is(err, driver.ErrBadConn) {
		t.Errorf("ResetSession = %v, want driver.ErrBadConn", err)
	}
	if _, err := c.QueryContext(context.Background(), "SELECT 1 FROM DUAL", nil); !errors.Is(err, driver.ErrBadConn) {
		t.Errorf("reuse after cut = %v, want driver.ErrBadConn", err)
	}
	_ = c.Close()
	if f.closed.Load() != 1 {
		t.Errorf("go-ora Close ran %d times, want once", f.closed.Load())
	}
}

func TestCloseFromAnotherGoroutineUnblocksFetch(t *testing.T) {
	c, f := newFakeConn(t)
	rows, err := c.QueryContext(context.Background(), "SELECT user_id FROM audit", nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- rows.Next(make([]driver.Value, 1)) }()
	time.Sleep(50 * time.Millisecond)
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("fetch succeeded on a closed connection")
		}
	case <-time.After(time.Second):
		t.Fatal("Close from another goroutine did not unblock the fetch")
	}
	if f.closed.Load() != 0 {
		t.Error("go-ora Close must wait until the fetch has returned (it would race with it)")
	}
	_ = rows.Close()
	if f.closed.Load() != 1 {
		t.Errorf("go-ora Close ran %d times after the rows closed, want once", f.closed.Load())
	}
	_ = c.Close()
	if f.closed.Load() != 1 {
		t.Error("a second Close must not close go-ora again")
	}
}

func TestIdleCloseClosesOnce(t *testing.T) {
	c, f := newFakeConn(t)
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	_ = c.Close()
	if f.closed.Load() != 1 {
		t.Errorf("go-ora Close ran %d times, want once", f.closed.Load())
	}
}
