package cli

import (
	"cam/engine"
	"cam/engine/mysql"
	"cam/engine/sqlite"
	"cam/oracle"
)

// drivers is every source driver this build knows, keyed by the driver
// name used in databases.yaml. Importing a driver's package also registers
// its rules with config, so the loader checks the entries that name it.
func drivers() map[string]engine.Driver {
	return map[string]engine.Driver{
		"sqlite": sqlite.New(),
		"oracle": oracle.New(),
		"mysql":  mysql.New(),
	}
}
