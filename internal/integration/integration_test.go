package integration

import (
	"fmt"
	"net"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestClosedPortRefusesConnections(t *testing.T) {
	port := ClosedPort(t)
	conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err == nil {
		conn.Close()
		t.Fatalf("something listens on port %d", port)
	}
}

func TestFindToolAndMissing(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh in PATH")
	}
	if p, ok := FindTool("sh"); !ok || p != sh {
		t.Errorf("FindTool(sh) = %q, %v; want %q", p, ok, sh)
	}
	if got := Missing("sh", "cam-no-such-tool", "also-missing"); got != "cam-no-such-tool" {
		t.Errorf("Missing = %q, want the first missing tool", got)
	}
	if got := Missing("sh"); got != "" {
		t.Errorf("Missing(sh) = %q, want \"\"", got)
	}
}

// recorder stands in for a test, keeping what RequireTools asked of it.
// Skip and Fatal end the calling goroutine, as testing's do.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper() {}
func (r *recorder) Skip(args ...any) {
	r.skipped = fmt.Sprint(args...)
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) {
	r.failed = fmt.Sprint(args...)
	runtime.Goexit()
}

// require runs RequireTools the way a test goroutine would.
func require(t *testing.T, tools ...string) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		RequireTools(r, "apt-get install "+tools[0], tools...)
	}()
	<-done
	return r
}

// A missing tool skips on a developer's machine and fails in CI, and the
// message says what to install.
func TestRequireToolsSkipsOrFailsByEnvironment(t *testing.T) {
	t.Setenv("CAM_REQUIRE_INTEGRATION", "")
	r := require(t, "cam-no-such-tool")
	if r.failed != "" || !strings.Contains(r.skipped, "cam-no-such-tool not installed (apt-get install cam-no-such-tool)") {
		t.Errorf("without CI: skipped %q, failed %q", r.skipped, r.failed)
	}

	t.Setenv("CAM_REQUIRE_INTEGRATION", "1")
	r = require(t, "cam-no-such-tool")
	if r.skipped != "" || !strings.Contains(r.failed, "cam-no-such-tool not installed") {
		t.Errorf("in CI: skipped %q, failed %q", r.skipped, r.failed)
	}
}

func TestRequireToolsLetsTheTestRunWhenEverythingIsThere(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh in PATH")
	}
	t.Setenv("CAM_REQUIRE_INTEGRATION", "1")
	if r := require(t, "sh"); r.skipped != "" || r.failed != "" {
		t.Errorf("skipped %q, failed %q", r.skipped, r.failed)
	}
}
