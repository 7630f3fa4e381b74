package tui

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cam/internal/inert"
	"cam/internal/inert/inerttest"
)

// TestOSC52UsernameCannotSetTheClipboard drives the real binary in tmux
// with clipboard escapes allowed (set-clipboard on), over a database whose
// failed logins carry a username holding an OSC 52 sequence. The attack
// replaced tmux's paste buffer the moment the analyst pressed r. Now the
// buffers are unchanged after the run, and after Y they hold only the
// escaped id the screen shows, never the attacker's payload.
func TestOSC52UsernameCannotSetTheClipboard(t *testing.T) {
	dir := t.TempDir()
	bin := buildCamForTmux(t, dir)
	hostile := inerttest.Corpus[0].Text // OSC 52 carrying OSC52Payload
	cfgDir := filepath.Join(dir, "cfg")
	inerttest.WriteConfig(t, cfgDir, "hostile", []string{hostile, "alice"}, "", time.Now())

	tm := newTmux(t, "e2e-osc52")
	tmux := tm.run
	buffers := func() string {
		out, _ := exec.Command("tmux", "-L", tm.socket, "list-buffers", "-F", "#{buffer_name}=#{buffer_sample}").CombinedOutput()
		return string(out)
	}
	env := fmt.Sprintf("env XDG_CACHE_HOME=%s XDG_STATE_HOME=%s TERM=xterm-256color", filepath.Join(dir, "cache"), filepath.Join(dir, "state"))
	tmux("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "140", "-y", "40", "sh")
	tmux("set-option", "-g", "set-clipboard", "on")

	// The control: in this server, a program printing the sequence does
	// set a buffer, so the test would see the attack.
	tmux("send-keys", "-t", "e2e", fmt.Sprintf("printf '%s'; clear", strings.ReplaceAll(strings.ReplaceAll(hostile, "\x1b", `\033`), "\a", `\007`)), "Enter")
	waitUntil(t, 10*time.Second, func() bool { return strings.Contains(buffers(), "curl") }, "the control OSC 52 never set a buffer: "+buffers())
	tmux("delete-buffer")
	tmux("set-buffer", "-b", "sentinel", "SENTINEL")
	before := buffers()

	tmux("send-keys", "-t", "e2e", "exec "+env+" "+bin+" --config-dir "+cfgDir, "Enter")
	screen := tm.screen
	waitUntil(t, 60*time.Second, func() bool { return strings.Contains(screen(), "Press r to run") }, "cam did not start:\n"+screen())
	tmux("send-keys", "-t", "e2e", "r")
	waitUntil(t, 60*time.Second, func() bool { return strings.Contains(screen(), "suspicious ·") }, "no results:\n"+screen())
	time.Sleep(500 * time.Millisecond) // let the terminal process every byte of the frame
	s := screen()
	if !strings.Contains(s, `\x1b]52;c;`) {
		t.Errorf("the screen does not show the escaped username:\n%s", s)
	}
	if got := buffers(); got != before {
		t.Fatalf("the run changed tmux's buffers:\nbefore %q\nafter  %q", before, got)
	}

	tmux("send-keys", "-t", "e2e", "Y")
	waitUntil(t, 10*time.Second, func() bool { return strings.Contains(screen(), "escaped") }, "no yank toast:\n"+screen())
	time.Sleep(500 * time.Millisecond)
	all := buffers()
	if strings.Contains(all, "curl") {
		t.Errorf("a buffer holds the attacker's payload:\n%s", all)
	}
	top := tmux("show-buffer")
	if want := inert.Text(hostile); !strings.Contains(top, want) || !strings.Contains(top, "alice") {
		t.Errorf("after Y the newest buffer is %q, want the ids as shown (%q and alice)", top, want)
	}
	tmux("send-keys", "-t", "e2e", "q")
}

func waitUntil(t *testing.T, timeout time.Duration, ok func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal(msg)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
