package demo

// The demo's databases.yaml names the sqlite driver, whose rules the
// loader learns when the driver's package initialises.
import _ "cam/engine/sqlite"
