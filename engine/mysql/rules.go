package mysql

import (
	"cam/config"
	"cam/sqltext"
)

// The loader learns what a mysql entry of databases.yaml needs from the
// driver itself.
func init() { config.RegisterDriver(config.DriverMySQL, Driver{}) }

// Dialect is MySQL's: # comments, backslash escapes, executable comments.
func (Driver) Dialect() sqltext.Dialect { return sqltext.DialectMySQL }

// Auths is a password login only.
func (Driver) Auths() []string { return []string{config.AuthPassword} }

// OwnKeys are the unix socket and the CA file, which only MySQL reads.
func (Driver) OwnKeys() []string { return []string{"socket", "ssl_ca"} }

// Validate requires host and port unless a socket is given, and refuses
// fetch_size, which this driver has no use for.
func (Driver) Validate(db config.Database) []config.Problem {
	var probs []config.Problem
	if db.IsSet("fetch_size") {
		probs = append(probs, config.Problem{Field: "fetch_size",
			Message: "is not used by mysql databases (their rows stream as they are read)"})
	}
	if db.Conn.Socket == "" {
		probs = append(probs, config.RequireAddress(db)...)
	}
	return probs
}
