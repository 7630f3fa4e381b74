package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"cam/demo"
	"cam/journal"
	"cam/report"
)

// demoCopy is a private copy of the demo configuration, with its own logs
// and reports directories, that a test may break.
func demoCopy(t *testing.T) string {
	t.Helper()
	root, err := demo.DefaultCacheRoot()
	if err != nil {
		t.Fatal(err)
	}
	src, err := demo.Prepare(root, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "demo")
	copyDir(t, src, dir)
	os.RemoveAll(filepath.Join(dir, "logs"))
	os.RemoveAll(filepath.Join(dir, "reports"))
	return dir
}

// trailLines returns the audit trail's lines: entries that parse, and the
// raw text of those that do not.
func trailLines(t *testing.T, logDir string) ([]journal.AuditEntry, []string) {
	t.Helper()
	f, err := os.Open(filepath.Join(logDir, journal.AuditFileName))
	if err != nil {
		t.Fatalf("audit trail: %v", err)
	}
	defer f.Close()
	var ok []journal.AuditEntry
	var bad []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e journal.AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			bad = append(bad, sc.Text())
			continue
		}
		ok = append(ok, e)
	}
	return ok, bad
}

func TestRunWithAnUnwritableAuditTrailSaysSoAndExits3(t *testing.T) {
	dir := demoCopy(t)
	// A directory where the trail should be: unwritable even for root.
	if err := os.MkdirAll(filepath.Join(dir, "logs", journal.AuditFileName), 0o700); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCam(t, "run", "--config-dir", dir, "--json", "--quiet")
	if code != ExitIncomplete {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitIncomplete, stderr)
	}
	for _, want := range []string{"audit trail unavailable", journal.AuditFileName, "run_started not recorded", "run_finished not recorded"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	var doc report.Document
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || !doc.Run.Complete {
		t.Errorf("the findings must still go out: complete %v, %v", doc.Run.Complete, err)
	}
}

// TestFileSizeLimitChild is the child half of the full-disk tests: it caps
// the size of every file it writes at CAM_FSIZE bytes (RLIMIT_FSIZE, so a
// write past it fails with EFBIG after writing what fits, as on a full
// disk) and runs cam with the arguments in CAM_ARGS.
func TestFileSizeLimitChild(t *testing.T) {
	limit, args := os.Getenv("CAM_FSIZE"), os.Getenv("CAM_ARGS")
	if limit == "" {
		t.Skip("child process of the full-disk tests")
	}
	n, err := strconv.ParseUint(limit, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	lim.Cur = n
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	var argv []string
	if err := json.Unmarshal([]byte(args), &argv); err != nil {
		t.Fatal(err)
	}
	code := Main(argv, IO{In: strings.NewReader(""), Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv})
	fmt.Fprintf(os.Stderr, "\nCAM-EXIT=%d\n", code)
}

// runLimited runs cam in a child process whose files may not grow past
// limit bytes, and returns its exit code, stdout and stderr.
func runLimited(t *testing.T, limit int64, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFileSizeLimitChild$")
	argv, _ := json.Marshal(args)
	cmd.Env = append(os.Environ(), "CAM_FSIZE="+strconv.FormatInt(limit, 10), "CAM_ARGS="+string(argv))
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\n%s", err, errOut.String())
	}
	i := strings.LastIndex(errOut.String(), "\nCAM-EXIT=")
	if i < 0 {
		t.Fatalf("child did not finish cam:\n%s", errOut.String())
	}
	code, _ := strconv.Atoi(strings.TrimSpace(errOut.String()[i+len("\nCAM-EXIT="):]))
	// The test framework's own PASS line follows cam's JSON on stdout.
	stdout := strings.TrimSuffix(out.String(), "PASS\n")
	return code, stdout, errOut.String()[:i]
}

func TestRunOnAFullDiskReportsTheLostAuditLineAndTheNextStartRepairsIt(t *testing.T) {
	dir := demoCopy(t)
	logDir := filepath.Join(dir, "logs")
	if err := os.MkdirAll(logDir, 0o700); err != nil {
		t.Fatal(err)
	}
	// An existing trail just short of the limit: run_started fits only in
	// part, the way a filling disk cuts a line.
	const limit = 64 << 10
	seed := strings.Repeat(`{"action":"yank","sid":"OLD"}`+"\n", (limit-60)/30)
	if err := os.WriteFile(filepath.Join(logDir, journal.AuditFileName), []byte(seed), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runLimited(t, limit, "run", "--config-dir", dir, "--json", "--quiet")
	if code != ExitIncomplete {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitIncomplete, stderr)
	}
	if !strings.Contains(stderr, "run_started not recorded") || !strings.Contains(stderr, "file too large") {
		t.Errorf("stderr does not report the lost audit lines:\n%s", stderr)
	}
	var doc report.Document
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("no JSON: %v\n%s", err, stdout)
	}
	if _, bad := trailLines(t, logDir); len(bad) != 1 {
		t.Fatalf("want the one cut line at the end, got %q", bad)
	}

	// The next, unlimited start appends a repair marker after the cut
	// line, and records normally.
	if code, _, stderr := runCam(t, "run", "--config-dir", dir, "--json", "--quiet"); code != ExitFindings {
		t.Fatalf("second run: exit %d; stderr:\n%s", code, stderr)
	}
	data, _ := os.ReadFile(filepath.Join(logDir, journal.AuditFileName))
	if !strings.HasPrefix(string(data), seed) {
		t.Error("the earlier trail was rewritten")
	}
	entries, bad := trailLines(t, logDir)
	if len(bad) != 1 {
		t.Errorf("cut lines %q, want exactly the one from the full disk", bad)
	}
	var tail []string
	for _, e := range entries[len(entries)-3:] {
		tail = append(tail, e.Action)
	}
	if strings.Join(tail, ",") != "trail_repaired,run_started,run_finished" {
		t.Errorf("trail ends %v, want the repair marker then the run", tail)
	}
}

func TestExportOnAFullDiskLeavesNoFileAndExits3(t *testing.T) {
	dir := demoCopy(t)
	out := filepath.Join(t.TempDir(), "reports")
	// The workbook (about 8 KiB) outgrows 4 KiB; the logs and trail do not.
	code, stdout, stderr := runLimited(t, 4<<10, "run", "--config-dir", dir, "--json", "--quiet", "--export", "xlsx,csv", "--out", out)
	if code != ExitIncomplete {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitIncomplete, stderr)
	}
	if !strings.Contains(stderr, "file too large") || !strings.Contains(stderr, report.FilePrefix) {
		t.Errorf("stderr does not name the failed file and the cause:\n%s", stderr)
	}
	var doc report.Document
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Reports) != 0 {
		t.Errorf("JSON: %v, reports %v (want none)", err, doc.Reports)
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("the failed export left files behind: %v", left)
	}
	entries, bad := trailLines(t, filepath.Join(dir, "logs"))
	actions := map[string]bool{}
	for _, e := range entries {
		actions[e.Action] = true
	}
	if len(bad) != 0 || !actions[journal.ActionRunFinished] || actions[journal.ActionExport] {
		t.Errorf("trail: actions %v, cut lines %q; want run_finished and no export", actions, bad)
	}
}

func TestSecondSignalExitsAtOnceWithAMessage(t *testing.T) {
	sig := make(chan os.Signal, 2)
	errOut := &lockedBuffer{}
	exited := make(chan int, 1)
	std := IO{Err: errOut, Interrupt: func() (<-chan os.Signal, func()) { return sig, func() {} },
		Exit: func(code int) { exited <- code }}
	var mu sync.Mutex
	stops := 0
	w := watchSignals(std, "cam run", func() { mu.Lock(); stops++; mu.Unlock() })
	defer w.Stop()
	sig <- syscall.SIGTERM
	for w.Signal() == "" {
		time.Sleep(time.Millisecond)
	}
	sig <- syscall.SIGHUP
	select {
	case code := <-exited:
		if code != ExitIncomplete {
			t.Errorf("exit %d, want %d", code, ExitIncomplete)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a second signal did not exit")
	}
	mu.Lock()
	defer mu.Unlock()
	if stops != 1 || w.Signal() != "SIGTERM" {
		t.Errorf("stop called %d times, signal %q; want once, SIGTERM", stops, w.Signal())
	}
	for _, want := range []string{"cam run: SIGTERM: cancelling", "cam run: SIGHUP again: exiting at once"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
}
