package sqlite

import (
	"fmt"
	"os"

	"cam/config"
	"cam/sqltext"
)

// The loader learns what a sqlite entry of databases.yaml needs from the
// driver itself.
func init() { config.RegisterDriver(config.DriverSQLite, Driver{}) }

// Dialect is SQLite's, the standard one.
func (Driver) Dialect() sqltext.Dialect { return sqltext.DialectSQLite }

// Auths is none: a file needs no login, so no connection key applies.
func (Driver) Auths() []string { return nil }

// OwnKeys is none.
func (Driver) OwnKeys() []string { return nil }

// Validate requires path, naming the file as written when it is missing.
func (Driver) Validate(db config.Database) []config.Problem {
	if db.Path == "" {
		return []config.Problem{{Field: "path", Message: "is required for a sqlite database"}}
	}
	if _, err := os.Stat(db.Path); err != nil {
		return []config.Problem{{Field: "path", Message: fmt.Sprintf("file %s does not exist", db.Written["path"])}}
	}
	return nil
}
