package mysql

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cam/config"
	"cam/engine"
)

func TestDriverConfigFromDatabase(t *testing.T) {
	t.Setenv("CAM_TEST_DAM_PW", "s3cret-value")
	tokyo := mustZone(t, "Asia/Tokyo")
	db := config.Database{Name: "dam", Driver: "mysql", Host: "db.example.com", Port: 3307, DefaultSchema: "dam",
		Location: tokyo, Conn: config.Connection{User: "auditor", PasswordEnv: "CAM_TEST_DAM_PW",
			ConnectTimeout: 7 * time.Second, SSL: true, SSLVerify: true}}
	cfg, err := driverConfig(db)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Net != "tcp" || cfg.Addr != "db.example.com:3307" || cfg.DBName != "dam" || cfg.User != "auditor" {
		t.Errorf("address/login: net %s addr %s db %s user %s", cfg.Net, cfg.Addr, cfg.DBName, cfg.User)
	}
	if cfg.Passwd != "s3cret-value" {
		t.Error("password not taken from password_env")
	}
	if cfg.ParseTime {
		t.Error("parseTime is on: DATETIME must arrive as text for the engine to read in the database's zone")
	}
	if cfg.Timeout != 7*time.Second {
		t.Errorf("dial timeout %s, want connect_timeout 7s", cfg.Timeout)
	}
	if cfg.TLS == nil || cfg.TLS.InsecureSkipVerify || cfg.TLS.ServerName != "db.example.com" {
		t.Errorf("TLS %+v: want verification against the host name", cfg.TLS)
	}
}

func TestDriverConfigSocketAndNoVerify(t *testing.T) {
	db := config.Database{Name: "local", Location: time.UTC,
		Conn: config.Connection{User: "auditor", Socket: "/run/mysqld/mysqld.sock", SSL: true, SSLVerify: false}}
	cfg, err := driverConfig(db)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Net != "unix" || cfg.Addr != "/run/mysqld/mysqld.sock" {
		t.Errorf("net %s addr %s, want the socket", cfg.Net, cfg.Addr)
	}
	if cfg.Passwd != "" {
		t.Error("a password without password_env")
	}
	if cfg.TLS == nil || !cfg.TLS.InsecureSkipVerify {
		t.Errorf("ssl_verify: false must skip verification, TLS %+v", cfg.TLS)
	}
}

func TestSSLCAThatIsNotPEMIsNamed(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := config.Database{Name: "dam", Host: "db", Port: 3306, Location: time.UTC,
		Conn: config.Connection{User: "u", SSL: true, SSLVerify: true, SSLCA: ca}}
	_, err := Driver{}.Connector(db, config.Settings{})
	if err == nil || !strings.Contains(err.Error(), ca) || !strings.Contains(err.Error(), `"dam"`) {
		t.Errorf("err = %v, want one naming the database and %s", err, ca)
	}
}

// TestMissingPasswordVariableIsAuth: the message names the variable so the
// analyst knows what to export, and the run does not retry it.
func TestMissingPasswordVariableIsAuth(t *testing.T) {
	os.Unsetenv("CAM_TEST_UNSET_PW")
	db := config.Database{Name: "dam", Host: "db", Port: 3306, Location: time.UTC,
		Conn: config.Connection{User: "u", PasswordEnv: "CAM_TEST_UNSET_PW"}}
	_, err := Driver{}.Connector(db, config.Settings{})
	if err == nil {
		t.Fatal("no error for an unset password_env")
	}
	class, msg := Driver{}.Classify(err, db)
	if class != engine.ClassAuth || !strings.Contains(msg, "CAM_TEST_UNSET_PW") {
		t.Errorf("class %s, message %q", class, msg)
	}
}
