package tui

import (
	"os/exec"
	"path/filepath"
	"testing"

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
