package cli

import (
	"errors"
	"fmt"
	"time"

	"cam/config"
	"cam/demo"
	"cam/internal/inert"
)

// resolveConfigDir returns the --config-dir value or the default.
func resolveConfigDir(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return config.DefaultDir()
}

// loadOrDemo loads the demo (preparing it if needed) or the configuration
// in dir (or the default directory).
func loadOrDemo(useDemo bool, dir string, io IO) (*config.Config, bool) {
	if useDemo {
		return prepareDemo(io)
	}
	return loadConfig(resolveConfigDir(dir), io)
}

// loadConfig loads dir and, on problems, prints every one of them and
// returns false.
func loadConfig(dir string, io IO) (*config.Config, bool) {
	cfg, err := config.Load(dir)
	if err != nil {
		printConfigError(err, io)
		return nil, false
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(io.Err, "cam: warning: %s\n", inert.Text(w))
	}
	return cfg, true
}

func printConfigError(err error, io IO) {
	var problems config.Problems
	if errors.As(err, &problems) {
		fmt.Fprintf(io.Err, "cam: the configuration has %d problem(s):\n", len(problems))
		for _, p := range problems {
			fmt.Fprintf(io.Err, "  %s\n", inert.Text(p.Error()))
		}
		return
	}
	fmt.Fprintf(io.Err, "cam: %s\n", inert.Text(err.Error()))
}

// prepareDemo generates (once a day) and loads the embedded demo.
func prepareDemo(io IO) (*config.Config, bool) {
	root, err := demo.DefaultCacheRoot()
	if err != nil {
		fmt.Fprintf(io.Err, "cam: demo: %s\n", inert.Text(err.Error()))
		return nil, false
	}
	dir, err := demo.Prepare(root, time.Now())
	if err != nil {
		fmt.Fprintf(io.Err, "cam: demo: preparing the demo databases in %s: %s\n", inert.Text(root), inert.Text(err.Error()))
		return nil, false
	}
	return loadConfig(dir, io)
}

// eitherDemoOrDir refuses --demo together with --config-dir, naming the
// command; it reports whether the command may go on.
func eitherDemoOrDir(name string, demo bool, dir string, io IO) bool {
	if demo && dir != "" {
		fmt.Fprintf(io.Err, "%s: use either --demo or --config-dir, not both\n", name)
		return false
	}
	return true
}
