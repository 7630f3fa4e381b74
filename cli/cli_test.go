package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"cam/demo"
	"cam/report"
)

// TestMain gives every test one cache directory, so the demo databases
// are generated once for the package (generation is slow under -race).
func TestMain(m *testing.M) {
	cache, err := os.MkdirTemp("", "cam-cli-test-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", cache)
	// cam run now keeps its triage state; never in the tester's home.
	os.Setenv("XDG_STATE_HOME", filepath.Join(cache, "state"))
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}

// runCam runs cam in-process and returns its exit code, stdout and stderr.
func runCam(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, IO{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: os.Getenv})
	return code, out.String(), errOut.String()
}

func TestUnknownCommandIsAUsageError(t *testing.T) {
	code, _, stderr := runCam(t, "frobnicate")
	if code != ExitUsage {
		t.Fatalf("exit %d, want %d", code, ExitUsage)
	}
	if !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("stderr does not name the command: %q", stderr)
	}
}

func TestHelpOnEveryCommandExitsZero(t *testing.T) {
	for _, c := range commands() {
		code, stdout, stderr := runCam(t, c.name, "--help")
		if code != ExitOK {
			t.Errorf("cam %s --help: exit %d", c.name, code)
		}
		if !strings.Contains(stdout, "Usage: cam "+c.name) || strings.Count(stdout, "Usage:") != 1 {
			t.Errorf("cam %s --help: want one usage on stdout, got %q", c.name, stdout)
		}
		if stderr != "" {
			t.Errorf("cam %s --help wrote to stderr: %q", c.name, stderr)
		}
		if strings.HasSuffix(strings.TrimSpace(stdout), "Flags:") {
			t.Errorf("cam %s --help ends in an empty Flags: list: %q", c.name, stdout)
		}
	}
	if code, stdout, _ := runCam(t, "--help"); code != ExitOK || !strings.Contains(stdout, "cam run") {
		t.Errorf("cam --help: exit %d, %q", code, stdout)
	}
}

func TestBadFlagIsAUsageError(t *testing.T) {
	if code, _, _ := runCam(t, "run", "--no-such-flag"); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	if code, _, stderr := runCam(t, "run", "--demo", "--last-event-time", "yesterday"); code != ExitUsage ||
		!strings.Contains(stderr, "--last-event-time") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestInitOutputPassesCheck(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cam")
	code, stdout, stderr := runCam(t, "init", dir, "--sid", "A12345")
	if code != ExitOK {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, dir) {
		t.Errorf("init does not say where it wrote: %q", stdout)
	}
	code, stdout, stderr = runCam(t, "check", "--config-only", "--config-dir", dir)
	if code != ExitOK {
		t.Fatalf("check of init output: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "2 database(s), 4 query file(s)") {
		t.Errorf("check summary: %q", stdout)
	}
	// A second init must not overwrite the analyst's files.
	if code, _, stderr := runCam(t, "init", dir, "--sid", "A12345"); code != ExitUsage || !strings.Contains(stderr, "databases.yaml") {
		t.Errorf("second init: exit %d, stderr %q", code, stderr)
	}
}

func TestCheckListsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("databases.yaml", `databases:
  - name: one
    driver: sqlite
    path: data/one.db
    sql_queries:
      - name: Deletes
        query_location: queries/delete.sql
        change_type: email
      - name: Missing
        query_location: queries/missing.sql
        change_type: colour
`)
	write("app_settings.yaml", "user_settings:\n  sid: x\n")
	if err := os.MkdirAll(filepath.Join(dir, "queries"), 0o700); err != nil {
		t.Fatal(err)
	}
	write("queries/delete.sql", "DELETE FROM email_changes")
	code, _, stderr := runCam(t, "check", "--config-dir", dir)
	if code != ExitUsage {
		t.Fatalf("exit %d, want %d", code, ExitUsage)
	}
	for _, want := range []string{"queries/missing.sql", "colour", "delete.sql", "sid"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("problems do not mention %q:\n%s", want, stderr)
		}
	}
}

func TestMissingConfigSuggestsInit(t *testing.T) {
	code, _, stderr := runCam(t, "check", "--config-dir", filepath.Join(t.TempDir(), "none"))
	if code != ExitUsage || !strings.Contains(stderr, "cam init") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestRunDemoJSONFindsEveryPlantedCase is the end-to-end check of the
// headless run: the real demo databases, engine and rules, and the JSON
// contract.
func TestRunDemoJSONFindsEveryPlantedCase(t *testing.T) {
	code, stdout, stderr := runCam(t, "run", "--demo", "--json", "--quiet")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d (complete with findings); stderr:\n%s", code, ExitFindings, stderr)
	}
	var doc report.Document
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, stdout)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON document")
	}
	if !doc.Run.Complete || doc.Run.Mode != "sliding" || doc.Run.LastEventTime != nil || doc.Run.SID == "" {
		t.Errorf("run: %+v", doc.Run)
	}
	for _, q := range doc.Queries {
		if q.Status != "ok" || q.Rows == 0 {
			t.Errorf("query %s/%s: status %s, %d rows", q.Database, q.Query, q.Status, q.Rows)
		}
	}

	planted := demo.PlantedCases()
	suspicious := map[string]bool{}
	for _, u := range doc.SuspiciousUsers {
		suspicious[u.UserID] = true
		for _, ct := range []string{"password", "email", "phone", "token"} {
			if u.Changes[ct] == "" {
				t.Errorf("suspicious user %s has no %s change time", u.UserID, ct)
			}
		}
	}
	assertExactly(t, "suspicious users", suspicious, planted.Takeovers, planted.TakeoverNearMisses)

	byRule := map[string]map[string]bool{}
	for _, a := range doc.Alerts {
		if byRule[a.Rule] == nil {
			byRule[a.Rule] = map[string]bool{}
		}
		byRule[a.Rule][a.User] = true
	}
	assertExactly(t, "account_takeover alerts", byRule["account_takeover"], planted.Takeovers, planted.TakeoverNearMisses)
	assertExactly(t, "brute_force alerts", byRule["brute_force"], planted.BruteForce, planted.BruteForceNearMisses)
	assertExactly(t, "off_hours alerts", byRule["off_hours"], planted.OffHours, nil)
	assertExactly(t, "role_violation alerts", byRule["role_violation"], planted.RoleViolations, nil)

	// Alerts come worst first.
	rank := map[string]int{"critical": 4, "high": 3, "medium": 2, "low": 1}
	for i := 1; i < len(doc.Alerts); i++ {
		if rank[doc.Alerts[i-1].Severity] < rank[doc.Alerts[i].Severity] {
			t.Fatalf("alerts not sorted by severity at %d: %s before %s", i, doc.Alerts[i-1].Severity, doc.Alerts[i].Severity)
		}
	}
}

// assertExactly checks that got holds every id of want and nothing else,
// naming near misses that slipped in.
func assertExactly(t *testing.T, what string, got map[string]bool, want, nearMisses []string) {
	t.Helper()
	for _, id := range want {
		if !got[id] {
			t.Errorf("%s: planted %q not found", what, id)
		}
	}
	for _, id := range nearMisses {
		if got[id] {
			t.Errorf("%s: near miss %q was flagged", what, id)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: got %d, want exactly the %d planted: %v", what, len(got), len(want), keys(got))
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// copyDir copies the demo config dir so a test can break it.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRunWithAGarbageDatabaseIsIncomplete replaces one demo database file
// with garbage: the other databases complete, the broken one is reported
// with a clear message, and the exit code says incomplete.
func TestRunWithAGarbageDatabaseIsIncomplete(t *testing.T) {
	dir := demoCopy(t)
	if err := os.WriteFile(filepath.Join(dir, "data", "account.db"), bytes.Repeat([]byte("garbage "), 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCam(t, "run", "--config-dir", dir, "--json")
	if code != ExitIncomplete {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitIncomplete, stderr)
	}
	var doc report.Document
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Run.Complete {
		t.Error("run marked complete")
	}
	failed := 0
	for _, q := range doc.Queries {
		switch {
		case q.Database == "account_activity_analysis":
			failed++
			if q.Status != "failed" || !strings.Contains(q.Error, "account.db") {
				t.Errorf("broken database's query: status %s, error %q", q.Status, q.Error)
			}
		case q.Status != "ok":
			t.Errorf("%s/%s: status %s (%s), want ok", q.Database, q.Query, q.Status, q.Error)
		}
	}
	if failed == 0 {
		t.Fatal("no query of the broken database in the JSON")
	}
	if !strings.Contains(stderr, "FAILED") || !strings.Contains(stderr, "account_activity_analysis") {
		t.Errorf("progress on stderr does not report the failure:\n%s", stderr)
	}
	// Takeovers need the password changes that failed, so the planted ones
	// become incomplete candidates missing only "password".
	candidates := map[string]bool{}
	for _, c := range doc.IncompleteCandidates {
		candidates[c.UserID] = true
		if len(c.Missing) != 1 || c.Missing[0] != "password" {
			t.Errorf("candidate %s missing %v, want [password]", c.UserID, c.Missing)
		}
	}
	for _, id := range demo.PlantedCases().Takeovers {
		if !candidates[id] {
			t.Errorf("planted takeover %s is not an incomplete candidate", id)
		}
	}
}

// TestInterruptCancelsAndStillPrintsJSON: SIGINT cancels the run, the JSON
// of what arrived is still printed, and the exit code says incomplete.
func TestInterruptCancelsAndStillPrintsJSON(t *testing.T) {
	if _, ok := prepareDemo(IO{Err: io.Discard}); !ok { // generate outside the timed part
		t.Fatal("demo")
	}
	sig := make(chan os.Signal, 1)
	var out bytes.Buffer
	errOut := &lockedBuffer{}
	std := IO{In: strings.NewReader(""), Out: &out, Err: errOut, Getenv: os.Getenv,
		Interrupt: func() (<-chan os.Signal, func()) { return sig, func() {} }}
	go func() {
		// Interrupt once the run is reading rows.
		for !strings.Contains(errOut.String(), "started") {
			time.Sleep(10 * time.Millisecond)
		}
		sig <- os.Interrupt
	}()
	code := Main([]string{"run", "--demo", "--json"}, std)
	if code != ExitIncomplete {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitIncomplete, errOut.String())
	}
	var doc report.Document
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("no JSON after interrupt: %v\n%s", err, out.String())
	}
	if doc.Run.Complete {
		t.Error("interrupted run marked complete")
	}
	cancelled := 0
	for _, q := range doc.Queries {
		if q.Status == "cancelled" {
			cancelled++
		}
	}
	if cancelled == 0 {
		t.Errorf("no query reported cancelled: %+v", doc.Queries)
	}
}

// lockedBuffer is a bytes.Buffer safe to read while cam writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
