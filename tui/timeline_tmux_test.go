package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cam/demo"
)

// TestTimelineInTmux opens a planted takeover's user timeline in the real
// binary (t on the results row) and finds the four change events, each
// with the database it came from, then narrows it with / and leaves it.
func TestTimelineInTmux(t *testing.T) {
	dir := t.TempDir()
	bin := buildCamForTmux(t, dir)
	tm := newTmux(t, "timeline")
	tmux := tm.run
	env := fmt.Sprintf("env XDG_CACHE_HOME=%s XDG_STATE_HOME=%s XDG_CONFIG_HOME=%s TERM=xterm-256color", filepath.Join(dir, "cache"), filepath.Join(dir, "state"), filepath.Join(dir, "config"))
	tmux("new-session", "-d", "-s", "e2e", "-x", "140", "-y", "40", env+" "+bin+" demo")
	waitFor := tm.waitFor
	waitFor("Press r to run", 60*time.Second)
	tmux("send-keys", "-t", "e2e", "r")
	waitFor("suspicious ·", 90*time.Second)

	id := demo.PlantedCases().Takeovers[0]
	tmux("send-keys", "-t", "e2e", "/")
	time.Sleep(300 * time.Millisecond)
	tmux("send-keys", "-t", "e2e", "rule:takeover user:"+id, "Enter")
	time.Sleep(300 * time.Millisecond)
	tmux("send-keys", "-t", "e2e", "t")
	s := waitFor("Timeline of "+id, 10*time.Second)
	databases := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		for _, change := range []string{"password", "email", "phone", "token"} {
			if strings.Contains(line, " "+change+" ") && strings.Contains(line, "takeover") {
				databases[change] = line
			}
		}
	}
	for _, change := range []string{"password", "email", "phone", "token"} {
		line, ok := databases[change]
		if !ok {
			t.Errorf("the timeline has no %s change marked takeover:\n%s", change, s)
			continue
		}
		if !strings.Contains(line, "_activity_analysis / ") {
			t.Errorf("the %s change does not name its database and query: %q", change, line)
		}
	}
	if !strings.Contains(databases["password"], "account_activity_analysis") || !strings.Contains(databases["email"], "client_activity_analysis") {
		t.Errorf("changes from the wrong databases:\n%s", s)
	}
	// / narrows the timeline; esc clears it, esc again leaves.
	tmux("send-keys", "-t", "e2e", "/")
	time.Sleep(300 * time.Millisecond)
	tmux("send-keys", "-t", "e2e", "password", "Enter")
	s = waitFor("1 of ", 10*time.Second)
	if !strings.Contains(s, "1 of 4 events") || strings.Contains(s, "client_activity_analysis / Get all email") {
		t.Errorf("/password did not keep the password change alone:\n%s", s)
	}
	tmux("send-keys", "-t", "e2e", "Escape")
	time.Sleep(300 * time.Millisecond)
	tmux("send-keys", "-t", "e2e", "Escape")
	s = waitFor("SEV ", 10*time.Second)
	if strings.Contains(s, "Timeline of") {
		t.Errorf("esc, esc did not leave the timeline:\n%s", s)
	}
	tmux("send-keys", "-t", "e2e", "q")
}
