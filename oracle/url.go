package oracle

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	go_ora "github.com/sijms/go-ora/v2"

	"cam/config"
)

// BuildURL returns the go-ora connection URL of db without any password,
// so it is safe to log. The password of password authentication is added
// only at connect time, read from the environment (see Options.PasswordEnv).
func BuildURL(db config.Database, s config.Settings, o Options) (string, error) {
	return buildURL(db, o.withDefaults(), "")
}

// buildURL maps cam's settings to go-ora URL options; password is "" except
// inside the connector.
func buildURL(db config.Database, o Options, password string) (string, error) {
	if err := o.Validate(db.Name); err != nil {
		return "", err
	}
	if db.Host == "" {
		return "", fmt.Errorf("database %q: host is empty", db.Name)
	}
	if db.Port < 1 || db.Port > 65535 {
		return "", fmt.Errorf("database %q: port %d is not between 1 and 65535", db.Name, db.Port)
	}
	if db.ServiceName == "" {
		return "", fmt.Errorf("database %q: service_name is empty", db.Name)
	}
	opts := map[string]string{
		"PREFETCH_ROWS":   strconv.Itoa(o.FetchSize),
		"CONNECT TIMEOUT": strconv.Itoa(int(math.Ceil(o.ConnectTimeout.Seconds()))),
		// DATE and TIMESTAMP values carry no zone. With UTC the driver
		// hands over their wall clock untouched (any other zone would make
		// it run time.Date, which moves a wall clock in a DST gap), and the
		// engine reads that wall clock in the database's timezone. Without
		// the option go-ora would ask the server for its offset at connect.
		"SERVER LOCATION": "UTC",
		"PROGRAM":         "cam",
	}
	user := ""
	switch o.Auth {
	case AuthKerberos:
		opts["AUTH TYPE"] = "KERBEROS"
	case AuthPassword:
		user = o.User
	}
	if o.TraceLevel > 0 {
		opts["TRACE DIR"] = TraceDir(o.TraceDir, db.Name)
	}
	if o.SSL {
		opts["SSL"] = "true"
		opts["SSL VERIFY"] = strconv.FormatBool(o.SSLVerify)
		if o.Wallet != "" {
			opts["WALLET"] = o.Wallet
		}
	}
	return go_ora.BuildUrl(db.Host, db.Port, db.ServiceName, user, password, opts), nil
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// TraceDir is where go-ora writes the trace files of one database. go-ora
// creates one file per connection in a trace directory (named by the time
// it opened), whereas a fixed trace file would be truncated by each new
// connection and written by two connections at once; so each database gets
// its own directory and each connection its own file. Trace files hold raw
// packets, row values included, so they are written only when the analyst
// sets trace_level.
func TraceDir(dir, database string) string {
	name := strings.Trim(unsafeFileChars.ReplaceAllString(database, "_"), "_")
	if name == "" {
		name = "database"
	}
	return filepath.Join(dir, "cam-oracle-"+name)
}

// password reads the password of password authentication from the
// environment. It is never stored in Options, the URL BuildURL returns, or
// any message.
func password(db string, o Options) (string, error) {
	if o.Auth != AuthPassword {
		return "", nil
	}
	return config.PasswordFromEnv(db, o.PasswordEnv)
}
