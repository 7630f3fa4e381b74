package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"cam/internal/integration"
	"cam/journal"
)

// TestWatchDemoWritesNDJSONAndStopsOnSIGTERM runs `cam watch` on the demo
// until its first run is logged, sends SIGTERM, and checks the exit, the
// log's reason, the NDJSON file and the audit trail.
func TestWatchDemoWritesNDJSONAndStopsOnSIGTERM(t *testing.T) {
	// Demo runs on a schedule: too slow under -race (see run_triage_test.go); the
	// schedule itself is raced in session (TestWatch*, the soak).
	integration.SkipUnderRace(t)
	cfg, ok := prepareDemo(IO{Err: io.Discard})
	if !ok {
		t.Fatal("demo")
	}
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	out := filepath.Join(t.TempDir(), "alerts.ndjson")
	sig := make(chan os.Signal, 1)
	errOut := &lockedBuffer{}
	std := IO{In: strings.NewReader(""), Out: io.Discard, Err: errOut, Getenv: os.Getenv,
		Interrupt: func() (<-chan os.Signal, func()) { return sig, func() {} }}
	go func() {
		for !strings.Contains(errOut.String(), "watch run finished") {
			time.Sleep(20 * time.Millisecond)
		}
		sig <- syscall.SIGTERM
	}()
	code := Main([]string{"watch", "--demo", "--every", "1h", "--ndjson", out}, std)
	stderr := errOut.String()
	if code != ExitOK {
		t.Fatalf("exit %d, want 0 after SIGTERM; stderr:\n%s", code, stderr)
	}
	if strings.Count(stderr, "watch run finished") != 1 || !strings.Contains(stderr, "watch stopped") ||
		!strings.Contains(stderr, "signal=SIGTERM") {
		t.Errorf("the log does not say one run and why it stopped:\n%s", stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Errorf("%s is %v, want 0600", out, st.Mode().Perm())
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	rules := map[string]bool{}
	for _, l := range lines {
		var m struct {
			Event struct{ Kind string } `json:"event"`
			Rule  struct{ ID string }   `json:"rule"`
			Cam   struct{ New *bool }   `json:"cam"`
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if m.Event.Kind != "alert" || m.Cam.New == nil || !*m.Cam.New {
			t.Errorf("line is not a new alert: %s", l)
		}
		rules[m.Rule.ID] = true
	}
	if !rules["account_takeover"] || len(rules) < 4 {
		t.Errorf("the first run's lines cover rules %v, want every rule of the demo", rules)
	}
	trail, err := os.ReadFile(filepath.Join(cfg.Settings.App.LogDir, journal.AuditFileName))
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, l := range strings.Split(strings.TrimSpace(string(trail)), "\n") {
		var e journal.AuditEntry
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatal(err)
		}
		actions = append(actions, e.Action)
	}
	if len(actions) < 2 || actions[len(actions)-1] != journal.ActionRunFinished {
		t.Errorf("audit trail %v does not end with the run's end", actions)
	}
}

func TestRunFormat(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown format", []string{"run", "--demo", "--format", "xml"}, `--format "xml": want json or ndjson`},
		{"json and ndjson", []string{"run", "--demo", "--json", "--format", "ndjson"}, "either --json or --format ndjson"},
		{"watch too often", []string{"watch", "--demo", "--every", "1s"}, "--every 1s: at least 10s"},
		{"watch output unwritable", []string{"watch", "--demo", "--ndjson", "/nonexistent/dir/x.ndjson"}, "--ndjson: open /nonexistent/dir/x.ndjson"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCam(t, c.args...)
			if code != ExitUsage || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, c.want)
			}
		})
	}
	t.Run("ndjson on the demo", func(t *testing.T) {
		code, stdout, stderr := runCam(t, "run", "--demo", "--quiet", "--format", "ndjson")
		if code != ExitFindings {
			t.Fatalf("exit %d; stderr:\n%s", code, stderr)
		}
		lines := bytes.Split(bytes.TrimSuffix([]byte(stdout), []byte("\n")), []byte("\n"))
		for _, l := range lines {
			var m map[string]any
			if err := json.Unmarshal(l, &m); err != nil || m["@timestamp"] == nil {
				t.Fatalf("line %q: %v", l, err)
			}
		}
		if len(lines) < 5 {
			t.Errorf("%d lines for the demo's findings", len(lines))
		}
	})
}
