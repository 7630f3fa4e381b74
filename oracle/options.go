package oracle

import (
	"fmt"
	"time"

	"cam/config"
)

// AuthKind is how cam authenticates to one Oracle database.
type AuthKind string

// Authentication kinds accepted for a database's auth key.
const (
	// AuthKerberos uses the analyst's Kerberos ticket cache (the default).
	AuthKerberos AuthKind = "kerberos"
	// AuthPassword uses a user name and a password read from an
	// environment variable at connect time.
	AuthPassword AuthKind = "password"
)

// Defaults for Options.
const (
	// DefaultFetchSize is rows per round trip; the driver's own default of
	// 25 makes audit scans over a WAN take many times longer.
	DefaultFetchSize = config.DefaultFetchSize
	// DefaultConnectTimeout bounds dialling and the TNS handshake.
	DefaultConnectTimeout = config.DefaultConnectTimeout
)

// Options are the Oracle-specific settings of one database, taken from
// databases.yaml and app_settings.yaml by OptionsFor; DefaultOptions gives
// the values used when a key is absent.
type Options struct {
	FetchSize      int           // rows per round trip (PREFETCH_ROWS)
	ConnectTimeout time.Duration // dial plus handshake; whole seconds are sent to the driver
	Auth           AuthKind      // kerberos (default) or password
	User           string        // password auth only
	PasswordEnv    string        // password auth only: environment variable holding the password
	TraceLevel     int           // > 0 writes one driver trace file per database
	TraceDir       string        // directory of the trace files
	Krb5Conf       string        // krb5.conf path; "" means KRB5_CONFIG, then /etc/krb5.conf
	Krb5Cache      string        // credential cache; "" means KRB5CCNAME, then /tmp/krb5cc_<uid>
	SSL            bool          // TCPS instead of TCP
	SSLVerify      bool          // verify the server certificate when SSL is on
	Wallet         string        // wallet directory (cwallet.sso or ewallet.p12) for TCPS
}

// DefaultOptions returns the options of a database that sets no Oracle
// keys of its own, taking Kerberos and trace settings from app_settings.
func DefaultOptions(s config.Settings) Options {
	return Options{
		FetchSize:      DefaultFetchSize,
		ConnectTimeout: DefaultConnectTimeout,
		Auth:           AuthKerberos,
		TraceLevel:     s.OracleClient.TraceLevel,
		TraceDir:       s.OracleClient.TraceDirectory,
		Krb5Conf:       s.OracleClient.Krb5Conf,
		Krb5Cache:      s.OracleClient.Krb5Cache,
		SSLVerify:      true,
	}
}

// OptionsFor returns db's options as databases.yaml and app_settings.yaml
// give them: the database's connection keys, and the Kerberos and trace
// settings of the analyst.
func OptionsFor(db config.Database, s config.Settings) Options {
	o := DefaultOptions(s)
	c := db.Conn
	if c.FetchSize > 0 {
		o.FetchSize = c.FetchSize
	}
	if c.ConnectTimeout > 0 {
		o.ConnectTimeout = c.ConnectTimeout
	}
	if c.Auth != "" {
		o.Auth = AuthKind(c.Auth)
	}
	o.User = c.User
	o.PasswordEnv = c.PasswordEnv
	o.SSL = c.SSL
	o.SSLVerify = c.SSLVerify || !c.SSL
	o.Wallet = c.Wallet
	return o
}

// withDefaults fills zero values so a partly filled Options still works.
func (o Options) withDefaults() Options {
	if o.FetchSize == 0 {
		o.FetchSize = DefaultFetchSize
	}
	if o.ConnectTimeout == 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.Auth == "" {
		o.Auth = AuthKerberos
	}
	return o
}

// Validate reports the first option that cannot work, naming the database
// and the key as written in databases.yaml. The loader refuses such
// entries already (see rules.go); this guards Options built in code, as
// tests and NewWithOptions do.
func (o Options) Validate(db string) error {
	switch {
	case o.FetchSize < 1 || o.FetchSize > 100000:
		return fmt.Errorf("database %q: fetch_size %d must be between 1 and 100000", db, o.FetchSize)
	case o.ConnectTimeout < time.Second:
		return fmt.Errorf("database %q: connect_timeout %s must be at least 1s", db, o.ConnectTimeout)
	case o.Auth != AuthKerberos && o.Auth != AuthPassword:
		return fmt.Errorf("database %q: auth %q must be kerberos or password", db, o.Auth)
	case o.Auth == AuthPassword && o.User == "":
		return fmt.Errorf("database %q: auth password needs user", db)
	case o.Auth == AuthPassword && o.PasswordEnv == "":
		return fmt.Errorf("database %q: auth password needs password_env (the name of an environment variable)", db)
	case o.TraceLevel < 0:
		return fmt.Errorf("database %q: trace_level %d must not be negative", db, o.TraceLevel)
	case o.TraceLevel > 0 && o.TraceDir == "":
		return fmt.Errorf("database %q: trace_level %d needs trace_directory", db, o.TraceLevel)
	case o.Wallet != "" && !o.SSL:
		return fmt.Errorf("database %q: wallet is only used with ssl: true", db)
	}
	return nil
}
