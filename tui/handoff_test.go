package tui

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"cam/engine"
	"cam/engine/detect"
	"cam/journal"
	"cam/session"
	"cam/tui/clipboard"
	"cam/tui/settings"
	"cam/tui/toast"
)

// fakeAudit records actions, checking each against the journal's rules so
// the TUI cannot hand the trail a detail the real one would refuse.
type fakeAudit struct {
	t       *testing.T
	mu      sync.Mutex
	actions []string
	details []map[string]any
	err     error // returned by every Record: a full or unwritable trail
	trail   *session.Trail
}

// Trail is the session's asynchronous trail over f; reading f waits for
// what is queued, as the records are written off the UI goroutine.
func (f *fakeAudit) Trail() *session.Trail {
	if f.trail == nil {
		f.trail = session.NewTrail(f, nil)
		f.t.Cleanup(func() { f.trail.Close() })
	}
	return f.trail
}

func (f *fakeAudit) flush() {
	if f.trail != nil {
		f.trail.Flush()
	}
}

// setErr makes every later Record fail with err (nil: succeed).
func (f *fakeAudit) setErr(err error) {
	f.flush()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeAudit) Record(action string, details map[string]any) error {
	for k, v := range details {
		if err := journal.CheckDetail(k, v); err != nil {
			f.t.Errorf("%s: %v", action, err)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.actions = append(f.actions, action)
	f.details = append(f.details, details)
	return f.err
}

func (f *fakeAudit) last(action string) map[string]any {
	f.flush()
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.actions) - 1; i >= 0; i-- {
		if f.actions[i] == action {
			return f.details[i]
		}
	}
	return nil
}

func (f *fakeAudit) has(action string) bool {
	f.flush()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range f.actions {
		if a == action {
			return true
		}
	}
	return false
}

// finishedTwoUsers is run 1's result with a takeover (100042) and a
// brute-force alert (bob).
func finishedTwoUsers() engine.RunFinished {
	fin := finished(1)
	fin.Result.Findings.Alerts = append(fin.Result.Findings.Alerts, detect.Alert{Rule: detect.RuleBruteForce,
		Severity: detect.SeverityHigh, User: "bob", Count: 7, Message: "7 failed logins in 2m"})
	return fin
}

// handoffModel is a model after one finished run, reporting to dir.
func handoffModel(t *testing.T, dir string) (Model, *fakeAudit) {
	t.Helper()
	audit := &fakeAudit{t: t}
	cfg := testConfig("sqlite")
	cfg.Settings.App.ReportOutputDir = dir
	m := New(Options{Config: cfg, Engine: &fakeEngine{}, Audit: audit.Trail(), Version: "test"})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = next.(Model)
	m, _ = press(t, m, "r")
	m = send(m, 1, finishedTwoUsers())
	return m, audit
}

// runCmd executes a command and feeds its message back, as the program
// loop would.
func runCmd(t *testing.T, m Model, cmd tea.Cmd) Model {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	next, _ := m.Update(cmd())
	return next.(Model)
}

func TestHandOffKeysWaitForAResult(t *testing.T) {
	m, _ := newModel(t)
	for _, k := range []string{"e", "m", "o"} {
		m2, _ := press(t, m, k)
		if m2.toast.Level() != toast.Error || !strings.Contains(m2.toast.Text(), "press r to run") {
			t.Errorf("%s before a run: toast %q", k, m2.toast.Text())
		}
	}
}

func TestExportWritesWhatIsOnScreen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports")
	m, audit := handoffModel(t, dir)
	if audit.last(journal.ActionRunStarted) == nil || audit.last(journal.ActionRunFinished) == nil {
		t.Fatalf("run not on the audit trail: %v", audit.actions)
	}

	// Filter to bob, then export: only bob's alert goes out, and it says so.
	m, _ = press(t, m, "5", "/", "b", "o", "b", "enter")
	m, cmd := press(t, m, "e")
	m = runCmd(t, m, cmd)
	if m.toast.Level() == toast.Error || !strings.Contains(m.toast.Text(), "Exported 1 of 2 alerts, filter: bob") {
		t.Fatalf("toast after export: %q", m.toast.Text())
	}
	alertsCSV, _ := filepath.Glob(filepath.Join(dir, "*_alerts.csv"))
	workbooks, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	if len(alertsCSV) != 1 || len(workbooks) != 1 {
		t.Fatalf("files in %s: csv %v, xlsx %v", dir, alertsCSV, workbooks)
	}
	rows := readCSV(t, alertsCSV[0])
	if len(rows) != 2 || rows[1][2] != "bob" {
		t.Errorf("alerts CSV of the filtered view: %v", rows)
	}
	d := audit.last(journal.ActionExport)
	if d == nil || d["filter_active"] != true || d["alerts"] != 1 {
		t.Errorf("export audit details: %v", d)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func TestExportFailureStaysAndTheResultsToo(t *testing.T) {
	base := t.TempDir()
	blocker := filepath.Join(base, "not-a-dir")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	m, audit := handoffModel(t, filepath.Join(blocker, "reports"))
	m, cmd := press(t, m, "e")
	m = runCmd(t, m, cmd)
	if m.toast.Level() != toast.Error || !strings.Contains(m.toast.Text(), blocker) {
		t.Fatalf("export failure toast %q does not name the directory", m.toast.Text())
	}
	// The error stays until dismissed, and the results are still there.
	next, _ := m.Update(toast.ExpiredMsg{} /* an older toast's timer */)
	m = next.(Model)
	if m.toast.Text() == "" || !strings.Contains(m.View(), "bob") {
		t.Errorf("error or results gone:\n%s", m.View())
	}
	if audit.last(journal.ActionExport) != nil {
		t.Error("a failed export was recorded as an export")
	}
	// Fix the cause and try again.
	m.cfg.Settings.App.ReportOutputDir = filepath.Join(base, "reports")
	m, cmd = press(t, m, "e")
	m = runCmd(t, m, cmd)
	if m.toast.Level() == toast.Error {
		t.Errorf("second export failed: %q", m.toast.Text())
	}
}

func TestMailWritesADraftAndShowsAHyperlink(t *testing.T) {
	dir := t.TempDir()
	m, audit := handoffModel(t, dir)
	m, _ = press(t, m, "m")
	if m.toast.Level() != toast.Error || !strings.Contains(m.toast.Text(), "no recipients") {
		t.Fatalf("mail without recipients: %q", m.toast.Text())
	}
	m.cfg.Settings.App.EmailRecipients = []string{"soc@example.com", "lead@example.com"}
	m, cmd := press(t, m, "e") // export first, so the mail names the workbook
	m = runCmd(t, m, cmd)
	m, cmd = press(t, m, "m")
	next, _ := m.Update(cmd())
	m = next.(Model)
	if !strings.HasPrefix(m.toast.Link(), "mailto:soc@example.com,lead@example.com?subject=") {
		t.Fatalf("mail link %q", m.toast.Link())
	}
	if !strings.Contains(m.toast.Link(), "xlsx") {
		t.Errorf("mail link does not name the exported workbook: %q", m.toast.Link())
	}
	if !strings.Contains(m.View(), "\x1b]8;;mailto:") {
		t.Error("footer shows no OSC 8 hyperlink")
	}
	drafts, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(drafts) != 1 {
		t.Fatalf("drafts: %v", drafts)
	}
	if d := audit.last(journal.ActionMail); d == nil || d["recipients"] != 2 {
		t.Errorf("mail audit details: %v", d)
	}
}

func TestCopiesAreAuditedByCountNotValue(t *testing.T) {
	m, audit := handoffModel(t, t.TempDir())
	next, _ := m.Update(clipboard.CopiedMsg{Summary: "Copied 2 user IDs", What: "user_ids", Count: 2})
	m = next.(Model)
	if m.toast.Text() != "Copied 2 user IDs" {
		t.Errorf("toast %q", m.toast.Text())
	}
	if d := audit.last(journal.ActionYank); d == nil || d["count"] != 2 {
		t.Errorf("yank audit: %v", d)
	}
	next, _ = m.Update(clipboard.CopiedMsg{Summary: "Copied summary", What: "summary", Count: 2})
	m = next.(Model)
	if d := audit.last(journal.ActionSummaryCopy); d == nil || d["count"] != 2 {
		t.Errorf("summary audit: %v", d)
	}
	// With the clipboard off (the test config), o reports why and records nothing.
	before := len(audit.actions)
	m, cmd := press(t, m, "o")
	m = runCmd(t, m, cmd)
	if m.toast.Level() != toast.Error || !strings.Contains(m.toast.Text(), "clipboard is off") || len(audit.actions) != before {
		t.Errorf("o with clipboard off: toast %q, audit %v", m.toast.Text(), audit.actions[before:])
	}
	next, _ = m.Update(settings.SavedMsg{Settings: m.cfg.Settings, Path: "/tmp/x"})
	if !audit.has(journal.ActionSettingsSaved) {
		t.Error("settings save not audited")
	}
	_ = next
}
