package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"cam/internal/inert"
	"cam/internal/inert/inerttest"
	"cam/report"
)

// hostileDir is a configuration whose database name, user ids, messages
// and one query's error all carry the hostile corpus.
func hostileDir(t *testing.T) (string, []string) {
	t.Helper()
	var users []string
	for _, c := range inerttest.Corpus {
		users = append(users, c.Text)
	}
	dir := t.TempDir()
	inerttest.WriteConfig(t, dir, "db"+inerttest.Corpus[0].Text+inerttest.Corpus[11].Text, users, "t"+inerttest.Corpus[1].Text, time.Now())
	return dir, users
}

// TestHostileTextInRunAndCheckOutput: cam run's summary and progress
// lines, cam check's table and messages show every hostile string inert,
// and --json keeps the exact ids.
func TestHostileTextInRunAndCheckOutput(t *testing.T) {
	dir, users := hostileDir(t)
	code, stdout, stderr := runCam(t, "run", "--config-dir", dir)
	if code != ExitIncomplete {
		t.Fatalf("cam run: exit %d, want %d (a query fails); stderr:\n%s", code, ExitIncomplete, stderr)
	}
	for name, out := range map[string]string{"stdout": stdout, "stderr": stderr} {
		if bad := inerttest.Active(out, true); bad != "" {
			t.Errorf("cam run %s holds %s:\n%q", name, bad, out)
		}
	}
	for _, u := range users {
		if !strings.Contains(stdout, inert.Text(u)) {
			t.Errorf("the summary does not show %q as %q", u, inert.Text(u))
		}
	}
	if !strings.Contains(stderr, "FAILED") || !strings.Contains(stderr, `\x1b[2J`) {
		t.Errorf("the failing query's progress line does not show its escaped error:\n%s", stderr)
	}
	// A line of the summary per row: no id started a line of its own.
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "Suspicious users: 0") || strings.HasPrefix(line, "Bcc:") || strings.HasPrefix(line, "mallory") {
			t.Errorf("an id added a line to the summary: %q", line)
		}
	}

	code, stdout, _ = runCam(t, "run", "--config-dir", dir, "--json")
	if code != ExitIncomplete {
		t.Fatalf("cam run --json: exit %d", code)
	}
	var doc report.Document
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, s := range doc.SuspiciousUsers {
		got[s.UserID] = true
	}
	for _, u := range users {
		if utf8.ValidString(u) && !got[u] {
			t.Errorf("--json lost the exact id %q", u)
		}
	}

	code, stdout, stderr = runCam(t, "check", "--config-dir", dir)
	if code != ExitOK {
		t.Fatalf("cam check: exit %d; stderr:\n%s", code, stderr)
	}
	for name, out := range map[string]string{"stdout": stdout, "stderr": stderr} {
		if bad := inerttest.Active(out, true); bad != "" {
			t.Errorf("cam check %s holds %s:\n%q", name, bad, out)
		}
	}
	if !strings.Contains(stdout, `db\x1b]52;c;`) {
		t.Errorf("cam check's table does not show the database name escaped:\n%s", stdout)
	}
}

// TestHostileTextInConfigurationMessages: problems quote names and paths
// from the files; they reach the terminal inert.
func TestHostileTextInConfigurationMessages(t *testing.T) {
	dir, _ := hostileDir(t)
	for _, c := range inerttest.Corpus {
		t.Run(c.Name, func(t *testing.T) {
			sub := filepath.Join(t.TempDir(), "cfg")
			copyDir(t, dir, sub)
			writeFile(t, filepath.Join(sub, "databases.yaml"), `databases:
  - name: x
    driver: sqlite
    path: hostile.db
    sql_queries:
      - name: `+yamlQuote(c.Text)+`
        change_type: email
        query_location: `+yamlQuote("missing/"+c.Text+".sql")+`
`)
			code, _, stderr := runCam(t, "check", "--config-dir", sub, "--config-only")
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d", code, ExitUsage)
			}
			if bad := inerttest.Active(stderr, true); bad != "" {
				t.Errorf("the problem list holds %s:\n%q", bad, stderr)
			}
			if !strings.Contains(stderr, "does not exist") && !strings.Contains(stderr, "cannot be read") {
				t.Errorf("the problem is not reported:\n%s", stderr)
			}
		})
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// yamlQuote writes s as a YAML double-quoted scalar (Go's escapes are
// YAML's for everything the corpus holds).
func yamlQuote(s string) string { return strconv.Quote(s) }
