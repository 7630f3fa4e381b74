// Package integration is what cam's integration tests share: finding the
// Debian tools they drive, the rule that a missing tool skips a test on a
// developer's machine but fails it in CI, and loopback ports. Only tests
// and test helpers import it.
package integration

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Required reports whether every integration test must run: .ci/run sets
// CAM_REQUIRE_INTEGRATION=1, so a missing server or tool fails there
// instead of passing as a skip.
func Required() bool { return os.Getenv("CAM_REQUIRE_INTEGRATION") == "1" }

// sbinDirs are where Debian installs daemons and admin tools (krb5kdc,
// kadmin.local, mariadbd), which a non-login shell's PATH may lack.
var sbinDirs = []string{"/usr/sbin", "/sbin", "/usr/local/sbin"}

// FindTool looks for name in PATH, then in the sbin directories.
func FindTool(name string) (string, bool) {
	if p, err := exec.LookPath(name); err == nil {
		return p, true
	}
	for _, dir := range sbinDirs {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	return "", false
}

// Missing returns the first of tools that is not installed, or "".
func Missing(tools ...string) string {
	for _, tool := range tools {
		if _, ok := FindTool(tool); !ok {
			return tool
		}
	}
	return ""
}

// RequireTools skips t when one of tools is missing, or fails it when
// Required. install says how to get them ("apt-get install tmux").
func RequireTools(t testing.TB, install string, tools ...string) {
	t.Helper()
	if tool := Missing(tools...); tool != "" {
		msg := fmt.Sprintf("%s not installed (%s)", tool, install)
		if Required() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort() (int, error) {
	var lc net.ListenConfig
	l, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ClosedPort returns a loopback port where nothing listens, as a stopped
// server leaves it: connecting there is refused at once.
func ClosedPort(t testing.TB) int {
	t.Helper()
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// SkipUnderRace skips a test that drives a separately built cam (or
// oraserve) binary when the test binary itself carries the race detector.
// The binary under test is built without -race, so a second run in .ci/run's
// race pass would repeat the plain pass's check at several times the cost
// and detect nothing more; the plain pass (go test ./...) runs it.
func SkipUnderRace(t testing.TB) {
	t.Helper()
	if raceDetector {
		t.Skip("drives a binary built without -race; the plain go test ./... pass runs it")
	}
}
