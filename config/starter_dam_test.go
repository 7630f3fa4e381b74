package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDAMStarterLoadsAsOneMySQLActivitySource: the --dam starter loads
// without problems, reads the password from a variable, ships the activity
// query, and puts business hours in the DAM's zone.
func TestDAMStarterLoadsAsOneMySQLActivitySource(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cam")
	if err := WriteDAMStarter(dir, "A12345"); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(dir)
	if err != nil {
		t.Fatalf("DAM starter does not load: %v", err)
	}
	if len(cfg.Databases) != 1 {
		t.Fatalf("%d databases, want 1", len(cfg.Databases))
	}
	db := cfg.Databases[0]
	if db.Driver != DriverMySQL || db.Conn.Auth != AuthPassword || db.Conn.PasswordEnv == "" || db.DefaultSchema != "dam" {
		t.Errorf("database: driver %s, auth %s, password_env %q, schema %q", db.Driver, db.Conn.Auth, db.Conn.PasswordEnv, db.DefaultSchema)
	}
	if len(db.Queries) != 1 || db.Queries[0].Kind != KindActivity || !strings.Contains(db.Queries[0].SQL, "attempted_username") {
		t.Errorf("queries: %+v", db.Queries)
	}
	if got := cfg.Settings.Detection.BusinessLocation.String(); got != db.Location.String() || got != "Europe/London" {
		t.Errorf("business zone %s, database zone %s: both must be Europe/London", got, db.Location)
	}
	if cfg.Settings.User.SID != "A12345" {
		t.Errorf("sid %q", cfg.Settings.User.SID)
	}
	st, err := os.Stat(filepath.Join(dir, "queries", "mysql", "activity.sql"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("activity query: %v, mode %v", err, st)
	}
	if err := WriteDAMStarter(dir, "A12345"); err == nil || !strings.Contains(err.Error(), "databases.yaml") {
		t.Errorf("second WriteDAMStarter: %v, want a refusal naming databases.yaml", err)
	}
}
