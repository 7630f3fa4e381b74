package oracle

import (
	"cam/config"
	"cam/sqltext"
)

// The loader learns what an oracle entry of databases.yaml needs from the
// driver itself.
func init() { config.RegisterDriver(config.DriverOracle, &Driver{}) }

// Dialect is Oracle's: q'[...]' strings, # and $ inside names.
func (d *Driver) Dialect() sqltext.Dialect { return sqltext.DialectOracle }

// Auths are the analyst's Kerberos ticket (the default) and a password.
func (d *Driver) Auths() []string { return []string{config.AuthKerberos, config.AuthPassword} }

// OwnKeys is the TCPS wallet, which only Oracle reads.
func (d *Driver) OwnKeys() []string { return []string{"wallet"} }

// Validate requires the listener's address and the service name, and the
// variable holding the password of a password login.
func (d *Driver) Validate(db config.Database) []config.Problem {
	probs := config.RequireAddress(db)
	if db.ServiceName == "" {
		probs = append(probs, config.Problem{Field: "service_name", Message: "is required for an oracle database"})
	}
	if db.Conn.Auth == config.AuthPassword && db.Conn.PasswordEnv == "" {
		probs = append(probs, config.Problem{Field: "password_env",
			Message: "is required with auth: password (the name of an environment variable holding the password)"})
	}
	return probs
}
