package oracle

import (
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sijms/go-ora/v2/configurations"

	"cam/config"
)

func parseURL(t *testing.T, raw string) (*url.URL, url.Values) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("BuildURL gave an unparsable URL %q: %v", raw, err)
	}
	return u, u.Query()
}

func TestBuildURLDefaultsToKerberosAndLargeFetchSize(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	db := testDB
	db.Timezone, db.Location = "America/New_York", ny
	raw, err := BuildURL(db, config.Settings{}, DefaultOptions(config.Settings{}))
	if err != nil {
		t.Fatal(err)
	}
	u, q := parseURL(t, raw)
	if u.Host != "db.cam.test:1521" || u.Path != "/CLIENT_AUDIT" {
		t.Errorf("address %s%s, want db.cam.test:1521/CLIENT_AUDIT", u.Host, u.Path)
	}
	want := map[string]string{"PREFETCH_ROWS": "1000", "AUTH TYPE": "KERBEROS",
		"SERVER LOCATION": "UTC", "CONNECT TIMEOUT": "15"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	// go-ora itself must accept every option we send.
	cfg, err := configurations.ParseConfig(raw)
	if err != nil {
		t.Fatalf("go-ora rejects the URL: %v", err)
	}
	if cfg.PrefetchRows != 1000 || cfg.ConnectTimeout != 15*time.Second || !slices.Contains(cfg.AuthService, "KERBEROS5") {
		t.Errorf("go-ora read prefetch %d, timeout %s, auth services %v", cfg.PrefetchRows, cfg.ConnectTimeout, cfg.AuthService)
	}
	if cfg.DatabaseInfo.Location != "UTC" {
		t.Errorf("go-ora server location %q", cfg.DatabaseInfo.Location)
	}
}

func TestBuildURLMapsOptions(t *testing.T) {
	o := DefaultOptions(config.Settings{OracleClient: config.OracleClient{TraceLevel: 2, TraceDirectory: "/var/log/cam"}})
	o.FetchSize = 5000
	o.ConnectTimeout = 2500 * time.Millisecond
	o.Auth, o.User, o.PasswordEnv = AuthPassword, "auditor", "CAM_PW"
	db := testDB
	db.Name = "EU audit/prod"
	raw, err := BuildURL(db, config.Settings{}, o)
	if err != nil {
		t.Fatal(err)
	}
	u, q := parseURL(t, raw)
	if q.Get("PREFETCH_ROWS") != "5000" {
		t.Errorf("PREFETCH_ROWS = %q", q.Get("PREFETCH_ROWS"))
	}
	if q.Get("CONNECT TIMEOUT") != "3" {
		t.Errorf("CONNECT TIMEOUT = %q, want 3 (rounded up to whole seconds)", q.Get("CONNECT TIMEOUT"))
	}
	if q.Has("AUTH TYPE") {
		t.Error("password auth must not ask for Kerberos")
	}
	if u.User.Username() != "auditor" {
		t.Errorf("user = %q", u.User.Username())
	}
	if pw, set := u.User.Password(); set && pw != "" {
		t.Errorf("BuildURL put a password in the URL: %q", pw)
	}
	if got, want := q.Get("TRACE DIR"), filepath.Join("/var/log/cam", "cam-oracle-EU_audit_prod"); got != want {
		t.Errorf("TRACE DIR = %q, want %q", got, want)
	}
}

func TestBuildURLKeepsPasswordOutEvenWhenSet(t *testing.T) {
	t.Setenv("CAM_PW", "hunter2-secret")
	o := DefaultOptions(config.Settings{})
	o.Auth, o.User, o.PasswordEnv = AuthPassword, "auditor", "CAM_PW"
	raw, err := BuildURL(testDB, config.Settings{}, o)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(raw, "hunter2") {
		t.Fatalf("password in URL %q", raw)
	}
	c, err := NewConnector(testDB, config.Settings{}, o)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.url, url.PathEscape("hunter2-secret")) || strings.Contains(c.safeURL, "hunter2") {
		t.Error("the connector must use the password and keep the safe URL free of it")
	}
}

func TestBuildURLNoTraceWhenLevelZero(t *testing.T) {
	o := DefaultOptions(config.Settings{OracleClient: config.OracleClient{TraceDirectory: "/tmp"}})
	raw, _ := BuildURL(testDB, config.Settings{}, o)
	if _, q := parseURL(t, raw); q.Has("TRACE DIR") || q.Has("TRACE FILE") {
		t.Error("trace file set although trace_level is 0")
	}
}

func TestBuildURLTLSWallet(t *testing.T) {
	o := DefaultOptions(config.Settings{})
	o.SSL, o.Wallet = true, "/etc/cam/wallet"
	raw, err := BuildURL(testDB, config.Settings{}, o)
	if err != nil {
		t.Fatal(err)
	}
	_, q := parseURL(t, raw)
	if q.Get("SSL") != "true" || q.Get("SSL VERIFY") != "true" || q.Get("WALLET") != "/etc/cam/wallet" {
		t.Errorf("TLS options = %v", q)
	}
}

// go-ora must hand over DATE wall clocks untouched whatever the
// database's zone: the engine, not the driver, reads them in that zone.
func TestDateWallClocksAreReadInUTCByTheDriver(t *testing.T) {
	for _, zone := range []string{"", "Local", "America/New_York", "Asia/Kolkata"} {
		t.Run("timezone "+zone, func(t *testing.T) {
			db := testDB
			db.Timezone = zone
			if zone != "" {
				db.Location, _ = time.LoadLocation(zone)
			}
			raw, _ := BuildURL(db, config.Settings{}, Options{})
			if _, q := parseURL(t, raw); q.Get("SERVER LOCATION") != "UTC" {
				t.Errorf("SERVER LOCATION = %q, want UTC", q.Get("SERVER LOCATION"))
			}
		})
	}
}

func TestBuildURLRejectsBadSettings(t *testing.T) {
	ok := DefaultOptions(config.Settings{})
	cases := []struct {
		name string
		db   func(*config.Database)
		o    func(*Options)
		want string
	}{
		{"fetch size", nil, func(o *Options) { o.FetchSize = -5 }, "fetch_size -5"},
		{"timeout", nil, func(o *Options) { o.ConnectTimeout = time.Millisecond }, "connect_timeout"},
		{"auth", nil, func(o *Options) { o.Auth = "ntlm" }, `auth "ntlm"`},
		{"user", nil, func(o *Options) { o.Auth = AuthPassword; o.PasswordEnv = "X" }, "needs user"},
		{"password env", nil, func(o *Options) { o.Auth = AuthPassword; o.User = "u" }, "password_env"},
		{"trace dir", nil, func(o *Options) { o.TraceLevel = 1 }, "trace_directory"},
		{"wallet", nil, func(o *Options) { o.Wallet = "/w" }, "ssl"},
		{"host", func(d *config.Database) { d.Host = "" }, nil, "host"},
		{"port", func(d *config.Database) { d.Port = 70000 }, nil, "port 70000"},
		{"service", func(d *config.Database) { d.ServiceName = "" }, nil, "service_name"},
	}
	for _, c := range cases {
		db, o := testDB, ok
		if c.db != nil {
			c.db(&db)
		}
		if c.o != nil {
			c.o(&o)
		}
		_, err := BuildURL(db, config.Settings{}, o)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), `"audit"`) {
			t.Errorf("%s: err = %v, want it to name the database and %q", c.name, err, c.want)
		}
	}
}

func TestDefaultSchemaMustBePlainIdentifier(t *testing.T) {
	db := testDB
	db.DefaultSchema = "audit; DROP TABLE x"
	if _, err := NewConnector(db, config.Settings{}, Options{}); err == nil || !strings.Contains(err.Error(), "default_schema") {
		t.Fatalf("err = %v, want a default_schema error", err)
	}
	db.DefaultSchema = "audit_owner"
	c, err := NewConnector(db, config.Settings{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.schema != "AUDIT_OWNER" {
		t.Errorf("schema = %q, want AUDIT_OWNER", c.schema)
	}
}

func TestConnectorSetsKerberosPerDatabase(t *testing.T) {
	o := DefaultOptions(config.Settings{OracleClient: config.OracleClient{Krb5Cache: "FILE:/tmp/a", Krb5Conf: "/etc/a.conf"}})
	c, err := NewConnector(testDB, config.Settings{}, o)
	if err != nil {
		t.Fatal(err)
	}
	if c.auth == nil || c.auth.Krb5Cache != "FILE:/tmp/a" || c.auth.Krb5Conf != "/etc/a.conf" {
		t.Errorf("authenticator = %+v", c.auth)
	}
	var _ configurations.KerberosAuthInterface = c.auth
}

func TestOptionsForTakesDatabaseKeysAndAnalystSettings(t *testing.T) {
	db := testDB
	db.Conn = config.Connection{FetchSize: 5000, ConnectTimeout: 40 * time.Second, Auth: config.AuthPassword,
		User: "audit_ro", PasswordEnv: "CAM_PW", SSL: true, SSLVerify: false, Wallet: "/etc/cam/wallet"}
	s := config.Settings{OracleClient: config.OracleClient{Krb5Cache: "FILE:/tmp/cc", TraceLevel: 1, TraceDirectory: "/tmp/trace"}}
	o := OptionsFor(db, s)
	want := Options{FetchSize: 5000, ConnectTimeout: 40 * time.Second, Auth: AuthPassword, User: "audit_ro",
		PasswordEnv: "CAM_PW", TraceLevel: 1, TraceDir: "/tmp/trace", Krb5Cache: "FILE:/tmp/cc",
		SSL: true, SSLVerify: false, Wallet: "/etc/cam/wallet"}
	if o != want {
		t.Errorf("OptionsFor\n got %+v\nwant %+v", o, want)
	}
	// A database with no connection keys keeps the defaults.
	if got := OptionsFor(testDB, config.Settings{}); got != DefaultOptions(config.Settings{}) {
		t.Errorf("empty Conn: got %+v", got)
	}
}
