package tui

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// triageOf finds the alert id of the detail view's triage line.
var triageOf = regexp.MustCompile(`Triage ([0-9a-f]{12}): new`)

// TestTriageSurvivesARestartInTmux resolves an alert as a false positive
// in `cam demo`, quits, starts cam again and finds it resolved and hidden;
// then `cam run --json` exits 0 once every alert is resolved.
func TestTriageSurvivesARestartInTmux(t *testing.T) {
	dir := t.TempDir()
	bin := buildCamForTmux(t, dir)
	env := []string{"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"), "XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "TERM=xterm-256color"}
	tm := newTmux(t, "triage")
	tmux := tm.run
	screen := tm.screen
	waitFor := tm.waitFor
	key := func(keys ...string) {
		tmux(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
		time.Sleep(300 * time.Millisecond)
	}
	start := func() {
		tmux("new-session", "-d", "-s", "e2e", "-x", "140", "-y", "40", "env "+strings.Join(env, " ")+" "+bin+" demo")
		waitFor("Press r to run", 60*time.Second)
		key("r")
		waitFor("suspicious ·", 90*time.Second)
	}
	quit := func() {
		key("q")
		deadline := time.Now().Add(20 * time.Second)
		for exec.Command("tmux", "-L", tm.socket, "has-session", "-t", "e2e").Run() == nil {
			if time.Now().After(deadline) {
				t.Fatalf("cam did not quit; screen:\n%s", screen())
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	start()
	key("Enter")
	m := triageOf.FindStringSubmatch(waitFor("Triage ", 10*time.Second))
	if m == nil {
		t.Fatalf("the detail view shows no new alert's triage line:\n%s", screen())
	}
	id := m[1]
	key("Escape")
	key("R")
	waitFor("false_positive", 10*time.Second)
	key("2")
	waitFor("optional note", 10*time.Second)
	key("-l", "test account")
	key("Enter")
	s := waitFor("Resolved "+id, 10*time.Second)
	if !strings.Contains(s, "1 resolved") {
		t.Errorf("after resolving, the summary does not count it:\n%s", s)
	}
	quit()

	// Again: the rerun (incremental now) finds the alert resolved and
	// keeps it out of the open view until A shows all.
	start()
	s = waitFor("1 resolved", 30*time.Second)
	if strings.Contains(s, " done ") {
		t.Errorf("the resolved alert is shown in the open-only view:\n%s", s)
	}
	key("A")
	if s = waitFor(" done ", 10*time.Second); !strings.Contains(s, "★") && !strings.Contains(s, "new") {
		t.Errorf("shown all, the other alerts are gone:\n%s", s)
	}
	quit()

	camCmd := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.Output()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return string(out), exit.ExitCode()
		} else if err != nil {
			t.Fatalf("cam %v: %v", args, err)
		}
		return string(out), 0
	}
	out, code := camCmd("triage", "history", id, "--demo", "--json")
	if code != 0 || !strings.Contains(out, "false_positive") || !strings.Contains(out, "test account") {
		t.Errorf("cam triage history %s: exit %d, %s; want the false_positive resolution with its note", id, code, out)
	}
	if _, code := camCmd("run", "--demo", "--json", "--quiet"); code != 1 {
		t.Errorf("cam run with open alerts left: exit %d, want 1", code)
	}
	out, _ = camCmd("triage", "list", "--demo", "--json")
	var list struct {
		Alerts []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("cam triage list --json: %v\n%s", err, out)
	}
	for _, a := range list.Alerts {
		if a.Status == "resolved" {
			continue
		}
		if out, code := camCmd("triage", "set", a.ID, "resolved", "--reason", "benign", "--demo"); code != 0 {
			t.Fatalf("cam triage set %s: exit %d: %s", a.ID, code, out)
		}
	}
	out, code = camCmd("run", "--demo", "--json", "--quiet")
	if code != 0 {
		t.Errorf("cam run with every alert resolved: exit %d, want 0\n%s", code, out)
	}
}
