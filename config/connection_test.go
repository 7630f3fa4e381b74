package config

import (
	"strings"
	"testing"
	"time"
)

// withDatabase returns goodFiles with one more database entry appended.
func withDatabase(entry string) map[string]string {
	files := goodFiles()
	files["databases.yaml"] = goodDatabases + entry
	files["wallet/cwallet.sso"] = "x"
	files["ca.pem"] = "x"
	return files
}

func TestConnectionDefaultsPerDriver(t *testing.T) {
	cfg, err := Load(writeDir(t, withDatabase(`  - name: dam
    driver: mysql
    host: 127.0.0.1
    port: 3306
    user: cam_reader
    sql_queries:
      - name: Activity
        query_location: queries/activity.sql
        kind: activity
`)))
	if err != nil {
		t.Fatal(err)
	}
	sqlite, oracle, mysql := cfg.Databases[0].Conn, cfg.Databases[1].Conn, cfg.Databases[2].Conn
	if sqlite != (Connection{}) {
		t.Errorf("sqlite connection should be empty: %+v", sqlite)
	}
	if oracle.Auth != AuthKerberos || oracle.FetchSize != 1000 || oracle.ConnectTimeout != 15*time.Second || !oracle.SSLVerify {
		t.Errorf("oracle defaults: %+v", oracle)
	}
	if mysql.Auth != AuthPassword || mysql.User != "cam_reader" || mysql.PasswordEnv != "" {
		t.Errorf("mysql defaults: %+v", mysql)
	}
}

func TestConnectionKeysAreReadAndPathsResolved(t *testing.T) {
	dir := writeDir(t, withDatabase(`  - name: secure
    host: db.example.com
    port: 2484
    service_name: SEC
    fetch_size: 5000
    connect_timeout: 30s
    auth: password
    user: audit_ro
    password_env: CAM_SECURE_PASSWORD
    ssl: true
    ssl_verify: false
    wallet: wallet
    sql_queries:
      - name: Passwords
        query_location: queries/password.sql
        change_type: password
  - name: dam
    driver: mysql
    socket: /run/mysqld/mysqld.sock
    user: cam
    ssl: true
    ssl_ca: ca.pem
    sql_queries:
      - name: Activity
        query_location: queries/activity.sql
        kind: activity
`))
	cfg, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.Databases[2].Conn
	want := Connection{FetchSize: 5000, ConnectTimeout: 30 * time.Second, Auth: AuthPassword, User: "audit_ro",
		PasswordEnv: "CAM_SECURE_PASSWORD", SSL: true, SSLVerify: false, Wallet: dir + "/wallet"}
	if got != want {
		t.Errorf("oracle connection\n got %+v\nwant %+v", got, want)
	}
	my := cfg.Databases[3].Conn
	if my.Socket != "/run/mysqld/mysqld.sock" || my.SSLCA != dir+"/ca.pem" || !my.SSL {
		t.Errorf("mysql connection: %+v", my)
	}
}

func TestConnectionProblemsNameTheKey(t *testing.T) {
	_, err := Load(writeDir(t, withDatabase(`  - name: bad
    host: db.example.com
    port: 1521
    service_name: BAD
    fetch_size: 0
    connect_timeout: 100ms
    auth: password
    password_env: "hunter2 is my password"
    socket: /tmp/x.sock
    wallet: wallet
    ssl_ca: ca.pem
    ssl_verify: maybe
    sql_queries:
      - name: Passwords
        query_location: queries/password.sql
        change_type: password
  - name: my
    driver: mysql
    auth: kerberos
    fetch_size: 500
    sql_queries:
      - name: Activity
        query_location: queries/activity.sql
        kind: activity
`)))
	probs := mustProblems(t, err)
	text := probs.Error()
	if strings.Contains(text, "hunter2") {
		t.Errorf("a password put in password_env must not be echoed:\n%s", text)
	}
	for _, want := range []string{
		`"bad": fetch_size: 0 is outside 1–100000`,
		`"bad": connect_timeout: 100ms is outside 1s–10m0s`,
		`"bad": user: is required with auth: password`,
		`"bad": password_env: must name an environment variable`,
		`"bad": socket: is only used by mysql databases`,
		`"bad": wallet: is only used with ssl: true`,
		`"bad": ssl_ca: is only used by mysql databases`,
		`"bad": ssl_verify: must be true or false, got "maybe"`,
		`"my": auth: kerberos is only available for oracle databases`,
		`"my": fetch_size: is not used by mysql databases`,
		`"my": host: is required for a mysql database`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
}

func TestSQLiteRejectsConnectionKeys(t *testing.T) {
	files := goodFiles()
	files["databases.yaml"] = strings.Replace(goodDatabases, "    path: data/clients.db\n", "    path: data/clients.db\n    user: scott\n    ssl: true\n", 1)
	probs := mustProblems(t, func() error { _, err := Load(writeDir(t, files)); return err }())
	text := probs.Error()
	for _, want := range []string{`user: is not used by a sqlite database`, `ssl: is not used by a sqlite database`} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
}

func TestAuthMethodFallsBackToTheDriversDefault(t *testing.T) {
	cases := []struct {
		db   Database
		want string
	}{
		{Database{Driver: DriverOracle}, AuthKerberos},
		{Database{Driver: DriverOracle, Conn: Connection{Auth: AuthPassword}}, AuthPassword},
		{Database{Driver: DriverMySQL}, AuthPassword},
		{Database{Driver: DriverSQLite}, ""},
	}
	for _, c := range cases {
		if got := c.db.AuthMethod(); got != c.want {
			t.Errorf("%s with auth %q: AuthMethod = %q, want %q", c.db.Driver, c.db.Conn.Auth, got, c.want)
		}
	}
}
