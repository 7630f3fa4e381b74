package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/knadh/koanf/v2"

	"cam/sqltext"
)

// Default column names per role, by query kind.
var defaultColumns = map[QueryKind]map[string]string{
	KindChange: {ColUser: "user_id", ColTime: "change_timestamp"},
	KindActivity: {ColUser: "username", ColTime: "access_timestamp", ColOperation: "operation_type",
		ColStatus: "operation_status", ColRole: "role", ColIP: "ip_address"},
}

func parseDatabases(k *koanf.Koanf, dir string, probs *Problems) []Database {
	const file = DatabasesFileName
	top := newSection(file, "", "", k.Raw(), probs)
	raw, ok := top.get("databases")
	top.reportUnknown()
	list, isList := raw.([]any)
	if !ok || !isList || len(list) == 0 {
		probs.add(file, "", "databases", "must be a list with at least one database")
		return nil
	}
	var dbs []Database
	names := map[string]int{}
	for i, item := range list {
		entry := fmt.Sprintf("databases[%d]", i)
		if m, isMap := item.(map[string]any); isMap {
			if n, isStr := m["name"].(string); isStr && n != "" {
				entry += fmt.Sprintf(" %q", n)
			}
		}
		s := newSection(file, entry, "", item, probs)
		db := parseDatabase(s, dir)
		if db.Name != "" {
			if prev, dup := names[db.Name]; dup {
				s.bad("name", "%q is already the name of databases[%d]; names must be unique", db.Name, prev)
			}
			names[db.Name] = i
		}
		dbs = append(dbs, db)
	}
	return dbs
}

func parseDatabase(s *section, dir string) Database {
	db := Database{
		Name:           s.str("name", ""),
		Driver:         strings.ToLower(s.str("driver", DriverOracle)),
		Host:           s.str("host", ""),
		Port:           s.integer("port", 0),
		ServiceName:    s.str("service_name", ""),
		DefaultSchema:  s.str("default_schema", ""),
		Path:           s.str("path", ""),
		Timezone:       s.str("timezone", ""),
		MaxConnections: s.integerIn("max_connections", 2),
		Written:        s.written(),
	}
	rules, known := rulesOf(db.Driver)
	dialect := sqltext.DialectStandard // an unknown driver's files are still checked
	if known {
		dialect = rules.Dialect()
	}
	db.Conn = parseConnection(s, db.Driver, rules, dir)
	db.AllowFunctions = parseAllowFunctions(s, dialect)
	db.Path = resolvePath(db.Path, dir)
	if db.Name == "" {
		s.bad("name", "is required")
	}
	switch names := DriverNames(); {
	case known:
		for _, p := range rules.Validate(db) {
			s.bad(p.Field, "%s", p.Message)
		}
	case len(names) > 0:
		s.bad("driver", "%q is not a driver (use %s)", db.Driver, orList(names))
	default:
		s.bad("driver", "%q is not a driver (this build registers none)", db.Driver)
	}
	loc, err := LoadZone(db.Timezone)
	if err != nil {
		s.bad("timezone", "%v", err)
	}
	db.Location = loc

	raw, _ := s.get("sql_queries")
	list, isList := raw.([]any)
	if !isList || len(list) == 0 {
		s.bad("sql_queries", "must list at least one query")
	}
	seen := map[string]int{}
	for i, item := range list {
		field := fmt.Sprintf("sql_queries[%d]", i)
		if m, isMap := item.(map[string]any); isMap {
			if n, isStr := m["name"].(string); isStr && n != "" {
				field += fmt.Sprintf(" %q", n)
			}
		}
		qs := newSection(s.file, s.entry, field+": ", item, s.probs)
		q := parseQuery(qs, dir, dialect, db.AllowFunctions)
		if q.Name != "" {
			if prev, dup := seen[q.Name]; dup {
				qs.bad("name", "duplicate query name (also sql_queries[%d])", prev)
			}
			seen[q.Name] = i
		}
		db.Queries = append(db.Queries, q)
	}
	s.reportUnknown()
	return db
}

// Connection defaults shared by the network drivers.
const (
	DefaultFetchSize      = 1000
	DefaultConnectTimeout = 15 * time.Second
)

// connectionKeys are the keys of how cam reaches and logs in to a
// database; a driver that logs in to nothing uses none of them.
var connectionKeys = []string{"fetch_size", "connect_timeout", "auth", "user", "password_env", "socket", "ssl", "ssl_verify", "ssl_ca", "wallet"}

// parseConnection reads the connection keys and checks that they fit the
// driver: a key that the driver would silently ignore is an error, so an
// admin never believes TLS or a wallet is in use when it is not. rules is
// nil for an unknown driver, which is reported on its own.
func parseConnection(s *section, driver string, rules DriverRules, dir string) Connection {
	var auths []string
	if rules != nil {
		auths = rules.Auths()
	}
	defaultAuth := ""
	if len(auths) > 0 {
		defaultAuth = auths[0]
	}
	c := Connection{
		FetchSize:      s.integerIn("fetch_size", DefaultFetchSize),
		ConnectTimeout: s.durationIn("connect_timeout", DefaultConnectTimeout),
		Auth:           strings.ToLower(s.str("auth", defaultAuth)),
		User:           s.str("user", ""),
		PasswordEnv:    s.str("password_env", ""),
		Socket:         s.str("socket", ""),
		SSL:            s.boolean("ssl", false),
		SSLVerify:      s.boolean("ssl_verify", true),
		SSLCA:          s.str("ssl_ca", ""),
		Wallet:         s.str("wallet", ""),
	}
	if rules == nil {
		return c
	}
	if len(auths) == 0 {
		for _, k := range connectionKeys {
			if _, set := s.get(k); set {
				s.bad(k, "is not used by a %s database", driver)
			}
		}
		return Connection{}
	}
	switch c.Auth {
	case AuthKerberos, AuthPassword:
		if !slices.Contains(auths, c.Auth) {
			users := driversWhere(func(r DriverRules) bool { return slices.Contains(r.Auths(), c.Auth) })
			s.bad("auth", "%s is only available for %s databases (use %s)", c.Auth, orList(users), defaultAuth)
		}
	default:
		s.bad("auth", "%q is not an authentication kind (use kerberos or password)", c.Auth)
	}
	switch {
	case c.Auth == AuthKerberos && (c.User != "" || c.PasswordEnv != ""):
		s.bad("auth", "is kerberos, so user and password_env are not used (set auth: password to use them)")
	case c.Auth == AuthPassword && c.User == "":
		s.bad("user", "is required with auth: password")
	}
	if c.PasswordEnv != "" && !isEnvName(c.PasswordEnv) {
		// The value is not echoed: it may be the password itself.
		s.bad("password_env", "must name an environment variable (letters, digits and _), never hold the password itself")
	}
	if c.Socket != "" && !slices.Contains(rules.OwnKeys(), "socket") {
		notOurs(s, "socket", driver)
	}
	c.Wallet = sslPath(s, "wallet", c.Wallet, driver, rules, c.SSL, dir)
	c.SSLCA = sslPath(s, "ssl_ca", c.SSLCA, driver, rules, c.SSL, dir)
	return c
}

// notOurs reports key, which driver does not read, naming the drivers
// that do.
func notOurs(s *section, key, driver string) {
	if users := owners(key); len(users) > 0 {
		s.bad(key, "is only used by %s databases", orList(users))
		return
	}
	s.bad(key, "is not used by a %s database", driver)
}

// sslPath resolves a TLS path key (a wallet directory, a CA file) and
// checks that the driver uses it, that ssl is on and that it exists.
func sslPath(s *section, key, path, driver string, rules DriverRules, ssl bool, dir string) string {
	if path == "" {
		return ""
	}
	written := path
	path = resolvePath(path, dir)
	switch {
	case !slices.Contains(rules.OwnKeys(), key):
		notOurs(s, key, driver)
	case !ssl:
		s.bad(key, "is only used with ssl: true")
	default:
		if _, err := os.Stat(path); err != nil {
			s.bad(key, "%s does not exist", written)
		}
	}
	return path
}

func isEnvName(name string) bool {
	for i, r := range name {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return name != ""
}

func parseQuery(s *section, dir string, dialect sqltext.Dialect, allow []string) Query {
	q := Query{
		Name:          s.str("name", ""),
		QueryLocation: s.str("query_location", ""),
		Kind:          QueryKind(strings.ToLower(s.str("kind", string(KindChange)))),
		ChangeType:    ChangeType(strings.ToLower(s.str("change_type", ""))),
	}
	if q.Name == "" {
		s.bad("name", "is required")
	}
	switch q.Kind {
	case KindChange:
		// Checked against detection.takeover_types once the settings
		// are read (checkChangeTypes).
		if q.ChangeType == "" {
			s.bad("change_type", "is required for a change query (one of detection.takeover_types; by default password, email, phone or token)")
		}
	case KindActivity:
		if q.ChangeType != "" {
			s.bad("change_type", "an activity query has no change_type")
			q.ChangeType = ""
		}
	default:
		s.bad("kind", "%q is not a query kind (use change or activity)", q.Kind)
	}
	q.Columns, q.TimeFormat = parseColumns(s, q.Kind)

	if q.QueryLocation == "" {
		s.bad("query_location", "is required")
	} else {
		// Messages name the file as written: the resolved path may hold
		// an expanded environment value.
		q.Path = resolvePath(q.QueryLocation, dir)
		text, err := readQueryFile(q.Path)
		if err != nil {
			s.bad("query_location", "file %s %v", q.QueryLocation, err)
		} else {
			q.SQL = text
			for _, p := range sqltext.CheckQuerySQL(q.SQL, dialect, allow) {
				s.bad("query_location", "%s: %s", q.QueryLocation, p)
			}
		}
	}
	s.reportUnknown()
	return q
}

// timeFormatKey is the one key of columns that names no column.
const timeFormatKey = "time_format"

func parseColumns(s *section, kind QueryKind) (map[string]string, TimeFormat) {
	cols := map[string]string{}
	for role, name := range defaultColumns[kind] {
		cols[role] = name
	}
	raw, ok := s.get("columns")
	if !ok {
		return cols, TimeText
	}
	cs := newSection(s.file, s.entry, s.prefix+"columns.", raw, s.probs)
	format := TimeText
	for role := range cs.m {
		if role == timeFormatKey {
			switch f := TimeFormat(strings.ToLower(cs.str(timeFormatKey, ""))); f {
			case TimeUnix, TimeUnixMs:
				format = f
			case "text", "":
			default:
				cs.bad(timeFormatKey, "%q is not a time format (use unix or unix_ms for epoch numbers; leave it out for timestamps)", f)
			}
			continue
		}
		if _, known := defaultColumns[kind][role]; !known {
			continue // reported as unknown below
		}
		if name := cs.str(role, ""); name != "" {
			cols[role] = strings.ToLower(name)
		}
	}
	cs.reportUnknown()
	return cols, format
}

// parseAllowFunctions reads allow_functions: the calls acting outside the
// query (sqltext.OutsideCalls) that this database's queries may make. A name that
// is not one of them is a problem, so a typo never leaves a call refused
// while the admin believes it allowed.
func parseAllowFunctions(s *section, d sqltext.Dialect) []string {
	names := s.strings("allow_functions", nil)
	for i, n := range names {
		names[i] = strings.ToUpper(n)
		if !sqltext.IsOutsideCall(d, names[i]) {
			s.bad(fmt.Sprintf("allow_functions[%d]", i), "%q is not a call cam refuses for a %s database (those are %s)",
				n, d, strings.Join(sqltext.OutsideCalls(d), ", "))
		}
	}
	return names
}

func relTo(dir, path string) string {
	if r, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}
