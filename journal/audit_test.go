package journal

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func readAudit(t *testing.T, dir string) []AuditEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, AuditFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []AuditEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		out = append(out, e)
	}
	return out
}

func TestAuditRecordsOneJSONLinePerAction(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	a, err := OpenAudit(dir, "AUDITOR1")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Record(ActionRunFinished, map[string]any{"run_id": int64(3), "suspicious": 2, "alerts": 5, "complete": true, "duration": 2 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if err := a.Record(ActionExport, map[string]any{"files": []string{"/r/client_activity_20261122_140307.xlsx"}, "formats": []string{"xlsx"}, "filter_active": true, "filter_len": 4}); err != nil {
		t.Fatal(err)
	}
	a.Close()

	// Reopening appends rather than truncating.
	a, err = OpenAudit(dir, "AUDITOR1")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Record(ActionYank, map[string]any{"count": 3}); err != nil {
		t.Fatal(err)
	}
	a.Close()

	got := readAudit(t, dir)
	if len(got) != 3 {
		t.Fatalf("got %d lines, want 3", len(got))
	}
	if got[0].Action != ActionRunFinished || got[1].Action != ActionExport || got[2].Action != ActionYank {
		t.Errorf("actions = %s, %s, %s", got[0].Action, got[1].Action, got[2].Action)
	}
	for _, e := range got {
		if e.SID != "AUDITOR1" || e.Time.IsZero() || e.OSUser == "" {
			t.Errorf("entry misses who/when: %+v", e)
		}
	}
	if got[0].Details["suspicious"] != float64(2) {
		t.Errorf("details = %v", got[0].Details)
	}
	st, _ := os.Stat(filepath.Join(dir, AuditFileName))
	if st.Mode().Perm() != 0o600 {
		t.Errorf("audit mode %v, want 0600", st.Mode().Perm())
	}
	dst, _ := os.Stat(dir)
	if dst.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", dst.Mode().Perm())
	}
}

func TestAuditRefusesPersonalValues(t *testing.T) {
	dir := t.TempDir()
	a, err := OpenAudit(dir, "S")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	bad := []map[string]any{
		{"user": "10042"},                        // no key for user ids
		{"email": "k.fast@example.com"},          // nor emails
		{"filter": "10042"},                      // filter text may be a user id
		{"count": "k.fast@example.com"},          // count must be a number
		{"mode": "k.fast@example.com"},           // words are plain identifiers
		{"formats": []string{"+44 7700 900042"}}, // phone in a word list
		{"what": strings.Repeat("a", maxWordLen+1)},
	}
	for _, d := range bad {
		if err := a.Record(ActionMail, d); err == nil {
			t.Errorf("Record accepted %v", d)
		}
	}
	if err := a.Record("deleted_everything", nil); err == nil {
		t.Error("unknown action accepted")
	}
	data, _ := os.ReadFile(filepath.Join(dir, AuditFileName))
	if len(data) != 0 {
		t.Errorf("refused records were written: %s", data)
	}
}

func TestAuditConcurrentRecordsStayWholeLines(t *testing.T) {
	dir := t.TempDir()
	a, err := OpenAudit(dir, "S")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				if err := a.Record(ActionYank, map[string]any{"count": j}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	a.Close()
	if n := len(readAudit(t, dir)); n != 160 {
		t.Errorf("got %d lines, want 160", n)
	}
	if err := a.Record(ActionYank, nil); err == nil {
		t.Error("Record after Close succeeded")
	}
}
