package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The developer flags leave stdout and the exit code alone, print one
// stats line on stderr with every phase, and write both profiles as pprof
// files (gzip-compressed protobuf).
func TestRunDevFlags(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	plainCode, plainOut, _ := runCam(t, "run", "--demo", "--json", "--quiet")
	code, stdout, stderr := runCam(t, "run", "--demo", "--json", "--quiet", "--stats", "--cpuprofile", cpu, "--memprofile", mem)
	if code != plainCode {
		t.Errorf("exit %d with developer flags, %d without", code, plainCode)
	}
	// Run times differ, and so does what the triage state says of a
	// second run (not new, first seen in the first); the findings do not.
	strip := regexp.MustCompile(`"(started_at|finished_at|start_date|duration_ms|new|first_seen_run)": [^,\n]*`)
	if strip.ReplaceAllString(stdout, "") != strip.ReplaceAllString(plainOut, "") {
		t.Errorf("stdout changed by the developer flags")
	}
	line := regexp.MustCompile(`cam stats: rows=([1-9]\d*) rejected=\d+ queries=\d+ fetch_wall=\S+s fetch=\S+s normalise=\S+s accumulate=\S+s rules=\S+s output=\S+s total=\S+s peak_rss_mb=[1-9]\d*`)
	if !line.MatchString(stderr) {
		t.Errorf("no stats line on stderr: %q", stderr)
	}
	for _, p := range []string{cpu, mem} {
		b, err := os.ReadFile(p)
		if err != nil || !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
			t.Errorf("%s: not a pprof file (%d bytes, %v)", p, len(b), err)
		}
	}
}

// A profile that cannot be written is a usage error named before the run.
func TestRunCPUProfileUnwritable(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "no", "such", "dir", "cpu.pprof")
	code, stdout, stderr := runCam(t, "run", "--demo", "--json", "--quiet", "--cpuprofile", bad)
	if code != ExitUsage || !strings.Contains(stderr, "--cpuprofile") || !strings.Contains(stderr, bad) || stdout != "" {
		t.Errorf("exit %d, stderr %q, stdout %d bytes", code, stderr, len(stdout))
	}
}
