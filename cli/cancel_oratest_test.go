package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"cam/oracle/oratest"
	"cam/report"
)

// TestInterruptDuringSlowOracleCallsEndsTheRunWithinOneSecond interrupts
// a run over the Oracle wire while one query waits for its execute reply
// and another for a later fetch; go-ora watches neither, so cam must cut
// both sockets.
func TestInterruptDuringSlowOracleCallsEndsTheRunWithinOneSecond(t *testing.T) {
	dir, srv := demoOverOracle(t, "    fetch_size: 1000\n", oratest.Options{Faults: []oratest.Fault{
		{Kind: oratest.SlowExecute, SQL: "FROM email_changes", Delay: time.Minute},
		{Kind: oratest.SlowFetch, SQL: "FROM activity_logs", Delay: time.Minute},
	}})
	sig := make(chan os.Signal, 1)
	var out bytes.Buffer
	std := IO{In: strings.NewReader(""), Out: &out, Err: &lockedBuffer{}, Getenv: os.Getenv,
		Interrupt: func() (<-chan os.Signal, func()) { return sig, func() {} }}
	interrupted := make(chan time.Time, 1)
	go func() {
		// Interrupt once the activity query's first batch has arrived (its
		// next fetch is the slow one) and the email query is executing.
		for deadline := time.Now().Add(time.Minute); !activityFetching(srv) && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond)
		interrupted <- time.Now()
		sig <- os.Interrupt
	}()
	code := Main([]string{"run", "--config-dir", dir, "--json"}, std)
	took := time.Since(<-interrupted)
	if code != ExitIncomplete {
		t.Fatalf("exit %d, want %d", code, ExitIncomplete)
	}
	if !activityFetching(srv) {
		t.Fatal("the activity query never started fetching")
	}
	if took > time.Second {
		t.Errorf("the run ended %s after the interrupt, want within 1s", took)
	}
	var doc report.Document
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("no JSON after the interrupt: %v", err)
	}
	for _, name := range []string{"Get all email changes", "Activity log"} {
		if q := queryByName(t, doc, name); q.Status != "cancelled" {
			t.Errorf("%s: %s (%s), want cancelled", name, q.Status, q.Error)
		}
	}
}

// activityFetching reports whether the activity query's first batch went
// out, so the client is now waiting on a fetch.
func activityFetching(srv *oratest.Server) bool {
	for _, st := range srv.Record().Statements() {
		if strings.Contains(st.SQL, "FROM activity_logs") && st.FirstBatch > 0 {
			return true
		}
	}
	return false
}
