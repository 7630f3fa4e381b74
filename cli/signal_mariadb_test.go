package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"cam/engine/mysql/mariadbtest"
	"cam/internal/integration"
	"cam/journal"
	"cam/report"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// camBinary builds cam once for the package's process-level tests, into
// the package's test cache (removed by TestMain).
func camBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and drives the real binary")
	}
	integration.SkipUnderRace(t)
	buildOnce.Do(func() {
		builtBin = filepath.Join(os.Getenv("XDG_CACHE_HOME"), "bin", "cam")
		out, err := exec.Command("go", "build", "-o", builtBin, "cam").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// sleepingDAM is the DAM starter pointed at srv, with its activity query
// made to SLEEP(20) per row: a run that stays on the server until cam
// stops it.
func sleepingDAM(t *testing.T, srv *mariadbtest.Server) string {
	t.Helper()
	if err := srv.LoadDAM(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "dam")
	if code, _, stderr := runCam(t, "init", "--dam", dir, "--sid", "A12345"); code != ExitOK {
		t.Fatalf("init --dam: exit %d: %s", code, stderr)
	}
	yaml := filepath.Join(dir, "databases.yaml")
	pointAt(t, yaml, map[string]string{
		"host": "127.0.0.1", "port": strconv.Itoa(srv.Port), "user": mariadbtest.User, "password_env": srv.PasswordEnv,
	})
	// The SQL check refuses SLEEP unless the database entry allows it.
	entry, err := os.ReadFile(yaml)
	if err != nil {
		t.Fatal(err)
	}
	allowed := strings.Replace(string(entry), "\n    user: ", "\n    allow_functions: [SLEEP]\n    user: ", 1)
	if allowed == string(entry) {
		t.Fatal("the DAM starter has no user line to put allow_functions beside")
	}
	if err := os.WriteFile(yaml, []byte(allowed), 0o600); err != nil {
		t.Fatal(err)
	}
	q := filepath.Join(dir, "queries", "mysql", "activity.sql")
	sqlText, err := os.ReadFile(q)
	if err != nil {
		t.Fatal(err)
	}
	slow := strings.Replace(string(sqlText), "WHERE a.access_timestamp >= :start_date",
		"WHERE a.access_timestamp >= :start_date AND SLEEP(20) = 0", 1)
	if slow == string(sqlText) {
		t.Fatal("the DAM activity query changed; cannot make it sleep")
	}
	if err := os.WriteFile(q, []byte(slow), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// waitSleeping waits until cam's SLEEP query runs on srv (want true) or
// is gone (want false).
func waitSleeping(t *testing.T, srv *mariadbtest.Server, want bool, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		qs, err := srv.RunningQueries(mariadbtest.User)
		if err != nil {
			t.Fatal(err)
		}
		running := strings.Contains(strings.Join(qs, "\n"), "SLEEP(20)")
		if running == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s the SLEEP query running = %v, want %v; processlist %q", within, running, want, qs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// runsFinished returns the run_finished entries of the trail in logDir.
func runsFinished(t *testing.T, logDir string) []journal.AuditEntry {
	t.Helper()
	if _, err := os.Stat(filepath.Join(logDir, journal.AuditFileName)); err != nil {
		return nil
	}
	entries, bad := trailLines(t, logDir)
	if len(bad) > 0 {
		t.Errorf("cut audit lines: %q", bad)
	}
	var out []journal.AuditEntry
	for _, e := range entries {
		if e.Action == journal.ActionRunFinished {
			out = append(out, e)
		}
	}
	return out
}

// TestSignalCancelsCamRunOnMariaDB sends each cancel signal to a real
// `cam run --json` while its query sleeps on MariaDB: the query is killed
// on the server, the partial JSON is printed, the trail records
// run_finished as cancelled by that signal, and the exit code is 3.
func TestSignalCancelsCamRunOnMariaDB(t *testing.T) {
	bin := camBinary(t)
	srv := mariadbtest.Start(t)
	dir := sleepingDAM(t, srv)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		name := signalName(sig)
		t.Run(name, func(t *testing.T) {
			before := len(runsFinished(t, filepath.Join(dir, "logs")))
			cmd := exec.Command(bin, "run", "--config-dir", dir, "--json")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitSleeping(t, srv, true, 20*time.Second)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != ExitIncomplete {
				t.Fatalf("cam run after %s: %v, want exit %d; stderr:\n%s", name, err, ExitIncomplete, stderr.String())
			}
			waitSleeping(t, srv, false, 5*time.Second)
			var doc report.Document
			if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
				t.Fatalf("no JSON on stdout after %s: %v\n%s", name, err, stdout.String())
			}
			if doc.Run.Complete || len(doc.Queries) != 1 || doc.Queries[0].Status != "cancelled" {
				t.Errorf("JSON: complete %v, queries %+v; want one cancelled query", doc.Run.Complete, doc.Queries)
			}
			if !strings.Contains(stderr.String(), name+": cancelling") {
				t.Errorf("stderr does not say the signal cancelled the run:\n%s", stderr.String())
			}
			fins := runsFinished(t, filepath.Join(dir, "logs"))
			if len(fins) != before+1 {
				t.Fatalf("%d run_finished entries, want %d", len(fins), before+1)
			}
			if fin := fins[before]; fin.Details["cancelled"] != true || fin.Details["signal"] != name {
				t.Errorf("run_finished details %v, want cancelled by %s", fin.Details, name)
			}
		})
	}
}

// TestSignalCancelsTheTUIOnMariaDB starts a run in the real TUI in tmux,
// then ends the session with each cancel signal and with tmux kill-pane:
// the terminal is restored (the shell after cam prints its exit code), the
// SLEEP query is gone from the server, and the trail records run_finished
// with the signal.
func TestSignalCancelsTheTUIOnMariaDB(t *testing.T) {
	bin := camBinary(t)
	integration.RequireTools(t, "apt-get install tmux", "tmux")
	srv := mariadbtest.Start(t)
	dir := sleepingDAM(t, srv)
	cases := []struct {
		name   string
		signal syscall.Signal // 0: tmux kill-pane
	}{
		{"SIGINT", syscall.SIGINT}, {"SIGTERM", syscall.SIGTERM}, {"SIGHUP", syscall.SIGHUP}, {"kill-pane", 0},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			socket := fmt.Sprintf("cam-sig-%d-%d", os.Getpid(), i)
			tmux := func(args ...string) string {
				out, err := exec.Command("tmux", append([]string{"-L", socket}, args...)...).CombinedOutput()
				if err != nil {
					t.Fatalf("tmux %v: %v\n%s", args, err, out)
				}
				return string(out)
			}
			// The shell stays after cam to show its exit code on the
			// restored (normal) screen.
			script := fmt.Sprintf("TERM=xterm-256color %s --config-dir %s; echo CAM-EXIT=$?; sleep 60", bin, dir)
			tmux("new-session", "-d", "-s", "sig", "-x", "140", "-y", "40", "sh", "-c", script)
			t.Cleanup(func() { _ = exec.Command("tmux", "-L", socket, "kill-server").Run() })
			screen := func() string { return tmux("capture-pane", "-p", "-t", "sig") }
			waitScreen := func(what string, within time.Duration) {
				deadline := time.Now().Add(within)
				for !strings.Contains(screen(), what) {
					if time.Now().After(deadline) {
						t.Fatalf("%q never appeared; screen:\n%s", what, screen())
					}
					time.Sleep(200 * time.Millisecond)
				}
			}
			before := len(runsFinished(t, filepath.Join(dir, "logs")))
			waitScreen("Press r to run", 30*time.Second)
			tmux("send-keys", "-t", "sig", "r")
			waitSleeping(t, srv, true, 20*time.Second)
			if c.signal == 0 {
				tmux("kill-pane", "-t", "sig")
			} else {
				shell, _ := strconv.Atoi(strings.TrimSpace(tmux("display-message", "-p", "-t", "sig", "#{pane_pid}")))
				children, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", shell, shell))
				pid, _ := strconv.Atoi(strings.TrimSpace(string(children)))
				if err != nil || pid == 0 {
					t.Fatalf("cannot find cam under the pane's shell %d: %v %q", shell, err, children)
				}
				if err := syscall.Kill(pid, c.signal); err != nil {
					t.Fatal(err)
				}
				waitScreen(fmt.Sprintf("CAM-EXIT=%d", ExitIncomplete), 20*time.Second)
				if alt := strings.TrimSpace(tmux("display-message", "-p", "-t", "sig", "#{alternate_on}")); alt != "0" {
					t.Errorf("the terminal is still on the alternate screen (%q)", alt)
				}
			}
			waitSleeping(t, srv, false, 20*time.Second)
			want := c.name
			if c.signal == 0 {
				want = "SIGHUP" // what closing a pane sends
			}
			deadline := time.Now().Add(10 * time.Second)
			for {
				fins := runsFinished(t, filepath.Join(dir, "logs"))
				if len(fins) > before {
					if fin := fins[before]; len(fins) != before+1 || fin.Details["signal"] != want || fin.Details["cancelled"] != true {
						t.Errorf("new run_finished entries %+v, want one cancelled by %s", fins[before:], want)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("no run_finished recorded for the run after %s", c.name)
				}
				time.Sleep(200 * time.Millisecond)
			}
		})
	}
}
