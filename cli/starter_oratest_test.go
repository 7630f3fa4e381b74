package cli

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"cam/oracle/oratest"
)

// starterTables are the production schemas the shipped queries read, as
// SQLite tables: dates as DATE (London wall clocks), the account
// database's user ids as INTEGER, so they reach cam as NUMBER while the
// client database's are VARCHAR2.
const starterTables = `
CREATE TABLE email_changes (user_id TEXT, change_date DATE, changed_by TEXT, change_reason TEXT);
CREATE TABLE phone_changes (client_id TEXT, phone_type TEXT, change_date DATE, changed_by TEXT);
CREATE TABLE token_changes (user_id TEXT, token_type TEXT, action TEXT, action_date DATE, performed_by TEXT, ip_address TEXT);
CREATE TABLE password_changes (user_id INTEGER, change_date DATE, change_type TEXT, change_source TEXT, ip_address TEXT);`

// TestStarterQueriesRunUnchangedOverTheOracleWire serves the tables of
// `cam init`'s databases under its schemas and runs the shipped queries
// as written: schema-qualified names, default_schema's ALTER SESSION and
// the :start_date cast. User 4711 changes all four within an hour.
func TestStarterQueriesRunUnchangedOverTheOracleWire(t *testing.T) {
	london := loadZone(t, "Europe/London")
	wall := func(ago time.Duration) string { return time.Now().Add(-ago).In(london).Format("2006-01-02 15:04:05") }
	data := t.TempDir()
	client, account := filepath.Join(data, "client.db"), filepath.Join(data, "account.db")
	for path, inserts := range map[string]string{
		client: fmt.Sprintf(`INSERT INTO email_changes VALUES ('4711', '%s', 'self', 'x'), ('5000', '%s', 'self', 'x');
INSERT INTO phone_changes VALUES ('4711', 'mobile', '%s', 'self');
INSERT INTO token_changes VALUES ('4711', 'TOTP', 'CREATED', '%s', 'self', '192.0.2.1'), ('4711', 'TOTP', 'VIEWED', '%s', 'self', '192.0.2.1');`,
			wall(50*time.Minute), wall(3*time.Hour), wall(40*time.Minute), wall(30*time.Minute), wall(20*time.Minute)),
		account: fmt.Sprintf(`INSERT INTO password_changes VALUES (4711, '%s', 'reset', 'web', '192.0.2.1'), (5000, '%s', 'reset', 'web', '192.0.2.9');`,
			wall(time.Hour), wall(2*time.Hour)),
	} {
		db, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(starterTables + inserts); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	srv := oratest.Start(t, oratest.Options{
		Services: map[string]string{"CLIENT_AUDIT": client, "ACCOUNT_AUDIT": account},
		Users:    map[string]string{oraUser: oraPW},
		Schemas:  []string{"event_logs", "audit_logs"},
	})
	t.Setenv(oraPWEnv, oraPW)
	dir := filepath.Join(t.TempDir(), "cam")
	if code, _, stderr := runCam(t, "init", dir, "--sid", "A12345"); code != ExitOK {
		t.Fatalf("init: %s", stderr)
	}
	path := filepath.Join(dir, "databases.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	for _, host := range []string{"oracle.client.example.com", "oracle.account.example.com"} {
		old := "host: " + host + "\n    port: 6036\n"
		if !strings.Contains(text, old) {
			t.Fatalf("the starter no longer has %q", old)
		}
		text = strings.Replace(text, old, "host: 127.0.0.1\n    port: "+strconv.Itoa(srv.Port())+
			"\n    auth: password\n    user: "+oraUser+"\n    password_env: "+oraPWEnv+"\n", 1)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}

	doc := runJSON(t, ExitFindings, "--config-dir", dir)
	for _, q := range doc.Queries {
		if q.Status != "ok" || q.Rows == 0 {
			t.Errorf("%s/%s: %s, %d rows: %s", q.Database, q.Query, q.Status, q.Rows, q.Error)
		}
	}
	if got := takeovers(doc); !strings.HasPrefix(got, "4711 ") || strings.Contains(got, ";") {
		t.Errorf("takeovers %q, want user 4711 alone (NUMBER 4711 matched VARCHAR2 '4711')", got)
	}
	schemas := map[string]bool{}
	for _, st := range srv.Record().Statements() {
		if strings.HasPrefix(st.SQL, "ALTER SESSION SET CURRENT_SCHEMA") {
			schemas[st.SQL] = true
		}
	}
	for _, want := range []string{"ALTER SESSION SET CURRENT_SCHEMA = EVENT_LOGS", "ALTER SESSION SET CURRENT_SCHEMA = AUDIT_LOGS"} {
		if !schemas[want] {
			t.Errorf("the server never saw %q (saw %v)", want, schemas)
		}
	}
}
