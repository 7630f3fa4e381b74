package mysql

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cam/config"
	"cam/engine/mysql/mariadbtest"
)

// TestExecutableCommentOutfileIsRefusedBeforeTheServer: MariaDB runs
// what is inside /*!50000 ... */, so a query file hiding INTO OUTFILE
// there wrote a file on the server. Loading such a configuration is now
// refused, naming file, line and construct, and nothing reaches the
// server: the file is never written.
func TestExecutableCommentOutfileIsRefusedBeforeTheServer(t *testing.T) {
	srv := damServer(t)
	root, err := srv.Root()
	if err != nil {
		t.Fatal(err)
	}
	// The control: this server does execute the comment's content.
	control := filepath.Join(srv.Dir, fmt.Sprintf("control-%d.txt", time.Now().UnixNano()))
	if _, err := root.Exec("SELECT 1 FROM dual /*!50000 INTO OUTFILE '" + control + "' */"); err != nil {
		t.Fatalf("control query: %v", err)
	}
	if _, err := os.Stat(control); err != nil {
		t.Fatalf("the server did not run the executable comment, so this test proves nothing: %v", err)
	}

	target := filepath.Join(srv.Dir, fmt.Sprintf("cam-%d.txt", time.Now().UnixNano()))
	dir := t.TempDir()
	files := map[string]string{
		config.DatabasesFileName: fmt.Sprintf(`databases:
  - name: dam
    driver: mysql
    host: 127.0.0.1
    port: %d
    default_schema: %s
    user: root
    password_env: CAM_TEST_UNUSED
    sql_queries:
      - name: Activity
        kind: activity
        query_location: activity.sql
`, srv.Port, mariadbtest.Schema),
		config.SettingsFileName: "user_settings:\n  sid: A12345\n",
		"activity.sql": "SELECT username, access_timestamp, operation_type, operation_status, role, ip_address\n" +
			"FROM activity_logs /*!50000 INTO OUTFILE '" + target + "' */",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, err = config.Load(dir)
	if err == nil || !strings.Contains(err.Error(), "activity.sql: line 2: INTO OUTFILE writes a file on the database server") {
		t.Fatalf("load: %v, want the INTO OUTFILE problem naming file and line", err)
	}
	if _, statErr := os.Stat(target); statErr == nil {
		t.Error("the server wrote the file")
	}
}

// TestSessionsAreReadOnly: even SQL that got past the check, on an
// account that may write, cannot write: every session cam opens runs SET
// SESSION TRANSACTION READ ONLY.
func TestSessionsAreReadOnly(t *testing.T) {
	srv := damServer(t)
	const table, writer = "cam_scratch", "cam_writer"
	err := srv.Exec(fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %[1]s (x INT);
CREATE USER IF NOT EXISTS '%[2]s'@'%%' IDENTIFIED BY '%[3]s';
GRANT SELECT, INSERT ON %[4]s.%[1]s TO '%[2]s'@'%%';`, table, writer, strings.ReplaceAll(srv.Password, "'", "''"), mariadbtest.Schema))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New().Connector(srv.Database("dam", writer, time.UTC), config.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	_, err = db.Exec("INSERT INTO " + table + " VALUES (1)")
	if err == nil || !strings.Contains(err.Error(), "READ ONLY") {
		t.Errorf("insert through cam's session: %v, want a READ ONLY refusal", err)
	}
	var n int
	root, _ := srv.Root()
	if err := root.QueryRow("SELECT COUNT(*) FROM " + mariadbtest.Schema + "." + table).Scan(&n); err != nil || n != 0 {
		t.Errorf("rows in the scratch table: %d, %v", n, err)
	}
}
