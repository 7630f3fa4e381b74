package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cam/oracle/oratest"
	"cam/report"
)

// queryByName returns the run's outcome of query name.
func queryByName(t *testing.T, doc report.Document, name string) report.QueryInfo {
	t.Helper()
	for _, q := range doc.Queries {
		if q.Query == name {
			return q
		}
	}
	t.Fatalf("no query %q in the run", name)
	return report.QueryInfo{}
}

func TestOracleQueryErrorsAreClassifiedAndNotRetried(t *testing.T) {
	dir, srv := demoOverOracle(t, "", oratest.Options{Faults: []oratest.Fault{
		{Kind: oratest.FailQuery, SQL: "FROM email_changes", Code: 942},
		{Kind: oratest.FailQuery, SQL: "FROM token_changes", Code: 1031},
		{Kind: oratest.DropFetch, SQL: "FROM activity_logs", AfterRows: 20000},
	}})
	doc := runJSON(t, ExitIncomplete, "--config-dir", dir)
	for _, tc := range []struct {
		name, query, class, says string
	}{
		// ORA-00942 is the query class, as a missing table is for every
		// driver; the message also names a missing grant.
		{"ORA-00942", "Get all email changes", "query", "may not be granted"},
		{"ORA-01031", "Get token changes", "permission", "ORA-01031"},
		{"connection dropped mid-fetch", "Activity log", "connection", "bad connection"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := queryByName(t, doc, tc.query)
			if q.Status != "failed" || q.ErrorClass != tc.class || q.Attempts != 1 || !strings.Contains(q.Error, tc.says) {
				t.Errorf("%s: status %s, class %q, %d attempts, error %q; want failed, %s, 1 attempt, mentioning %q",
					tc.query, q.Status, q.ErrorClass, q.Attempts, q.Error, tc.class, tc.says)
			}
		})
	}
	t.Run("the other queries complete", func(t *testing.T) {
		for _, name := range []string{"Get phone changes by client ID", "Get all password changes"} {
			if q := queryByName(t, doc, name); q.Status != "ok" || q.Rows == 0 {
				t.Errorf("%s: %s with %d rows: %s", name, q.Status, q.Rows, q.Error)
			}
		}
	})
	t.Run("the dropped query delivered rows and was not run again", func(t *testing.T) {
		runs := 0
		for _, st := range srv.Record().Statements() {
			if strings.Contains(st.SQL, "FROM activity_logs") {
				runs++
			}
		}
		if runs != 1 {
			t.Errorf("the activity query reached the server %d times, want 1", runs)
		}
	})
}

// A connection cut before any row arrived is retried on a new session.
func TestOracleConnectionCutBeforeAnyRowIsRetried(t *testing.T) {
	dir, srv := demoOverOracle(t, "", oratest.Options{Faults: []oratest.Fault{
		{Kind: oratest.DropFetch, SQL: "FROM password_changes", AfterRows: 0, Times: 1},
	}})
	doc := runJSON(t, ExitFindings, "--config-dir", dir)
	q := queryByName(t, doc, "Get all password changes")
	if q.Status != "ok" || q.Attempts != 2 || q.Rows == 0 {
		t.Errorf("password query: %s after %d attempts, %d rows (%s); want ok on the second attempt", q.Status, q.Attempts, q.Rows, q.Error)
	}
	sessions := map[int]bool{}
	for _, st := range srv.Record().Statements() {
		if strings.Contains(st.SQL, "FROM password_changes") {
			sessions[st.Session] = true
		}
	}
	if len(sessions) != 2 {
		t.Errorf("the password query ran on sessions %v, want two different ones", sessions)
	}
}

func TestWrongOraclePasswordIsAnAuthFailureWithoutRetry(t *testing.T) {
	dir, srv := demoOverOracle(t, "", oratest.Options{})
	t.Setenv(oraPWEnv, "not-the-password")
	doc := runJSON(t, ExitIncomplete, "--config-dir", dir)
	for _, q := range doc.Queries {
		if q.Status != "failed" || q.ErrorClass != "auth" || q.Attempts != 1 || !strings.Contains(q.Error, "ORA-01017") {
			t.Errorf("%s: status %s, class %q, %d attempts, error %q; want failed, auth, 1 attempt, ORA-01017",
				q.Query, q.Status, q.ErrorClass, q.Attempts, q.Error)
		}
	}
	// One refused login per database, however many queries share it: each
	// failed login counts towards the account's lockout.
	logins := srv.Record().Logins()
	perService := map[string]int{}
	for _, l := range logins {
		perService[l.Service]++
	}
	if len(logins) == 0 {
		t.Error("no logon attempt reached the server")
	}
	for service, n := range perService {
		if n != 1 {
			t.Errorf("%d logon attempts to %s, want one", n, service)
		}
	}
	for _, l := range logins {
		if l.OK {
			t.Errorf("a logon with the wrong password succeeded: %+v", l)
		}
	}
}

func TestUnknownOracleServiceIsAConnectionFailureNamingTheService(t *testing.T) {
	dir, _ := demoOverOracle(t, "", oratest.Options{})
	path := filepath.Join(dir, "databases.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(raw), "service_name: ACCOUNT_AUDIT", "service_name: NO_SUCH_SERVICE", 1)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	doc := runJSON(t, ExitIncomplete, "--config-dir", dir)
	q := queryByName(t, doc, "Get all password changes")
	if q.Status != "failed" || q.ErrorClass != "connection" || !strings.Contains(q.Error, "ORA-12514") ||
		!strings.Contains(q.Error, "NO_SUCH_SERVICE") || !strings.Contains(q.Error, "check service_name") {
		t.Errorf("password query: status %s, class %q, error %q; want a connection failure naming the service", q.Status, q.ErrorClass, q.Error)
	}
	if other := queryByName(t, doc, "Get token changes"); other.Status != "ok" {
		t.Errorf("the other databases should complete: %+v", other)
	}
}
