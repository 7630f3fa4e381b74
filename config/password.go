package config

import (
	"fmt"
	"os"
)

// PasswordFromEnv reads the password of database db from the environment
// variable named by its password_env key, at connect time. Drivers keep it
// only in memory; it never reaches a file, a DSN string or a message.
func PasswordFromEnv(db, envVar string) (string, error) {
	pw, ok := os.LookupEnv(envVar)
	if !ok || pw == "" {
		return "", &PasswordEnvError{Database: db, Var: envVar}
	}
	return pw, nil
}

// PasswordEnvError says a database's password variable is unset: an
// authentication problem the analyst fixes in their shell, so drivers
// classify it as auth and the engine does not retry it. It names the
// variable, never a value.
type PasswordEnvError struct {
	Database string
	Var      string
}

func (e *PasswordEnvError) Error() string {
	return fmt.Sprintf("database %q: environment variable %s (password_env) is not set; export it before starting cam", e.Database, e.Var)
}
