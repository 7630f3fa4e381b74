package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWatchToggleInTmux presses W on the demo in the real binary: a run
// starts at once, the header shows the next run's time, and W again
// turns the schedule off.
func TestWatchToggleInTmux(t *testing.T) {
	dir := t.TempDir()
	bin := buildCamForTmux(t, dir)
	tm := newTmux(t, "watch")
	tmux := tm.run
	env := fmt.Sprintf("env XDG_CACHE_HOME=%s XDG_CONFIG_HOME=%s XDG_STATE_HOME=%s TERM=xterm-256color",
		filepath.Join(dir, "cache"), filepath.Join(dir, "config"), filepath.Join(dir, "state"))
	tmux("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", env+" "+bin+" demo")
	header := func() string { return strings.SplitN(tmux("capture-pane", "-p", "-t", "e2e"), "\n", 2)[0] }
	waitFor := tm.waitFor
	waitFor("Press r to run", 60*time.Second)
	tmux("send-keys", "-t", "e2e", "W")
	waitFor("suspicious ·", 90*time.Second)
	if h := header(); !strings.Contains(h, "watch: next ") {
		t.Errorf("header %q does not show the next run", h)
	}
	tmux("send-keys", "-t", "e2e", "W")
	waitFor("Watch off", 10*time.Second)
	if h := header(); strings.Contains(h, "watch") {
		t.Errorf("header %q still shows the schedule", h)
	}
}
