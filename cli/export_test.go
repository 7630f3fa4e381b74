package cli

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cam/demo"
	"cam/journal"
	"cam/report"
)

// TestRunExportWritesReportsAndRecordsTheAudit is the cron hand-off: one
// command writes the workbook and CSV files, prints the mail link in the
// JSON, and leaves the whole run on the audit trail without personal data.
func TestRunExportWritesReportsAndRecordsTheAudit(t *testing.T) {
	out := filepath.Join(t.TempDir(), "reports")
	code, stdout, stderr := runCam(t, "run", "--demo", "--json", "--quiet", "--export", "xlsx,csv", "--out", out, "--mailto")
	if code != ExitFindings {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	var doc report.Document
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v", err)
	}
	if len(doc.Reports) != 3 {
		t.Fatalf("reports %v, want the workbook and two CSV files", doc.Reports)
	}
	for _, p := range doc.Reports {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatalf("report %s: %v", p, err)
		}
		if filepath.Dir(p) != out || !strings.HasPrefix(filepath.Base(p), report.FilePrefix) {
			t.Errorf("report %s is not a %s* file in %s", p, report.FilePrefix, out)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", p, st.Mode().Perm())
		}
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("report directory mode: %v %v", st.Mode().Perm(), err)
	}

	u, err := url.Parse(doc.Mailto)
	if err != nil || u.Scheme != "mailto" {
		t.Fatalf("mailto %q: %v", doc.Mailto, err)
	}
	body := u.Query().Get("body")
	for _, su := range doc.SuspiciousUsers {
		if !strings.Contains(body, su.UserID) {
			t.Errorf("mail body does not list suspicious user %s", su.UserID)
		}
	}
	if !strings.Contains(body, doc.Reports[0]) {
		t.Errorf("mail body does not name the workbook %s", doc.Reports[0])
	}

	// Nothing cam wrote may hold a changed value: scan the application log,
	// the audit trail and every report for the planted emails and phones.
	files := append([]string{}, doc.Reports...)
	if err := filepath.WalkDir(os.Getenv("XDG_CACHE_HOME"), func(p string, d os.DirEntry, err error) error {
		if err == nil && (journal.IsAppLogName(d.Name()) || d.Name() == journal.AuditFileName) {
			files = append(files, p)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(files) < len(doc.Reports)+2 {
		t.Fatalf("found no application log or audit trail to scan: %v", files)
	}
	for _, p := range files {
		text := readMaybeZipped(t, p)
		for _, v := range demo.PlantedChangedValues {
			if strings.Contains(text, v) {
				t.Errorf("%s holds the changed value %q", p, v)
			}
		}
	}

	actions := auditActions(t)
	for _, want := range []string{journal.ActionRunStarted, journal.ActionRunFinished, journal.ActionExport, journal.ActionMail} {
		if !actions[want] {
			t.Errorf("audit trail has no %s line (has %v)", want, actions)
		}
	}
}

// readMaybeZipped returns a file's text; for a workbook, the text of every
// part inside the zip.
func readMaybeZipped(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(path, ".xlsx") {
		return string(raw)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var b strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(&b, rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// auditActions reads the demo's audit trail (in the shared test cache).
func auditActions(t *testing.T) map[string]bool {
	t.Helper()
	var trail string
	if err := filepath.WalkDir(os.Getenv("XDG_CACHE_HOME"), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == journal.AuditFileName {
			trail = p
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(trail)
	if err != nil {
		t.Fatalf("audit trail: %v", err)
	}
	defer f.Close()
	actions := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e journal.AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		actions[e.Action] = true
	}
	return actions
}

func TestRunExportFlagsAreChecked(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--export", "pdf"}, `"pdf" is unknown`},
		{[]string{"--out", t.TempDir()}, "--out needs --export"},
		{[]string{"--export", "csv", "--out", filepath.Join(blocker, "sub")}, "report directory"},
	} {
		args := append([]string{"run", "--demo", "--quiet"}, tc.args...)
		code, _, stderr := runCam(t, args...)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d naming %q", tc.args, code, stderr, ExitUsage, tc.want)
		}
	}
}
