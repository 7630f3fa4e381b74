package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"cam/oracle/oratest"
	"cam/report"
)

// TestRunOverOracleReadsDATEsInTheDatabaseZoneOnADSTDay runs the same
// fixtures once as SQLite files and once over the Oracle wire, where the
// DATE and TIMESTAMP columns arrive as Oracle DATE and TIMESTAMP values.
// London moved to BST on 2026-03-29; the run is anchored at 02:00 UTC the
// next day, so the takeover window is [03-29 02:00Z, 03-30 02:00Z]. Read
// in London's zone, "real"'s password change (03-30 02:30 BST = 01:30Z)
// falls inside the window and "near"'s (03-29 02:30 BST = 01:30Z) before
// it; read as UTC it would be the other way round.
func TestRunOverOracleReadsDATEsInTheDatabaseZoneOnADSTDay(t *testing.T) {
	dir := t.TempDir()
	writeSQLite(t, filepath.Join(dir, "london.db"), "CREATE TABLE changes (user_id TEXT, change_timestamp DATE)",
		[]string{"real", "2026-03-30 02:30:00"}, []string{"near", "2026-03-29 02:30:00"})
	writeSQLite(t, filepath.Join(dir, "utc.db"), "CREATE TABLE changes (user_id TEXT, change_timestamp TIMESTAMP, kind TEXT)",
		[]string{"real", "2026-03-29 12:00:00", "email"}, []string{"real", "2026-03-29 13:00:00", "token"},
		[]string{"near", "2026-03-29 12:00:00", "email"}, []string{"near", "2026-03-29 13:00:00", "token"})
	writeSQLite(t, filepath.Join(dir, "in.db"), "CREATE TABLE changes (user_id TEXT, change_timestamp DATE)",
		[]string{"real", "2026-03-29 19:30:00"}, []string{"near", "2026-03-29 19:30:00"}) // 14:00Z
	for name, text := range map[string]string{
		"password.sql":      "SELECT user_id, change_timestamp FROM changes WHERE change_timestamp >= :start_date",
		"email.sql":         "SELECT user_id, change_timestamp FROM changes WHERE kind = 'email' AND change_timestamp >= :start_date",
		"token.sql":         "SELECT user_id, change_timestamp FROM changes WHERE kind = 'token' AND change_timestamp >= :start_date",
		"phone.sql":         "SELECT user_id, change_timestamp FROM changes WHERE change_timestamp >= :start_date",
		"app_settings.yaml": "user_settings:\n  sid: A12345\napp_settings:\n  log_dir: logs\n  report_output_dir: reports\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	srv := oratest.Start(t, oratest.Options{
		Services: map[string]string{"PASSWORDS": filepath.Join(dir, "london.db"),
			"CONTACTS": filepath.Join(dir, "utc.db"), "PHONES": filepath.Join(dir, "in.db")},
		Users: map[string]string{oraUser: oraPW},
	})
	t.Setenv(oraPWEnv, oraPW)
	source := map[string]func(file, service string) string{
		"sqlite": func(file, _ string) string { return "driver: sqlite\n    path: " + file },
		"oracle": func(_, service string) string {
			return fmt.Sprintf("driver: oracle\n    host: 127.0.0.1\n    port: %d\n    service_name: %s\n    auth: password\n    user: %s\n    password_env: %s",
				srv.Port(), service, oraUser, oraPWEnv)
		},
	}
	results := map[string]string{}
	for _, kind := range []string{"sqlite", "oracle"} {
		t.Run(kind, func(t *testing.T) {
			at := source[kind]
			yaml := fmt.Sprintf(`databases:
  - name: passwords
    %s
    timezone: Europe/London
    sql_queries:
      - {name: passwords, query_location: password.sql, change_type: password}
  - name: contacts
    %s
    timezone: UTC
    sql_queries:
      - {name: emails, query_location: email.sql, change_type: email}
      - {name: tokens, query_location: token.sql, change_type: token}
  - name: phones
    %s
    timezone: Asia/Kolkata
    sql_queries:
      - {name: phones, query_location: phone.sql, change_type: phone}
`, at("london.db", "PASSWORDS"), at("utc.db", "CONTACTS"), at("in.db", "PHONES"))
			if err := os.WriteFile(filepath.Join(dir, "databases.yaml"), []byte(yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			doc := runJSON(t, ExitFindings, "--config-dir", dir, "--last-event-time", "2026-03-30T02:00:00Z")
			results[kind] = takeovers(doc)
			if got := results[kind]; got != "real 2026-03-30T01:30:00Z" {
				t.Errorf("takeovers %q, want only real, with its password change at 01:30Z", got)
			}
		})
	}
	if results["sqlite"] != results["oracle"] {
		t.Errorf("SQLite found %q, Oracle %q", results["sqlite"], results["oracle"])
	}
	for _, st := range srv.Record().Statements() {
		if strings.Contains(st.SQL, "start_date") && (len(st.Binds) != 1 || st.Binds[0].Type != "TIMESTAMP") {
			t.Errorf("%q bound %+v, want one TIMESTAMP", st.SQL, st.Binds)
		}
	}
}

// takeovers lists each suspicious user with its password change time.
func takeovers(doc report.Document) string {
	var out []string
	for _, su := range doc.SuspiciousUsers {
		out = append(out, su.UserID+" "+su.Changes["password"])
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}
