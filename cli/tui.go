package cli

import (
	"fmt"
	"os/exec"
	"time"

	"cam/config"
	"cam/engine"
	"cam/internal/inert"
	"cam/oracle"
	"cam/tui"
)

// runTUI is `cam [--config-dir DIR]`: the TUI on the analyst's configuration.
func runTUI(args []string, io IO) int {
	fs := newFlags("cam", "cam [--config-dir DIR]", io)
	dir := configDirFlag(fs)
	positional, code := parseFlags(fs, args, io)
	if code >= 0 {
		return code
	}
	if len(positional) > 0 {
		fmt.Fprintf(io.Err, "cam: unexpected argument %q\n", positional[0])
		return ExitUsage
	}
	cfg, ok := loadConfig(resolveConfigDir(*dir), io)
	if !ok {
		return ExitUsage
	}
	return startTUI(cfg, false, io)
}

// runDemo is `cam demo`: the TUI on the embedded demo databases.
func runDemo(args []string, io IO) int {
	fs := newFlags("demo", "cam demo", io)
	positional, code := parseFlags(fs, args, io)
	if code >= 0 {
		return code
	}
	if len(positional) > 0 {
		fmt.Fprintf(io.Err, "cam demo: unexpected argument %q\n", positional[0])
		return ExitUsage
	}
	cfg, ok := prepareDemo(io)
	if !ok {
		return ExitUsage
	}
	return startTUI(cfg, true, io)
}

func startTUI(cfg *config.Config, demo bool, io IO) int {
	sink := tui.NewLogSink()
	logger, closer, err := openLog(cfg, "tui", sink)
	if err != nil {
		fmt.Fprintf(io.Err, "cam: %s\n", inert.Text(err.Error()))
		return ExitUsage
	}
	defer closer.Close()
	audit := openAudit(cfg, logger)
	defer audit.Close()
	logger.Info("cam started", "version", version(), "config", cfg.Dir, "demo", demo)
	eng := engine.New(engine.Options{Drivers: drivers(), Logger: logger.WithPrefix("engine")})
	opts := tui.Options{Config: cfg, Engine: tui.EngineOf(eng), Logs: sink, Version: version(), Demo: demo, Audit: audit}
	if oracle.UsesKerberos(cfg) {
		opts.Ticket = func(oc config.OracleClient) oracle.TicketState {
			now := time.Now()
			t, err := oracle.CheckTicket(oc.Krb5Conf, oc.Krb5Cache, now)
			return oracle.AssessTicket(t, err, now, time.Local)
		}
		opts.Kinit = func(oc config.OracleClient, principal string) (*exec.Cmd, error) {
			return oracle.KinitCmd(oc.Krb5Conf, oc.Krb5Cache, principal)
		}
	}
	err = tui.Run(opts)
	if err != nil {
		fmt.Fprintf(io.Err, "cam: %s\n", inert.Text(err.Error()))
		return 1
	}
	return ExitOK
}
