package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cam/report"
	"cam/report/reporttest"
)

// TestExportChild is the child half of
// TestKill9DuringExportThenANormalStartRemovesTheTempFile: it exports a
// large run into CAM_EXPORT_DIR and is killed while writing.
func TestExportChild(t *testing.T) {
	dir := os.Getenv("CAM_EXPORT_DIR")
	if dir == "" {
		t.Skip("child process of TestKill9DuringExportThenANormalStartRemovesTheTempFile")
	}
	res := reporttest.Big(50_000, 500_000, time.Now())
	if _, err := report.Export(dir, []string{report.FormatXLSX}, res, report.FullView(res), report.Meta{}); err != nil {
		t.Fatal(err)
	}
}

func TestKill9DuringExportThenANormalStartRemovesTheTempFile(t *testing.T) {
	if testing.Short() {
		t.Skip("exports a large run in a child process")
	}
	dir := demoCopy(t)
	reports := filepath.Join(dir, "reports")
	child := exec.Command(os.Args[0], "-test.run=^TestExportChild$")
	child.Env = append(os.Environ(), "CAM_EXPORT_DIR="+reports)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = child.Process.Kill() }() // gone already when the test got that far
	temps := func() []string {
		es, _ := os.ReadDir(reports)
		var out []string
		for _, e := range es {
			if report.IsStaleTemp(e.Name()) {
				out = append(out, filepath.Join(reports, e.Name()))
			}
		}
		return out
	}
	deadline := time.Now().Add(2 * time.Minute)
	for len(temps()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the export never started writing")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // well into the write
	if err := child.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait() // killed: the error says so
	left := temps()
	if len(left) != 1 {
		t.Fatalf("after kill -9: temp files %v, want the one interrupted export", left)
	}
	if es, _ := os.ReadDir(reports); len(es) != 1 {
		t.Fatalf("after kill -9 the report directory holds %v; a report must not appear half-written", es)
	}
	// A minute passes; meanwhile another cam starts an export of its own
	// and an interrupted settings save is lying next to app_settings.yaml.
	old := time.Now().Add(-2 * time.Minute)
	young := filepath.Join(reports, ".client_activity_20261128_101010.xlsx.tmp4242")
	settingsTemp := filepath.Join(dir, ".app_settings.yaml.tmp-31337")
	for _, err := range []error{
		os.Chtimes(left[0], old, old),
		os.WriteFile(young, []byte("in progress"), 0o600),
		os.WriteFile(settingsTemp, []byte("sid: half"), 0o600),
		os.Chtimes(settingsTemp, old, old),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}

	if code, _, stderr := runCam(t, "run", "--config-dir", dir, "--json", "--quiet"); code != ExitFindings {
		t.Fatalf("the normal start: exit %d; stderr:\n%s", code, stderr)
	}
	for _, p := range []string{left[0], settingsTemp} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s survived the next start", p)
		}
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("another cam's export in progress was removed: %v", err)
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "logs", "cam-*.log"))
	var text string
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		text += string(b)
	}
	if !strings.Contains(text, filepath.Base(left[0])) {
		t.Errorf("the log does not name the removed file:\n%s", text)
	}
}
