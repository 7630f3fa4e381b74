package cli

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"cam/report"
)

// TestRunReadsEachDatabaseInItsOwnZone is the timestamps bug as a new user
// met it: password changes in a DATETIME column holding New York wall
// clocks, the other changes in UTC and Kolkata databases. Read correctly,
// "real" (23h apart) is a takeover and "near" (24h and 1s) is not; with the
// New York database wrongly set to UTC the findings swap, which proves the
// configured zone decides them.
func TestRunReadsEachDatabaseInItsOwnZone(t *testing.T) {
	ny, kolkata := loadZone(t, "America/New_York"), loadZone(t, "Asia/Kolkata")
	base := time.Now().UTC().Truncate(24 * time.Hour).Add(-72 * time.Hour)
	at := func(d time.Duration) time.Time { return base.Add(d) }
	wall := func(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02 15:04:05") }

	dir := t.TempDir()
	// real: password first, token 23h later. near: password last, 24h1s after the token.
	realPW, realToken := at(11*time.Hour), at(34*time.Hour)
	nearToken, nearPW := at(9*time.Hour), at(33*time.Hour+time.Second)
	writeSQLite(t, filepath.Join(dir, "ny.db"), "CREATE TABLE changes (user_id TEXT, change_timestamp DATETIME)",
		[]string{"real", wall(realPW, ny)}, []string{"near", wall(nearPW, ny)})
	writeSQLite(t, filepath.Join(dir, "utc.db"), "CREATE TABLE changes (user_id TEXT, change_timestamp TIMESTAMP, kind TEXT)",
		[]string{"real", wall(at(12*time.Hour), time.UTC), "email"}, []string{"real", wall(realToken, time.UTC), "token"},
		[]string{"near", wall(at(10*time.Hour), time.UTC), "email"}, []string{"near", wall(nearToken, time.UTC), "token"})
	writeSQLite(t, filepath.Join(dir, "in.db"), "CREATE TABLE changes (user_id TEXT, change_timestamp DATE)",
		[]string{"real", wall(at(13*time.Hour), kolkata)}, []string{"near", wall(at(11*time.Hour), kolkata)})
	for name, text := range map[string]string{
		"password.sql": "SELECT user_id, change_timestamp FROM changes WHERE change_timestamp >= :start_date",
		"email.sql":    "SELECT user_id, change_timestamp FROM changes WHERE kind = 'email' AND change_timestamp >= :start_date",
		"token.sql":    "SELECT user_id, change_timestamp FROM changes WHERE kind = 'token' AND change_timestamp >= :start_date",
		"phone.sql":    "SELECT user_id, change_timestamp FROM changes WHERE change_timestamp >= :start_date",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	databases := func(nyZone string) string {
		return fmt.Sprintf(`databases:
  - name: passwords
    driver: sqlite
    path: ny.db
    timezone: %s
    sql_queries:
      - {name: passwords, query_location: password.sql, change_type: password}
  - name: contacts
    driver: sqlite
    path: utc.db
    timezone: UTC
    sql_queries:
      - {name: emails, query_location: email.sql, change_type: email}
      - {name: tokens, query_location: token.sql, change_type: token}
  - name: phones
    driver: sqlite
    path: in.db
    timezone: Asia/Kolkata
    sql_queries:
      - {name: phones, query_location: phone.sql, change_type: phone}
`, nyZone)
	}
	settings := "user_settings:\n  sid: A12345\napp_settings:\n  log_dir: logs\n  report_output_dir: reports\n"
	if err := os.WriteFile(filepath.Join(dir, "app_settings.yaml"), []byte(settings), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		zone string
		want string
	}{
		{"America/New_York", "[real]"},
		{"UTC", "[near]"},
	} {
		t.Run("password database in "+c.zone, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(dir, "databases.yaml"), []byte(databases(c.zone)), 0o600); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runCam(t, "run", "--config-dir", dir, "--json", "--quiet")
			if code != ExitFindings {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitFindings, stderr)
			}
			var doc report.Document
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Fatal(err)
			}
			var users []string
			for _, su := range doc.SuspiciousUsers {
				users = append(users, su.UserID)
			}
			sort.Strings(users)
			if got := fmt.Sprint(users); got != c.want {
				t.Errorf("suspicious users %s, want %s", got, c.want)
			}
		})
	}
}

// A change query whose every row holds an epoch number is a failed query
// (class data), so the run is incomplete (exit 3) and says what to set.
func TestAllRejectedQueryExitsIncomplete(t *testing.T) {
	dir := t.TempDir()
	now := time.Now().Unix()
	writeSQLite(t, filepath.Join(dir, "e.db"), "CREATE TABLE changes (user_id TEXT, change_timestamp INTEGER)",
		[]string{"u1", fmt.Sprint(now - 3600)}, []string{"u2", fmt.Sprint(now - 7200)})
	if err := os.WriteFile(filepath.Join(dir, "q.sql"), []byte("SELECT user_id, CAST(change_timestamp AS INTEGER) AS change_timestamp FROM changes"), 0o600); err != nil {
		t.Fatal(err)
	}
	yaml := "databases:\n  - name: epochs\n    driver: sqlite\n    path: e.db\n    timezone: UTC\n    sql_queries:\n" +
		"      - {name: passwords, query_location: q.sql, change_type: password}\n"
	settings := "user_settings:\n  sid: A12345\napp_settings:\n  log_dir: logs\n  report_output_dir: reports\n"
	for name, text := range map[string]string{"databases.yaml": yaml, "app_settings.yaml": settings} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := runCam(t, "run", "--config-dir", dir, "--json")
	if code != ExitIncomplete {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitIncomplete, stderr)
	}
	var doc report.Document
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	q := doc.Queries[0]
	if q.Status != "failed" || q.ErrorClass != "data" || q.Rejected["not_text_time"] != 2 || q.RejectedRows != 2 {
		t.Errorf("query %+v: want failed, class data, 2 not_text_time", q)
	}
	if !strings.Contains(q.Error, "all 2 rows rejected: change_timestamp holds numbers; set columns.time_format") {
		t.Errorf("error %q does not say what to set", q.Error)
	}
	// The log names the column and the reason, never a value.
	logs, _ := filepath.Glob(filepath.Join(dir, "logs", "*"))
	var all strings.Builder
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		all.Write(b)
	}
	if !strings.Contains(all.String(), "not_text_time") || !strings.Contains(all.String(), "change_timestamp") {
		t.Errorf("log does not name the reason and column:\n%s", all.String())
	}
	if strings.Contains(all.String(), fmt.Sprint(now-3600)) {
		t.Error("log holds a rejected value")
	}
}

func loadZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// writeSQLite creates a database with ddl and inserts rows of text values.
func writeSQLite(t *testing.T, path, ddl string, rows ...[]string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(ddl); err != nil {
		t.Fatal(err)
	}
	table := strings.Fields(ddl)[2]
	for _, r := range rows {
		args := make([]any, len(r))
		marks := make([]string, len(r))
		for i, v := range r {
			args[i], marks[i] = v, "?"
		}
		if _, err := db.Exec("INSERT INTO "+table+" VALUES ("+strings.Join(marks, ", ")+")", args...); err != nil {
			t.Fatal(err)
		}
	}
}
