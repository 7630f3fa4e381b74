package inerttest

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the test database is written with the driver cam reads it with
)

// BruteForceFailures is how many failed logins WriteConfig plants per
// hostile username: more than the default threshold of 5.
const BruteForceFailures = 8

// WriteConfig writes a configuration directory into dir whose SQLite
// database holds, for every user in users, all four account changes an
// hour before now (a takeover) and BruteForceFailures failed logins (a
// brute-force alert), so every hostile string reaches every output as a
// user id and inside messages. A sixth query reads a table whose quoted
// name holds failName, so its error message carries that text too; pass ""
// for no failing query. The database is named dbName.
func WriteConfig(t testing.TB, dir, dbName string, users []string, failName string, now time.Time) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "queries"), 0o700); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "hostile.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const ts = "2006-01-02 15:04:05"
	stmts := []string{
		"CREATE TABLE changes (user_id TEXT, change_type TEXT, change_timestamp TEXT)",
		"CREATE TABLE activity_logs (username TEXT, access_timestamp TEXT, operation_type TEXT, operation_status TEXT, role TEXT, ip_address TEXT)",
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	at := now.Add(-time.Hour).UTC()
	for _, u := range users {
		for i, ct := range []string{"password", "email", "phone", "token"} {
			if _, err := db.ExecContext(t.Context(), "INSERT INTO changes VALUES (?, ?, ?)", u, ct, at.Add(time.Duration(i)*time.Minute).Format(ts)); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < BruteForceFailures; i++ {
			if _, err := db.ExecContext(t.Context(), "INSERT INTO activity_logs VALUES (?, ?, 'LOGIN', 'FAILED', ?, ?)", u,
				at.Add(time.Duration(i)*time.Second).Format(ts), "role"+u, "10.0.0.9"+u); err != nil {
				t.Fatal(err)
			}
		}
	}
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "databases:\n  - name: %s\n    driver: sqlite\n    path: hostile.db\n    timezone: UTC\n    sql_queries:\n", strconv.Quote(dbName))
	files := map[string]string{}
	for _, ct := range []string{"password", "email", "phone", "token"} {
		files["queries/"+ct+".sql"] = "SELECT user_id, change_timestamp FROM changes WHERE change_type = '" + ct + "' AND change_timestamp >= :start_date"
		fmt.Fprintf(&yaml, "      - name: %s changes\n        query_location: queries/%s.sql\n        change_type: %s\n", ct, ct, ct)
	}
	files["queries/activity.sql"] = "SELECT username, access_timestamp, operation_type, operation_status, role, ip_address FROM activity_logs WHERE access_timestamp >= :start_date"
	fmt.Fprintf(&yaml, "      - name: activity\n        query_location: queries/activity.sql\n        kind: activity\n")
	if failName != "" {
		files["queries/broken.sql"] = "SELECT username, access_timestamp, operation_type, operation_status, role, ip_address FROM \"" +
			strings.ReplaceAll(failName, "\"", "\"\"") + "\" WHERE access_timestamp >= :start_date"
		fmt.Fprintf(&yaml, "      - name: broken\n        query_location: queries/broken.sql\n        kind: activity\n")
	}
	files["databases.yaml"] = yaml.String()
	files["app_settings.yaml"] = "user_settings:\n  sid: A12345\napp_settings:\n  report_output_dir: reports\n  log_dir: logs\n  email_recipients: [soc@example.com]\n  max_attempts: 1\ndetection:\n  business_timezone: UTC\n"
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
