package session

import (
	"cam/engine"
	"cam/engine/mysql"
	"cam/engine/sqlite"
	"cam/oracle"
)

// Drivers is every source driver this build knows, keyed by the driver
// name used in databases.yaml. Registration lives here so that the front
// ends reach no driver directly.
func Drivers() map[string]engine.Driver {
	return map[string]engine.Driver{
		"sqlite": sqlite.New(),
		"oracle": oracle.New(),
		"mysql":  mysql.New(),
	}
}
