package mysql

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"

	gomysql "github.com/go-sql-driver/mysql"

	"cam/config"
)

// driverConfig turns db into the go-sql-driver configuration. The password
// is read from the environment here and lives only in the returned struct,
// never in a DSN string that could reach a log.
func driverConfig(db config.Database) (*gomysql.Config, error) {
	c := db.Conn
	cfg := gomysql.NewConfig()
	cfg.User = c.User
	cfg.DBName = db.DefaultSchema
	// DATETIME carries no zone. The driver hands it over as text and the
	// engine reads that wall clock in the database's zone, by the same
	// rule as every other driver (parseTime would label it with Loc using
	// time.Date, which leaves DST gaps and overlaps unspecified).
	cfg.ParseTime = false
	cfg.Timeout = c.ConnectTimeout
	if cfg.Timeout <= 0 {
		cfg.Timeout = config.DefaultConnectTimeout
	}
	// The driver's default logger writes to stderr, which would draw over
	// the TUI; every error it logs also comes back as a returned error.
	cfg.Logger = &gomysql.NopLogger{}
	if c.Socket != "" {
		cfg.Net, cfg.Addr = "unix", c.Socket
	} else {
		cfg.Net, cfg.Addr = "tcp", net.JoinHostPort(db.Host, strconv.Itoa(db.Port))
	}
	if c.PasswordEnv != "" {
		pw, err := config.PasswordFromEnv(db.Name, c.PasswordEnv)
		if err != nil {
			return nil, err
		}
		cfg.Passwd = pw
	}
	if c.SSL {
		t, err := tlsConfig(db)
		if err != nil {
			return nil, err
		}
		cfg.TLS = t
	}
	return cfg, nil
}

// tlsConfig builds the TLS settings of ssl, ssl_verify and ssl_ca. Without
// ssl_ca the system's roots verify the server.
func tlsConfig(db config.Database) (*tls.Config, error) {
	c := db.Conn
	t := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: db.Host}
	if !c.SSLVerify {
		// The admin chose this in databases.yaml (ssl_verify: false): the
		// link is encrypted but the server is not authenticated.
		t.InsecureSkipVerify = true
	}
	if c.SSLCA != "" {
		pem, err := os.ReadFile(c.SSLCA)
		if err != nil {
			return nil, fmt.Errorf("database %q: ssl_ca: %w", db.Name, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("database %q: ssl_ca %s holds no PEM certificate", db.Name, c.SSLCA)
		}
		t.RootCAs = pool
	}
	if t.ServerName == "" && !t.InsecureSkipVerify && c.Socket != "" {
		return nil, errors.New("database " + strconv.Quote(db.Name) + ": ssl over a socket needs host (the name in the server certificate) or ssl_verify: false")
	}
	return t, nil
}
