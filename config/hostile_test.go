package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// problemsOf loads dir and returns its problems as one text.
func problemsOf(t *testing.T, dir string) string {
	t.Helper()
	done := make(chan error, 1)
	go func() { _, err := Load(dir); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("loaded without a problem")
		}
		return mustProblems(t, err).Error()
	case <-time.After(10 * time.Second):
		t.Fatal("Load hung")
	}
	return ""
}

func TestQueryFileMustBeASmallRegularFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo.sql")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, location, want string
		files                map[string]string
	}{
		{"/dev/zero", "/dev/zero", "file /dev/zero is not a regular file (a device)", nil},
		{"a FIFO", fifo, "is not a regular file (a FIFO)", nil},
		{"a directory", "queries", "file queries is not a regular file (a directory)", nil},
		{"missing", "queries/none.sql", "file queries/none.sql does not exist", nil},
		{"over 1 MiB", "queries/big.sql", "file queries/big.sql is larger than 1024 KiB",
			map[string]string{"queries/big.sql": "SELECT 1 FROM t WHERE a = '" + strings.Repeat("x", MaxQueryFileSize) + "'"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := goodFiles()
			files["databases.yaml"] = strings.Replace(goodDatabases, "queries/email.sql", c.location, 1)
			for k, v := range c.files {
				files[k] = v
			}
			if got := problemsOf(t, writeDir(t, files)); !strings.Contains(got, c.want) {
				t.Errorf("problems do not say %q:\n%s", c.want, got)
			}
		})
	}
}

// A file named by mistake may hold secrets: the problem says it is not
// SQL and quotes nothing of it.
func TestMessagesNeverEchoAWrongFilesContent(t *testing.T) {
	const secret = "Hunter2Secret"
	for name, text := range map[string]string{
		"key=value file": "user=svc_audit\npassword=" + secret + "\n",
		"password alone": secret + "\n",
		"pgpass line":    "db.example.com:5432:audit:svc:" + secret + "\n",
		"netrc":          "machine db login svc password " + secret + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			files := goodFiles()
			files["queries/email.sql"] = text
			got := problemsOf(t, writeDir(t, files))
			if strings.Contains(got, secret) || strings.Contains(got, secret[:8]) {
				t.Errorf("the problem quotes the file's secret:\n%s", got)
			}
			if !strings.Contains(got, "must start with SELECT or WITH") {
				t.Errorf("the problem does not say what is wrong:\n%s", got)
			}
		})
	}
}

func TestExcerptsAreShortAndInert(t *testing.T) {
	files := goodFiles()
	files["queries/email.sql"] = "SELECT * FROM t WHERE a = :a_very_long_parameter_name_\x1b]52;c;aGk=\a"
	got := problemsOf(t, writeDir(t, files))
	if strings.ContainsAny(got, "\x1b\a") || strings.Contains(got, "parameter_name_") {
		t.Errorf("excerpt not short and inert:\n%q", got)
	}
	if !strings.Contains(got, "bind parameter :a_very_long_par…") {
		t.Errorf("no excerpt of the parameter:\n%s", got)
	}
}

func TestExpandedEnvironmentValuesAreNeverShown(t *testing.T) {
	t.Setenv("CAM_TEST_SECRET", "s3cr3t-value")
	files := goodFiles()
	files["databases.yaml"] = strings.Replace(goodDatabases, "queries/email.sql", "queries/${CAM_TEST_SECRET}.sql", 1)
	got := problemsOf(t, writeDir(t, files))
	if strings.Contains(got, "s3cr3t-value") || !strings.Contains(got, "file queries/${CAM_TEST_SECRET}.sql does not exist") {
		t.Errorf("the message shows the expanded value or not the path as written:\n%s", got)
	}
}

func TestDatabasesFileOverTheLimitIsRefusedBeforeParsing(t *testing.T) {
	files := goodFiles()
	// Valid YAML (a comment) that would parse: the size alone refuses it.
	files["databases.yaml"] = goodDatabases + "#" + strings.Repeat("x", MaxDatabasesFileSize) + "\n"
	if got := problemsOf(t, writeDir(t, files)); !strings.Contains(got, "the limit is 10 MiB") {
		t.Errorf("an oversized databases.yaml was not refused for its size:\n%s", got)
	}
	dir := writeDir(t, goodFiles())
	os.Remove(filepath.Join(dir, DatabasesFileName))
	if err := syscall.Mkfifo(filepath.Join(dir, DatabasesFileName), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := problemsOf(t, dir); !strings.Contains(got, "is not a regular file") {
		t.Errorf("a FIFO databases.yaml: %s", got)
	}
}

func TestParseDurationDetectsOverflow(t *testing.T) {
	cases := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"30d", 30 * Day, ""},
		{"106751d", 106751 * Day, ""},
		{"106752d", 0, "too long"},
		{"213504d", 0, "too long"},
		{"99999999999999999999d", 0, "too long"},
		{"9999999999h", 0, "too long"},
		{"-5d", 0, "not a duration"},
		{"5", 0, "not a duration"},
		{"hm", 0, "not a duration"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			d, err := ParseDuration(c.in)
			switch {
			case c.err == "" && (err != nil || d != c.want):
				t.Errorf("got %v %v, want %v", d, err, c.want)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Errorf("got %v %v, want an error saying %q", d, err, c.err)
			}
		})
	}
}

func TestDurationsAndCountsOutsideTheirRangeNameTheField(t *testing.T) {
	cases := []struct{ name, settings, want string }{
		{"lookback overflow", "detection:\n  lookback: 213504d\n", `detection.lookback: "213504d" is too long`},
		{"lookback just over", "detection:\n  lookback: 106752d\n", `detection.lookback: "106752d" is too long`},
		{"lookback too long", "detection:\n  lookback: 4000d\n", "detection.lookback: 4000d is outside 1h0m0s–3660d"},
		{"lookback zero", "detection:\n  lookback: 0s\n", "detection.lookback: 0s is outside"},
		{"negative window", "detection:\n  takeover_window: -5m\n", "detection.takeover_window: -5m0s is outside 1m0s–366d"},
		{"brute force window", "detection:\n  brute_force_window: 2d\n", "detection.brute_force_window: 2d is outside 1s–1d"},
		{"query timeout", "app_settings:\n  query_timeout: 0s\n", "app_settings.query_timeout: 0s is outside 1s–1d"},
		{"concurrency", "app_settings:\n  max_concurrency: 100000\n", "app_settings.max_concurrency: 100000 is outside 1–256"},
		{"attempts", "app_settings:\n  max_attempts: 0\n", "app_settings.max_attempts: 0 is outside 1–10"},
		{"threshold", "detection:\n  brute_force_threshold: -1\n", "detection.brute_force_threshold: -1 is outside 1–1000000"},
		{"trace level", "oracle_client:\n  trace_level: 99\n", "oracle_client.trace_level: 99 is outside 0–16"},
		{"huge count", "app_settings:\n  max_concurrency: 99999999999999999999999\n", "app_settings.max_concurrency: \"1e+23\" is too large"},
		{"huge count as text", "app_settings:\n  max_attempts: \"99999999999999999999999\"\n", "app_settings.max_attempts: \"99999999999999999999999\" is too large"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := goodFiles()
			files["app_settings.yaml"] = "user_settings:\n  sid: A12345\n" + c.settings
			if got := problemsOf(t, writeDir(t, files)); !strings.Contains(got, c.want) {
				t.Errorf("problems do not say %q:\n%s", c.want, got)
			}
		})
	}
	files := withDatabase("    max_connections: 1000\n    connect_timeout: 1h\n")
	got := problemsOf(t, writeDir(t, files))
	for _, want := range []string{"max_connections: 1000 is outside 1–100", "connect_timeout: 1h0m0s is outside 1s–10m0s"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems do not say %q:\n%s", want, got)
		}
	}
}

func TestAllowFunctionsKey(t *testing.T) {
	files := goodFiles()
	files["queries/password.sql"] = "SELECT user_id, change_timestamp FROM pw WHERE DBMS_LOCK.SLEEP(0) IS NULL"
	if got := problemsOf(t, writeDir(t, files)); !strings.Contains(got, "DBMS_LOCK.SLEEP sleeps or takes locks") {
		t.Fatalf("a DBMS_LOCK call passed without allow_functions:\n%s", got)
	}
	files["databases.yaml"] = strings.Replace(goodDatabases, "    service_name: ACC\n", "    service_name: ACC\n    allow_functions: [dbms_lock.sleep]\n", 1)
	cfg, err := Load(writeDir(t, files))
	if err != nil {
		t.Fatalf("allow_functions did not permit the call: %v", err)
	}
	if got := cfg.Databases[1].AllowFunctions; len(got) != 1 || got[0] != "DBMS_LOCK.SLEEP" {
		t.Errorf("AllowFunctions = %v", got)
	}
	files["databases.yaml"] = strings.Replace(goodDatabases, "    service_name: ACC\n", "    service_name: ACC\n    allow_functions: [SLEEP]\n", 1)
	if got := problemsOf(t, writeDir(t, files)); !strings.Contains(got, `allow_functions[0]: "SLEEP" is not a call cam refuses for a oracle database`) {
		t.Errorf("a MySQL function in an Oracle entry's allow_functions was accepted:\n%s", got)
	}
}
