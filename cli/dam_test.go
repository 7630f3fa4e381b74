package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"cam/engine/mysql/mariadbtest"
	"cam/report"
)

// TestRunDAMStarterOnMariaDBFindsThePlantedCases is the end-to-end check of
// a MySQL source: `cam init --dam`, pointed at a real MariaDB server with
// the DAM schema and seed, then `cam run --json` through the same path as
// the binary. It finds exactly the planted cases, and the password appears
// in no output, log or file cam wrote.
func TestRunDAMStarterOnMariaDBFindsThePlantedCases(t *testing.T) {
	srv := mariadbtest.Start(t)
	if err := srv.LoadDAM(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "dam")
	if code, _, stderr := runCam(t, "init", "--dam", dir, "--sid", "A12345"); code != ExitOK {
		t.Fatalf("init --dam: exit %d: %s", code, stderr)
	}
	pointAt(t, filepath.Join(dir, "databases.yaml"), map[string]string{
		"host": "127.0.0.1", "port": strconv.Itoa(srv.Port), "user": mariadbtest.User, "password_env": srv.PasswordEnv,
	})
	if code, stdout, stderr := runCam(t, "check", "--config-dir", dir); code != ExitOK ||
		!strings.Contains(stdout, "1 database(s), 1 query file(s)") || !strings.Contains(stdout, "all 1 database(s) answered") {
		t.Fatalf("check: exit %d: %s%s", code, stdout, stderr)
	}
	// A wrong password fails the check as an auth problem, and says so
	// without the password.
	t.Setenv(srv.PasswordEnv, "not-the-password")
	if code, stdout, _ := runCam(t, "check", "--config-dir", dir); code != ExitCheckFail ||
		!strings.Contains(stdout, "FAIL auth") || !strings.Contains(stdout, "1045") || strings.Contains(stdout, "not-the-password") {
		t.Fatalf("check with a wrong password: exit %d:\n%s", code, stdout)
	}
	t.Setenv(srv.PasswordEnv, srv.Password)

	code, stdout, stderr := runCam(t, "run", "--config-dir", dir, "--json", "--quiet")
	if code != ExitFindings {
		t.Fatalf("run: exit %d, want %d (complete with findings); stderr:\n%s", code, ExitFindings, stderr)
	}
	var doc report.Document
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("stdout is not the JSON document: %v\n%s", err, stdout)
	}
	if !doc.Run.Complete || len(doc.Queries) != 1 || doc.Queries[0].Status != "ok" || doc.Queries[0].Rows == 0 {
		t.Fatalf("run complete %v, queries %+v", doc.Run.Complete, doc.Queries)
	}
	byRule := map[string]map[string]bool{}
	perRule := map[string]int{}
	for _, a := range doc.Alerts {
		if byRule[a.Rule] == nil {
			byRule[a.Rule] = map[string]bool{}
		}
		byRule[a.Rule][a.User] = true
		perRule[a.Rule]++
	}
	p := mariadbtest.DAMPlantedCases()
	assertExactly(t, "brute_force alerts", byRule["brute_force"], p.BruteForce, p.BruteForceNearMisses)
	assertExactly(t, "off_hours alerts", byRule["off_hours"], p.OffHours, p.OffHoursNearMisses)
	assertExactly(t, "role_violation alerts", byRule["role_violation"], p.RoleViolations, p.RoleNearMisses)
	want := map[string]int{"brute_force": len(p.BruteForce), "off_hours": len(p.OffHours), "role_violation": len(p.RoleViolations)}
	if len(perRule) != len(want) || perRule["brute_force"] != want["brute_force"] ||
		perRule["off_hours"] != want["off_hours"] || perRule["role_violation"] != want["role_violation"] {
		t.Errorf("alerts per rule %v, want one per planted user: %v", perRule, want)
	}

	// The password reaches cam only through the environment.
	if strings.Contains(stdout+stderr, srv.Password) {
		t.Error("the password appears in cam's output")
	}
	if err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if data, _ := os.ReadFile(path); strings.Contains(string(data), srv.Password) {
			t.Errorf("the password appears in %s", path)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// pointAt rewrites top-level keys of the single database entry in a
// databases.yaml, keeping the starter's comments.
func pointAt(t *testing.T, path string, values map[string]string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	for key, value := range values {
		found := false
		for i, line := range lines {
			if strings.HasPrefix(line, "    "+key+":") {
				lines[i] = "    " + key + ": " + value
				found = true
			}
		}
		if !found {
			t.Fatalf("the DAM starter has no %s key", key)
		}
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
}
