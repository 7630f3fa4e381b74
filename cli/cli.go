// Package cli is cam's command line: it parses arguments, wires the
// configuration, engine, drivers and TUI together, and maps outcomes to exit
// codes. main.go only calls Main.
package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"cam/internal/inert"
)

// Exit codes shared by every command; scripts rely on them.
const (
	ExitOK         = 0 // success; for `cam run`: complete, no open unsuppressed alert
	ExitFindings   = 1 // `cam run`: complete, open unsuppressed alerts exist
	ExitUsage      = 2 // usage or configuration error
	ExitIncomplete = 3 // `cam run`: a query failed or the run was cancelled
	ExitCheckFail  = 4 // `cam check`: a database failed its check
)

// IO is where a command reads and writes; tests replace it.
type IO struct {
	In        io.Reader
	Out       io.Writer
	Err       io.Writer
	Getenv    func(string) string
	Interrupt func() (<-chan os.Signal, func()) // SIGINT, SIGTERM, SIGHUP notifications and a stop func
	Exit      func(code int)                    // ends the process at once (a second signal); nil in tests
}

// Std is the process's real standard streams and environment.
func Std() IO {
	return IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv,
		Interrupt: notifyCancelSignals, Exit: os.Exit,
	}
}

// command is one subcommand of cam.
type command struct {
	name    string
	summary string
	run     func(args []string, io IO) int
}

func commands() []command {
	return []command{
		{"demo", "start the TUI on the embedded demo databases", runDemo},
		{"run", "run the analysis headless (for cron and scripts)", runRun},
		{"watch", "run headless on a schedule, emitting only new alerts (NDJSON)", runWatch},
		{"check", "validate the configuration", runCheck},
		{"init", "write a starter configuration directory", runInit},
		{"triage", "alert status, notes and suppressions (list, set, suppress, history)", runTriage},
		{"history", "list past runs and findings per day", runHistory},
		{"version", "print the version", runVersion},
	}
}

// Main runs cam with args (without the program name) and returns the exit
// code.
func Main(args []string, io IO) int {
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "-help", "--help":
			usage(io.Out)
			return ExitOK
		}
		for _, c := range commands() {
			if c.name == args[0] {
				return c.run(args[1:], io)
			}
		}
		if !strings.HasPrefix(args[0], "-") {
			fmt.Fprintf(io.Err, "cam: unknown command %q\n\n", args[0])
			usage(io.Err)
			return ExitUsage
		}
	}
	return runTUI(args, io)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "cam — Client Activity Monitor")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  cam [--config-dir DIR]      start the TUI on your configuration")
	for _, c := range commands() {
		fmt.Fprintf(w, "  cam %-23s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run `cam COMMAND --help` for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 open alerts (run), 2 usage or configuration error, 3 incomplete run, 4 database check failed.")
}

// newFlags returns a flag set that reports errors instead of exiting. A
// command without flags prints no "Flags:" heading.
func newFlags(name, synopsis string, io IO) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Err)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s\n", synopsis)
		any := false
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprint(fs.Output(), "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlagsNoArgs is parseFlags for a command that takes no positional
// argument: one is refused as a usage error, named (inertly) after name.
func parseFlagsNoArgs(fs *flag.FlagSet, args []string, name string, io IO) int {
	positional, code := parseFlags(fs, args, io)
	if code >= 0 {
		return code
	}
	if len(positional) > 0 {
		fmt.Fprintf(io.Err, "%s: unexpected argument %q\n", name, inert.Text(positional[0]))
		return ExitUsage
	}
	return -1
}

// parseFlags parses args allowing flags after positional arguments
// (`cam init DIR --sid X`). It returns the positional arguments and an exit
// code, or -1 to go on.
func parseFlags(fs *flag.FlagSet, args []string, io IO) ([]string, int) {
	var positional []string
	// The flag package prints usage itself on -h and on a bad flag; it goes
	// to a buffer first, so help lands on stdout (exit 0) once and an
	// error on stderr (exit 2).
	var said bytes.Buffer
	defer fs.SetOutput(fs.Output())
	fs.SetOutput(&said)
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				_, _ = io.Out.Write(said.Bytes()) // nowhere left to report a failed write
				return nil, ExitOK
			}
			_, _ = io.Err.Write(said.Bytes())
			return nil, ExitUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, -1
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// configDirFlag registers --config-dir with its environment default.
func configDirFlag(fs *flag.FlagSet) *string {
	return fs.String("config-dir", "", "configuration directory (default $CAM_CONFIG_DIR, else $XDG_CONFIG_HOME/cam)")
}
