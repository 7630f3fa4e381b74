// Package config loads and validates cam's two configuration files:
// databases.yaml (admin-managed, read-only to cam) and app_settings.yaml
// (the analyst's own settings, written by cam).
package config

import "time"

// Names of the drivers cam ships, as databases.yaml writes them. An entry
// that names no driver is an oracle one; what each driver accepts is its
// own package's business (see DriverRules).
const (
	DriverOracle = "oracle"
	DriverMySQL  = "mysql"
	DriverSQLite = "sqlite"
)

// ChangeType is the kind of account change a change query reports: one of
// detection.takeover_types (by default the four below).
type ChangeType string

// The four default change types of the account-takeover rule.
const (
	ChangePassword ChangeType = "password"
	ChangeEmail    ChangeType = "email"
	ChangePhone    ChangeType = "phone"
	ChangeToken    ChangeType = "token"
)

// ChangeTypes lists the four default change types in report order: the
// default of detection.takeover_types.
var ChangeTypes = []ChangeType{ChangePassword, ChangeEmail, ChangePhone, ChangeToken}

// MaxChangeTypes is the most change types detection.takeover_types may
// list: the detection core keeps a user's types as a 16-bit mask.
const MaxChangeTypes = 16

// QueryKind says which detection rules a query's rows feed.
type QueryKind string

// Query kinds.
const (
	KindChange   QueryKind = "change"   // rows feed the account-takeover rule
	KindActivity QueryKind = "activity" // rows feed brute force, off-hours and role violation
)

// Column roles: the logical fields cam reads from a query's rows. A query's
// Columns map a role to the column name the SQL returns.
const (
	ColUser      = "user"
	ColTime      = "time"
	ColOperation = "operation"
	ColStatus    = "status"
	ColRole      = "role"
	ColIP        = "ip"
)

// Config is a loaded, validated configuration directory.
type Config struct {
	Dir           string // absolute config directory; relative paths resolve against it
	DatabasesFile string // absolute path of databases.yaml
	SettingsFile  string // absolute path of app_settings.yaml
	// SettingsStamp is app_settings.yaml as loaded, so a save can tell
	// that the file changed on disk since.
	SettingsStamp Stamp
	// EnvOverrides maps each setting an environment variable overrode
	// ("user_settings.sid") to the variable's name
	// ("CAM_USER_SETTINGS__SID"); saves leave those settings as the file
	// has them.
	EnvOverrides map[string]string
	Databases    []Database
	Settings     Settings
	// Warnings are things worth saying that do not stop a run, such as a
	// setting that is accepted but unused.
	Warnings []string
}

// UsesKerberos reports whether any database logs in with the analyst's
// Kerberos ticket, so the ticket matters to a run.
func (c *Config) UsesKerberos() bool {
	for _, db := range c.Databases {
		if db.AuthMethod() == AuthKerberos {
			return true
		}
	}
	return false
}

// Database is one entry of databases.yaml.
type Database struct {
	Name          string
	Driver        string // a registered driver's name; oracle when the entry names none
	Host          string
	Port          int
	ServiceName   string
	DefaultSchema string
	Path          string // sqlite only; absolute after loading
	Timezone      string // IANA zone of zone-less timestamps; "" or "Local" means the machine's zone
	// Location is Timezone resolved; never nil after loading.
	Location *time.Location
	// MaxConnections bounds open connections to this database (default 2).
	MaxConnections int
	// AllowFunctions are the calls acting outside the query (sleeps,
	// locks, network, files; see sqltext.OutsideCalls) that this
	// database's query files may make; upper case.
	AllowFunctions []string
	Conn           Connection
	Queries        []Query
	// Written is every key the entry sets, with its value as the admin
	// wrote it (trimmed text; paths before they are resolved), so a
	// driver's check can tell a key left out from one set to its default
	// and name a file as written.
	Written map[string]string
}

// Authentication kinds of a database's auth key.
const (
	AuthKerberos = "kerberos" // the analyst's ticket cache (oracle only; the oracle default)
	AuthPassword = "password" // user plus a password read from the environment (the mysql default)
)

// AuthMethod is how cam logs in to db: its auth key, else its driver's
// default (kerberos for oracle, password for mysql); "" for a driver that
// logs in to nothing (a sqlite file) or one this build does not know.
func (db Database) AuthMethod() string {
	rules, known := rulesOf(db.Driver)
	switch {
	case known && len(rules.Auths()) == 0:
		return ""
	case db.Conn.Auth != "":
		return db.Conn.Auth
	case known:
		return rules.Auths()[0]
	}
	return ""
}

// Connection holds how cam reaches and logs in to one database. Zero
// values mean the driver's defaults; sqlite uses none of it.
type Connection struct {
	FetchSize      int           // rows per round trip (oracle PREFETCH_ROWS); default 1000
	ConnectTimeout time.Duration // dial plus handshake; default 15s
	Auth           string        // AuthKerberos or AuthPassword
	User           string        // password auth
	// PasswordEnv names the environment variable holding the password; the
	// password itself never appears in a file cam reads or writes.
	PasswordEnv string
	Socket      string // mysql: unix socket path instead of host and port
	SSL         bool   // oracle TCPS, mysql TLS
	SSLVerify   bool   // verify the server certificate when SSL is on (default true)
	SSLCA       string // mysql: CA bundle (PEM) to verify the server with; absolute after loading
	Wallet      string // oracle: wallet directory for TCPS; absolute after loading
}

// Query is one sql_queries entry, with its SQL read from QueryLocation.
type Query struct {
	Name          string
	QueryLocation string // as written in databases.yaml
	Path          string // absolute path of the SQL file
	SQL           string // the file's text
	Kind          QueryKind
	ChangeType    ChangeType // set when Kind is KindChange
	// Columns maps a column role (ColUser, ColTime, ...) to the lower-case
	// column name the query returns; defaults are filled in by the loader.
	Columns map[string]string
	// TimeFormat is columns.time_format: how the time column is stored.
	TimeFormat TimeFormat
}

// TimeFormat is how a query's time column stores its instants.
type TimeFormat string

// Time formats. Text timestamps without a zone are wall clocks in the
// database's timezone; numbers are refused unless the query says they are
// epoch values (then they are UTC instants).
const (
	TimeText   TimeFormat = ""        // a timestamp (text, or the database's DATE/TIMESTAMP type)
	TimeUnix   TimeFormat = "unix"    // seconds since 1970-01-01 UTC
	TimeUnixMs TimeFormat = "unix_ms" // milliseconds since 1970-01-01 UTC
)

// Settings is app_settings.yaml.
type Settings struct {
	OracleClient OracleClient
	App          App
	User         User
	Detection    Detection
}

// OracleClient is the oracle_client section.
type OracleClient struct {
	InstantClientDir string // accepted for compatibility, unused: the driver is pure Go
	Krb5Conf         string
	Krb5Cache        string
	TraceLevel       int
	TraceDirectory   string
}

// App is the app_settings section.
type App struct {
	ReportOutputDir string // absolute after loading
	LogDir          string // absolute after loading
	// StateDir holds the triage state (state.db); absolute after loading,
	// default $XDG_STATE_HOME/cam, else ~/.local/state/cam.
	StateDir        string
	LogLevel        string // debug | info | warn | error
	EmailRecipients []string
	MaxConcurrency  int           // queries running at once across all databases (default 8)
	QueryTimeout    time.Duration // per query attempt (default 10m)
	MaxAttempts     int           // attempts for connection-class failures (default 3)
	Clipboard       string        // auto | osc52 | system | off
	// DisplayZone is the zone the TUI and reports show times in (IANA or
	// "Local"); "" means the business zone.
	DisplayZone string
	// DisplayLocation is DisplayZone resolved, or the business zone's
	// location; never nil after loading.
	DisplayLocation *time.Location
}

// User is the user_settings section.
type User struct {
	SID string // the analyst's SID, recorded in reports and the audit trail
}

// Detection is the detection section: thresholds and windows of the rules.
type Detection struct {
	Lookback            time.Duration // default 720h
	TakeoverWindow      time.Duration // default 24h
	BruteForceThreshold int           // default 5: more than this many failures alert
	BruteForceWindow    time.Duration // default 5m
	BusinessHoursStart  string        // "09:00"
	BusinessHoursEnd    string        // "18:00"
	BusinessTimezone    string        // IANA zone or "Local"
	GuestRoles          []string      // default [Guest]
	// TakeoverTypes are the change types the takeover rule needs, in
	// report order (default ChangeTypes); a change query's change_type is
	// one of them.
	TakeoverTypes []ChangeType
	// TakeoverMinTypes is how many of TakeoverTypes within one window flag
	// a user (default: all of them); fewer than all is a high, all a
	// critical takeover.
	TakeoverMinTypes int

	// Resolved by the loader from the strings above.
	BusinessLocation *time.Location
	BusinessStart    time.Duration // offset of BusinessHoursStart from midnight
	BusinessEnd      time.Duration // offset of BusinessHoursEnd from midnight
}
