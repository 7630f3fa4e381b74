// Package oracle is cam's Oracle source: a pure-Go driver (go-ora) with
// per-database Kerberos (through krb5) or password authentication, the
// checks of an oracle entry of databases.yaml, error classification for
// the engine, and a :start_date binding that keeps DATE indexes usable.
package oracle

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"time"

	"cam/config"
	"cam/engine"
)

// CheckQuery is the trivial query `cam check` runs on each Oracle database.
const CheckQuery = "SELECT 1 FROM DUAL"

// Driver is the engine.Driver for databases with driver: oracle.
type Driver struct {
	// OptionsFor returns a database's Oracle options; nil means the
	// package's OptionsFor, which reads them from the config.
	OptionsFor func(db config.Database, s config.Settings) Options
}

var _ engine.Driver = (*Driver)(nil)

// New returns the Oracle driver taking each database's options from its
// databases.yaml entry.
func New() engine.Driver { return &Driver{} }

// NewWithOptions returns the Oracle driver taking each database's options
// from optionsFor instead of databases.yaml, for a caller (a test) that
// sets options the configuration cannot express.
func NewWithOptions(optionsFor func(db config.Database, s config.Settings) Options) *Driver {
	return &Driver{OptionsFor: optionsFor}
}

// options returns db's options.
func (d *Driver) options(db config.Database, s config.Settings) Options {
	if d.OptionsFor != nil {
		return d.OptionsFor(db, s)
	}
	return OptionsFor(db, s)
}

// Connector returns the database/sql connector of db; wrap it as needed
// and pass it to sql.OpenDB.
func (d *Driver) Connector(db config.Database, s config.Settings) (driver.Connector, error) {
	return NewConnector(db, s, d.options(db, s))
}

// Open returns a pool for db. No connection is made until first use.
func (d *Driver) Open(_ context.Context, db config.Database, s config.Settings) (*sql.DB, error) {
	c, err := d.Connector(db, s)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

// Bind rewrites :start_date into a DATE cast and binds start in db's zone.
func (d *Driver) Bind(q string, start time.Time, db config.Database) (string, []any, error) {
	return bindStart(q, start, db)
}

// Classify sorts err into an engine error class with an analyst-facing
// message.
func (d *Driver) Classify(err error, db config.Database) (engine.ErrorClass, string) {
	return classify(err, db)
}

// CheckQuery is the trivial query of `cam check` (engine.CheckQuerier).
func (d *Driver) CheckQuery() string { return CheckQuery }
