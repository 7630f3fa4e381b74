package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"cam/oracle/oratest"
	"cam/report"
)

// The demo's databases served over the Oracle wire protocol: each SQLite
// file becomes one service of an oratest server, and databases.yaml
// points cam's Oracle driver at it with password logon.

const (
	oraUser  = "cam"
	oraPWEnv = "CAM_ORATEST_PASSWORD"
	oraPW    = "oratest-Secret-9"
)

// demoServices maps each demo database's file to the service that serves it.
var demoServices = map[string]string{
	"data/client.db":   "CLIENT_AUDIT",
	"data/account.db":  "ACCOUNT_AUDIT",
	"data/activity.db": "ACTIVITY",
}

// demoOverOracle copies today's demo configuration, serves its SQLite
// files from an oratest server, and rewrites databases.yaml to reach
// them with driver: oracle. extra is added to every database entry.
func demoOverOracle(t *testing.T, extra string, opts oratest.Options) (string, *oratest.Server) {
	t.Helper()
	dir := demoCopy(t)
	opts.Services = map[string]string{}
	for file, service := range demoServices {
		opts.Services[service] = filepath.Join(dir, file)
	}
	opts.Users = map[string]string{oraUser: oraPW}
	srv := oratest.Start(t, opts)
	t.Setenv(oraPWEnv, oraPW)

	path := filepath.Join(dir, "databases.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	for file, service := range demoServices {
		old := "    driver: sqlite\n    path: " + file + "\n"
		if !strings.Contains(text, old) {
			t.Fatalf("the demo's databases.yaml no longer has %q", old)
		}
		text = strings.Replace(text, old, "    driver: oracle\n    host: 127.0.0.1\n    port: "+strconv.Itoa(srv.Port())+
			"\n    service_name: "+service+"\n    auth: password\n    user: "+oraUser+"\n    password_env: "+oraPWEnv+"\n"+extra, 1)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, srv
}

// runJSON runs cam run --json and decodes its document.
func runJSON(t *testing.T, wantExit int, args ...string) report.Document {
	t.Helper()
	code, stdout, stderr := runCam(t, append([]string{"run", "--json", "--quiet"}, args...)...)
	if code != wantExit {
		t.Fatalf("cam run %v: exit %d, want %d; stderr:\n%s\nstdout:\n%s", args, code, wantExit, stderr, stdout)
	}
	var doc report.Document
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not a JSON document: %v\n%s", err, stdout)
	}
	return doc
}

// findings are a document's results as comparable lines.
func findings(doc report.Document) []string {
	var out []string
	for _, u := range doc.SuspiciousUsers {
		b, _ := json.Marshal(u)
		out = append(out, "takeover "+string(b))
	}
	for _, a := range doc.Alerts {
		out = append(out, strings.Join([]string{"alert", a.Rule, a.Severity, a.User, a.Database, a.FirstSeen, a.LastSeen, strconv.Itoa(a.Count)}, " "))
	}
	return out
}

func TestRunOverOracleWireFindsWhatTheSQLiteRunFinds(t *testing.T) {
	want := runJSON(t, ExitFindings, "--demo")
	dir, srv := demoOverOracle(t, "    fetch_size: 500\n", oratest.Options{})
	got := runJSON(t, ExitFindings, "--config-dir", dir)

	if !got.Run.Complete {
		t.Errorf("the run over Oracle is incomplete: %+v", got.Queries)
	}
	sqlite := map[string]report.QueryInfo{}
	for _, q := range want.Queries {
		sqlite[q.Database+"/"+q.Query] = q
	}
	for _, q := range got.Queries {
		w := sqlite[q.Database+"/"+q.Query]
		if q.Status != "ok" || q.Rows != w.Rows || q.RejectedRows != w.RejectedRows {
			t.Errorf("%s/%s: %s, %d rows (%d rejected), want ok, %d rows (%d rejected): %s",
				q.Database, q.Query, q.Status, q.Rows, q.RejectedRows, w.Rows, w.RejectedRows, q.Error)
		}
	}
	if len(want.Alerts) != 10 {
		t.Errorf("the SQLite demo has %d alerts; this test expects the demo's 10", len(want.Alerts))
	}
	wantF, gotF := findings(want), findings(got)
	if strings.Join(wantF, "\n") != strings.Join(gotF, "\n") {
		t.Errorf("findings differ\nSQLite:\n%s\nOracle wire:\n%s", strings.Join(wantF, "\n"), strings.Join(gotF, "\n"))
	}

	// Every query carried :start_date as a wall-clock TIMESTAMP inside a
	// DATE cast, and the NUMBER user ids of the account database matched
	// the VARCHAR2 ones of the client database (the takeovers above).
	queries := 0
	for _, st := range srv.Record().Statements() {
		if !strings.Contains(st.SQL, "start_date") {
			continue
		}
		queries++
		if !strings.Contains(st.SQL, "CAST(:start_date AS DATE)") {
			t.Errorf("SQL without the DATE cast: %s", st.SQL)
		}
		if len(st.Binds) != 1 || st.Binds[0].Type != "TIMESTAMP" {
			t.Errorf("binds of %q: %+v", firstLine(st.SQL), st.Binds)
		}
	}
	if queries != len(got.Queries) {
		t.Errorf("the server saw %d queries with :start_date, the run reports %d", queries, len(got.Queries))
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
