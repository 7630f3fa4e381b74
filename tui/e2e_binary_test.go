package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cam/internal/integration"
)

// buildCamForTmux prepares a process-level test: it skips as such tests
// do (-short, the race pass, no tmux) and builds the real binary into
// dir, returning its path.
func buildCamForTmux(t *testing.T, dir string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and drives the real binary")
	}
	integration.SkipUnderRace(t)
	integration.RequireTools(t, "apt-get install tmux", "tmux")
	bin := filepath.Join(dir, "cam")
	if out, err := exec.Command("go", "build", "-o", bin, "cam").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// tmuxServer is a tmux server of one test's own (its own socket), killed
// when the test ends; its window "e2e" is what the tests drive.
type tmuxServer struct {
	t      *testing.T
	socket string
}

// newTmux starts nothing yet: the test's first command (new-session)
// starts the server.
func newTmux(t *testing.T, name string) *tmuxServer {
	s := &tmuxServer{t: t, socket: fmt.Sprintf("cam-%s-%d", name, os.Getpid())}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", s.socket, "kill-server").Run() }) // gone already is fine
	return s
}

// run runs one tmux command on the test's server and fails the test if
// tmux does.
func (s *tmuxServer) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// screen is the window's text as a person reads it.
func (s *tmuxServer) screen() string { return s.run("capture-pane", "-p", "-t", "e2e") }

// waitFor waits until the screen shows what, and returns that screen.
func (s *tmuxServer) waitFor(what string, timeout time.Duration) string {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		screen := s.screen()
		if strings.Contains(screen, what) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%q never appeared; screen:\n%s", what, screen)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
