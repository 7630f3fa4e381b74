package oratest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sijms/go-ora/v2/network"
)

// go-ora itself (without cam's socket cut) sends a break when the context
// of an execute ends; the double answers ORA-01013 and the session stays
// usable, as on a real server.
func TestABreakDuringASlowExecuteIsAnsweredWithORA01013(t *testing.T) {
	srv := startFixture(t, Fault{Kind: SlowExecute, SQL: "FROM big", Delay: 10 * time.Second, Times: 1})
	db := open(t, srv, "CLIENT_AUDIT", testPassword, nil)
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil { // log on before the deadline starts
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err := db.QueryContext(ctx, "SELECT n FROM big") //nolint:rowserrcheck,sqlclosecheck // the query must fail before any row: err is what is checked
	if err == nil || time.Since(began) > 3*time.Second {
		t.Fatalf("err %v after %s, want a prompt cancellation", err, time.Since(began))
	}
	// go-ora may send its break twice when the machine is slow; each is
	// answered.
	if breaks := srv.Record().Breaks(); len(breaks) == 0 || breaks[0] != 1 {
		t.Fatalf("breaks %v, want session 1's", breaks)
	}
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM big").Scan(&n); err != nil || n != 2500 {
		t.Fatalf("after the break: %d, %v", n, err)
	}
	if got := srv.Record().Sessions(); got != 1 {
		t.Errorf("%d sessions, want the one session reused after the break", got)
	}
	if st := findStatement(t, srv, "SELECT n FROM big"); st.ErrCode != oraCancelled {
		t.Errorf("the slow statement is recorded with ORA-%05d, want ORA-01013", st.ErrCode)
	}
}

func TestRefuseFaultRefusesNewConnections(t *testing.T) {
	srv := startFixture(t, Fault{Kind: Refuse, Code: 12520, Times: 1})
	db := open(t, srv, "CLIENT_AUDIT", testPassword, nil)
	err := db.Ping()
	var oe *network.OracleError
	if !errors.As(err, &oe) || oe.ErrCode != 12520 {
		t.Fatalf("first connection: %v, want ORA-12520", err)
	}
	if err := db.Ping(); err != nil {
		t.Fatalf("second connection (the fault was used up): %v", err)
	}
}

func TestManySessionsAtOnce(t *testing.T) {
	srv := startFixture(t, Fault{Kind: SlowFetch, SQL: "FROM big", Delay: 20 * time.Millisecond})
	const sessions = 8
	db := open(t, srv, "CLIENT_AUDIT", testPassword, map[string]string{"PREFETCH_ROWS": "500"})
	db.SetMaxOpenConns(sessions)
	var wg sync.WaitGroup
	errs := make(chan error, sessions)
	for range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows, err := db.Query("SELECT n FROM big")
			if err != nil {
				errs <- err
				return
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				n++
			}
			if err := rows.Err(); err != nil || n != 2500 {
				errs <- errors.Join(err, errors.New("short read"))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := srv.Record().Sessions(); got < 2 {
		t.Errorf("%d sessions served the %d concurrent queries", got, sessions)
	}
}
