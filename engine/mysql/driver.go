// Package mysql is cam's source for MySQL and MariaDB databases (driver:
// mysql), over go-sql-driver/mysql: password or socket logins, optional
// TLS, DATETIME values read in the database's zone, :start_date rewritten
// to the driver's "?", error classes for the engine, and cancellation that
// also stops the query on the server.
package mysql

import (
	"database/sql/driver"
	"fmt"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"cam/config"
	"cam/engine"
	"cam/sqltext"
)

// Driver implements engine.Driver for `driver: mysql`.
type Driver struct{}

var _ engine.Driver = Driver{}

// New returns the MySQL/MariaDB driver.
func New() engine.Driver { return Driver{} }

// Connector returns a connector for db. The password is read from the
// variable named by password_env now, so a missing variable fails the
// query with a message naming it.
func (Driver) Connector(db config.Database, _ config.Settings) (driver.Connector, error) {
	cfg, err := driverConfig(db)
	if err != nil {
		return nil, err
	}
	inner, err := gomysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("database %q: %w", db.Name, err)
	}
	return &connector{inner: inner, addr: address(db), timeout: cfg.Timeout}, nil
}

// Bind rewrites each :start_date outside strings and comments to "?" and
// passes start once per occurrence as a wall clock of the database's zone
// in DATETIME's text form, which MySQL compares with DATETIME columns
// without converting the column.
func (Driver) Bind(q string, start time.Time, db config.Database) (string, []any, error) {
	loc := db.Location
	if loc == nil {
		loc = time.Local
	}
	return sqltext.BindPositional(q, sqltext.DialectMySQL, start.In(loc).Format(dateTimeText))
}

// dateTimeText is MySQL's DATETIME literal form.
const dateTimeText = "2006-01-02 15:04:05"

// Classify sorts MySQL, network and connector errors into the engine's
// classes.
func (Driver) Classify(err error, db config.Database) (engine.ErrorClass, string) {
	return classify(err, db)
}
