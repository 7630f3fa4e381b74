package cli

import (
	"cam/engine"
	"cam/engine/mysql"
	"cam/engine/sqlite"
	"cam/oracle"
)

// drivers is every source driver this build knows, keyed by the driver
// name used in databases.yaml.
func drivers() map[string]engine.Driver {
	return map[string]engine.Driver{
		"sqlite": sqlite.New(),
		"oracle": oracle.New(),
		"mysql":  mysql.New(),
	}
}
