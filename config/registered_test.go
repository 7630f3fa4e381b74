package config_test

// The loader's tests read entries of every driver cam ships; the drivers
// register their rules with config when their packages initialise.
import (
	_ "cam/engine/mysql"
	_ "cam/engine/sqlite"
	_ "cam/oracle"
)
