// Command cam is the Client Activity Monitor: a terminal tool for SOC
// analysts that runs audit queries against several databases at once and
// shows which accounts were taken over. See README.md.
package main

import (
	"os"

	// Static binaries copied to a jump host may find no zoneinfo there;
	// database and business time zones must still resolve.
	_ "time/tzdata"

	"cam/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Std()))
}
