package journal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// auditLines splits the trail into lines and reports which parse as JSON.
func auditLines(t *testing.T, dir string) ([]string, []bool) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, AuditFileName))
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Fatalf("trail does not end in a newline: %q", data)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	ok := make([]bool, len(lines))
	for i, l := range lines {
		ok[i] = json.Valid([]byte(l))
	}
	return lines, ok
}

func TestAuditRepairsATruncatedLastLineByAppending(t *testing.T) {
	dir := t.TempDir()
	whole := `{"action":"run_started","sid":"S"}` + "\n"
	cut := `{"action":"run_fini`
	if err := os.WriteFile(filepath.Join(dir, AuditFileName), []byte(whole+cut), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := OpenAudit(dir, "S")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Record(ActionYank, map[string]any{"count": 1}); err != nil {
		t.Fatal(err)
	}
	a.Close()

	data, _ := os.ReadFile(filepath.Join(dir, AuditFileName))
	if !bytes.HasPrefix(data, []byte(whole+cut+"\n")) {
		t.Fatalf("the existing record was rewritten:\n%s", data)
	}
	lines, ok := auditLines(t, dir)
	if len(lines) != 4 || !ok[0] || ok[1] || !ok[2] || !ok[3] {
		t.Fatalf("lines %q (json %v), want whole, cut, marker, yank", lines, ok)
	}
	if !strings.Contains(lines[2], `"action":"trail_repaired"`) || !strings.Contains(lines[3], `"action":"yank"`) {
		t.Errorf("marker/yank lines = %q, %q", lines[2], lines[3])
	}

	// A trail that ends cleanly gets no marker on the next start.
	a, err = OpenAudit(dir, "S")
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	if again, _ := auditLines(t, dir); len(again) != 4 {
		t.Errorf("clean trail got %d lines on reopen, want 4", len(again))
	}
}

// The child half of TestAuditFullDiskIsAnErrorAndTheNextLineIsWhole: it
// records with the file size capped just past the current end (so the
// kernel writes part of the line, like a disk filling up), then lifts the
// cap and records again.
func TestAuditFullDiskChild(t *testing.T) {
	dir := os.Getenv("CAM_AUDIT_FULL_DIR")
	if dir == "" {
		t.Skip("child process of TestAuditFullDiskIsAnErrorAndTheNextLineIsWhole")
	}
	a, err := OpenAudit(dir, "S")
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(filepath.Join(dir, AuditFileName))
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	capped := lim
	capped.Cur = uint64(st.Size()) + 20
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &capped); err != nil {
		t.Fatal(err)
	}
	err = a.Record(ActionExport, map[string]any{"run_id": 7, "formats": []string{"xlsx"}})
	fmt.Printf("first: %v\n", err)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("second: %v\n", a.Record(ActionYank, map[string]any{"count": 2}))
	a.Close()
}

func TestAuditFullDiskIsAnErrorAndTheNextLineIsWhole(t *testing.T) {
	dir := t.TempDir()
	a, err := OpenAudit(dir, "S")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Record(ActionRunStarted, map[string]any{"run_id": 7}); err != nil {
		t.Fatal(err)
	}
	a.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestAuditFullDiskChild$", "-test.v")
	cmd.Env = append(os.Environ(), "CAM_AUDIT_FULL_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "first: audit: write ") || !strings.Contains(string(out), "file too large") {
		t.Errorf("the failed write was not reported as an error:\n%s", out)
	}
	if !strings.Contains(string(out), "second: <nil>") {
		t.Errorf("the record after the failure did not succeed:\n%s", out)
	}
	lines, ok := auditLines(t, dir)
	if len(lines) != 3 || !ok[0] || ok[1] || !ok[2] {
		t.Fatalf("lines %q (json %v), want whole, cut, whole", lines, ok)
	}
	if len(lines[1]) != 20 || !strings.Contains(lines[2], `"action":"yank"`) {
		t.Errorf("cut line %q (want 20 bytes), next line %q", lines[1], lines[2])
	}
}
