package sqlite

import (
	"database/sql/driver"
	"errors"
	"strings"

	msqlite "modernc.org/sqlite"

	"cam/sqltext"
)

// readOnly installs an SQLite authorizer on a new connection that lets a
// statement read and nothing else. mode=ro and query_only stop writes to
// the file, but not ATTACH, which creates a new database file, nor a
// PRAGMA turning query_only off; the authorizer refuses both, and every
// other action that is not reading, when the statement is compiled. The
// functions the SQL check refuses (load_extension and the like) are
// refused here too, unless the database's allow_functions names them.
func readOnly(conn driver.Conn, allow []string) error {
	reg, ok := conn.(msqlite.AuthorizerRegisterer)
	if !ok {
		return errors.New("the sqlite driver offers no authorizer; refusing to run without one")
	}
	refused := map[string]bool{}
	for _, name := range sqltext.OutsideCalls(sqltext.DialectSQLite) {
		refused[name] = true
	}
	for _, name := range allow {
		delete(refused, strings.ToUpper(name))
	}
	return reg.RegisterAuthorizer(func(action msqlite.AuthorizerActionCode, _, arg2, _, _ string) msqlite.AuthorizerReturnCode {
		switch action {
		case msqlite.AuthSelect, msqlite.AuthRead, msqlite.AuthRecursive, msqlite.AuthTransaction:
			return msqlite.AuthorizerOK
		case msqlite.AuthFunction:
			if refused[strings.ToUpper(arg2)] {
				return msqlite.AuthorizerDeny
			}
			return msqlite.AuthorizerOK
		}
		return msqlite.AuthorizerDeny
	})
}
