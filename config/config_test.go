package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeDir writes files (name → text) into a new temp config dir.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const goodDatabases = `databases:
  - name: clients
    driver: sqlite
    path: data/clients.db
    timezone: Europe/London
    sql_queries:
      - name: Email
        query_location: queries/email.sql
        change_type: email
        columns: {user: CLIENT_ID}
      - name: Activity
        query_location: queries/activity.sql
        kind: activity
  - name: accounts
    host: db.example.com
    port: 1521
    service_name: ACC
    sql_queries:
      - name: Passwords
        query_location: queries/password.sql
        change_type: password
`

func goodFiles() map[string]string {
	return map[string]string{
		"databases.yaml":       goodDatabases,
		"app_settings.yaml":    "user_settings:\n  sid: A12345\n",
		"data/clients.db":      "",
		"queries/email.sql":    "-- emails\nSELECT client_id, change_timestamp FROM email_changes WHERE change_timestamp >= :start_date;\n",
		"queries/activity.sql": "SELECT username, access_timestamp FROM activity_logs WHERE status IN ('DELETE', ':x');",
		"queries/password.sql": "WITH p AS (SELECT * FROM pw) SELECT user_id, change_timestamp FROM p",
	}
}

func mustProblems(t *testing.T, err error) Problems {
	t.Helper()
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("want Problems, got %v", err)
	}
	return probs
}

func TestLoadGoodConfigAppliesDefaultsAndResolvesPaths(t *testing.T) {
	dir := writeDir(t, goodFiles())
	cfg, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Databases) != 2 {
		t.Fatalf("databases: %d", len(cfg.Databases))
	}
	clients, accounts := cfg.Databases[0], cfg.Databases[1]
	if clients.Path != filepath.Join(dir, "data", "clients.db") || clients.Location.String() != "Europe/London" {
		t.Errorf("clients: path %s zone %s", clients.Path, clients.Location)
	}
	if accounts.Driver != DriverOracle || accounts.Location != time.Local || accounts.MaxConnections != 2 {
		t.Errorf("accounts defaults: %+v", accounts)
	}
	email := clients.Queries[0]
	if email.Columns[ColUser] != "client_id" || email.Columns[ColTime] != "change_timestamp" || email.Kind != KindChange {
		t.Errorf("email query: %+v", email)
	}
	act := clients.Queries[1]
	if act.Kind != KindActivity || act.Columns[ColOperation] != "operation_type" || act.Columns[ColIP] != "ip_address" {
		t.Errorf("activity query: %+v", act)
	}
	s := cfg.Settings
	if s.App.ReportOutputDir != filepath.Join(dir, "reports") || s.App.MaxConcurrency != 8 || s.App.QueryTimeout != 10*time.Minute ||
		s.App.MaxAttempts != 3 || s.App.Clipboard != "auto" {
		t.Errorf("app defaults: %+v", s.App)
	}
	d := s.Detection
	if d.Lookback != 720*time.Hour || d.TakeoverWindow != 24*time.Hour || d.BruteForceThreshold != 5 ||
		d.BruteForceWindow != 5*time.Minute || d.BusinessStart != 9*time.Hour || d.BusinessEnd != 18*time.Hour ||
		d.BusinessLocation != time.Local || len(d.GuestRoles) != 1 || d.GuestRoles[0] != "Guest" {
		t.Errorf("detection defaults: %+v", d)
	}
}

func TestLoadListsEveryProblemWithFileEntryAndField(t *testing.T) {
	files := goodFiles()
	files["databases.yaml"] = `databases:
  - name: clients
    driver: sqlite
    sql_queries:
      - name: Email
        query_location: queries/email.sql
        change_type: colour
      - name: Email
        query_location: queries/missing.sql
        change_type: email
  - name: clients
    driver: postgres
    sql_queries:
      - name: Del
        query_location: queries/delete.sql
        change_type: phone
        colums: {user: x}
  - name: ora
    sql_queries:
      - name: Two
        query_location: queries/two.sql
        change_type: token
`
	files["queries/delete.sql"] = "DELETE FROM users"
	files["queries/two.sql"] = "SELECT 1 FROM dual; SELECT 2 FROM dual"
	files["app_settings.yaml"] = `user_settings:
  sid: ab
app_settings:
  email_recipients: [soc@example.com, not-an-address]
  log_levle: debug
detection:
  lookback: forever
  business_hours_start: "18:00"
  business_hours_end: "09:00"
  business_timezone: Mars/Olympus
`
	_, err := Load(writeDir(t, files))
	probs := mustProblems(t, err)
	want := []string{
		`databases.yaml: databases[0] "clients": path: is required for a sqlite database`,
		`databases.yaml: databases[0] "clients": sql_queries[0] "Email": change_type: "colour" is not a change type`,
		`databases.yaml: databases[0] "clients": sql_queries[1] "Email": name: duplicate query name`,
		`databases.yaml: databases[0] "clients": sql_queries[1] "Email": query_location: file queries/missing.sql does not exist`,
		`databases.yaml: databases[1] "clients": name: "clients" is already the name of databases[0]`,
		`databases.yaml: databases[1] "clients": driver: "postgres" is not a driver`,
		`databases.yaml: databases[1] "clients": sql_queries[0] "Del": query_location: queries/delete.sql: line 1: the statement must start with SELECT or WITH`,
		`databases.yaml: databases[1] "clients": sql_queries[0] "Del": colums: unknown key`,
		`databases.yaml: databases[2] "ora": host: is required for a oracle database`,
		`databases.yaml: databases[2] "ora": service_name: is required`,
		`databases.yaml: databases[2] "ora": sql_queries[0] "Two": query_location: queries/two.sql: line 1: only one statement is allowed`,
		`app_settings.yaml: user_settings.sid: "ab" is not a SID`,
		`app_settings.yaml: app_settings.email_recipients[1]: "not-an-address" is not an email address`,
		`app_settings.yaml: app_settings.log_levle: unknown key`,
		`app_settings.yaml: detection.lookback: "forever" is not a duration`,
		`app_settings.yaml: detection.business_hours_end: 09:00 must be after business_hours_start 18:00`,
		`app_settings.yaml: detection.business_timezone: "Mars/Olympus" is not a time zone`,
	}
	text := probs.Error()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("missing problem %q", w)
		}
	}
	if t.Failed() {
		t.Logf("got:\n%s", text)
	}
}

func TestMissingDatabasesFileSuggestsInit(t *testing.T) {
	_, err := Load(t.TempDir())
	probs := mustProblems(t, err)
	if len(probs) == 0 || !strings.Contains(probs[0].Message, "cam init") {
		t.Errorf("problems: %v", probs)
	}
}

func TestInvalidYAMLNamesTheFile(t *testing.T) {
	files := goodFiles()
	files["app_settings.yaml"] = "user_settings: [unclosed\n"
	_, err := Load(writeDir(t, files))
	if probs := mustProblems(t, err); !strings.HasPrefix(probs.Error(), "app_settings.yaml: not valid YAML") {
		t.Errorf("got %v", probs)
	}
}

func TestEnvironmentOverridesSettings(t *testing.T) {
	dir := writeDir(t, goodFiles())
	t.Setenv("CAM_USER_SETTINGS__SID", "B99999")
	t.Setenv("CAM_DETECTION__LOOKBACK", "7d")
	t.Setenv("CAM_APP_SETTINGS__EMAIL_RECIPIENTS", "a@example.com, b@example.com")
	t.Setenv("CAM_CONFIG_DIR", dir) // not a setting: ignored
	cfg, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Settings.User.SID != "B99999" || cfg.Settings.Detection.Lookback != 7*24*time.Hour ||
		len(cfg.Settings.App.EmailRecipients) != 2 {
		t.Errorf("overrides not applied: %+v", cfg.Settings)
	}
	t.Setenv("CAM_DETECTION__LOOKBAK", "1h")
	_, err = Load(dir)
	if probs := mustProblems(t, err); !strings.Contains(probs.Error(), "CAM_DETECTION__LOOKBAK: environment override for unknown setting detection.lookbak") {
		t.Errorf("got %v", probs)
	}
}

func TestInstantClientDirIsAWarningNotAnError(t *testing.T) {
	files := goodFiles()
	files["app_settings.yaml"] = "oracle_client:\n  instant_client_dir: /opt/oracle\n  krb5_cache: /tmp/krb5cc_${UID}\nuser_settings:\n  sid: A12345\n"
	cfg, err := Load(writeDir(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "instant_client_dir is unused") {
		t.Errorf("warnings: %v", cfg.Warnings)
	}
	if strings.Contains(cfg.Settings.OracleClient.Krb5Cache, "$") {
		t.Errorf("krb5_cache not expanded: %s", cfg.Settings.OracleClient.Krb5Cache)
	}
}

func TestSaveSettingsKeepsOtherSectionsAndComments(t *testing.T) {
	files := goodFiles()
	files["app_settings.yaml"] = `# my settings
oracle_client:
  krb5_cache: /tmp/krb5cc_${UID}   # keep me
user_settings:
  sid: A12345 # analyst
team_notes:
  owner: someone
`
	dir := writeDir(t, files)
	// An extra section is an unknown key for Load, so save the file directly.
	path := filepath.Join(dir, "app_settings.yaml")
	s := Settings{User: User{SID: "C77777"}, App: App{ReportOutputDir: filepath.Join(dir, "reports"), EmailRecipients: []string{"soc@example.com"}}}
	s.OracleClient.Krb5Cache = resolvePath("/tmp/krb5cc_${UID}", dir)
	if err := SaveSettings(path, s); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	text := string(data)
	for _, want := range []string{"# my settings", "krb5cc_${UID}", "# keep me", "sid: C77777", "# analyst", "team_notes:", "owner: someone", "report_output_dir: reports", "soc@example.com"} {
		if !strings.Contains(text, want) {
			t.Errorf("saved file lacks %q:\n%s", want, text)
		}
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temp file left behind: %s", e.Name())
		}
	}
}

func TestSaveSettingsRoundTripsThroughLoad(t *testing.T) {
	dir := writeDir(t, goodFiles())
	cfg, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Settings.User.SID = "D4444"
	cfg.Settings.App.EmailRecipients = []string{"x@example.com"}
	if err := SaveSettings(cfg.SettingsFile, cfg.Settings); err != nil {
		t.Fatal(err)
	}
	again, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.Settings.User.SID != "D4444" || again.Settings.App.EmailRecipients[0] != "x@example.com" ||
		again.Settings.App.ReportOutputDir != cfg.Settings.App.ReportOutputDir {
		t.Errorf("round trip: %+v", again.Settings)
	}
}

func TestSaveSettingsFailureLeavesOldFile(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir := writeDir(t, goodFiles())
	path := filepath.Join(dir, "app_settings.yaml")
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.Chmod(dir, 0o700) }() // lets TempDir clean up
	err := SaveSettings(path, Settings{User: User{SID: "E5555"}})
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("want an error naming %s, got %v", path, err)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "A12345") {
		t.Errorf("old file changed: %s", data)
	}
}

func TestStarterPassesLoadAndNeverOverwrites(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cam")
	if err := WriteStarter(dir, "A12345"); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(dir)
	if err != nil {
		t.Fatalf("starter does not load: %v", err)
	}
	if len(cfg.Databases) != 2 || cfg.Databases[0].Queries[1].Columns[ColUser] != "client_id" {
		t.Errorf("starter databases: %+v", cfg.Databases)
	}
	st, _ := os.Stat(dir)
	if st.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v", st.Mode().Perm())
	}
	if err := WriteStarter(dir, "A12345"); err == nil || !strings.Contains(err.Error(), "databases.yaml") {
		t.Errorf("second WriteStarter: %v", err)
	}
}

func TestFieldValidators(t *testing.T) {
	for _, ok := range []string{"A12345", "abcde", "Z123456789"} {
		if err := ValidateSID(ok); err != nil {
			t.Errorf("SID %q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "abcd", "A1234567890", "A-1234", "A1234 "} {
		if ValidateSID(bad) == nil {
			t.Errorf("SID %q accepted", bad)
		}
	}
	if ValidateEmails([]string{"soc@example.com", "Bob <bob@example.com>"}) == nil {
		t.Error("display-name address accepted")
	}
	if d, err := ParseDuration("30d"); err != nil || d != 720*time.Hour {
		t.Errorf("30d = %v, %v", d, err)
	}
	if ValidateDuration("0s") == nil || ValidateClock("25:00") == nil || ValidateZone("Nowhere/City") == nil {
		t.Error("bad value accepted")
	}
}
