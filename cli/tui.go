package cli

import (
	"fmt"
	"os"
	"time"

	"cam/config"
	"cam/engine"
	"cam/internal/applog"
	"cam/internal/inert"
	"cam/session"
	"cam/tui"
)

// runTUI is `cam [--config-dir DIR]`: the TUI on the analyst's configuration.
func runTUI(args []string, io IO) int {
	fs := newFlags("cam", "cam [--config-dir DIR]", io)
	dir := configDirFlag(fs)
	if code := parseFlagsNoArgs(fs, args, "cam", io); code >= 0 {
		return code
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
	if code := parseFlagsNoArgs(fs, args, "cam demo", io); code >= 0 {
		return code
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
	audit := openAudit(cfg, logger, nil) // failures show in the TUI header
	defer audit.Close()
	logger.Info("cam started", "version", version(), "config", cfg.Dir, "demo", demo)
	removeStaleTemps(cfg, []string{cfg.Settings.App.ReportOutputDir}, logger)
	// The TUI keeps every event read, by user, for the per-user timeline
	// (t); the engine caps what it keeps (engine.DefaultUserEventsLimit),
	// and only the last run's result is held.
	eng := engine.New(engine.Options{Drivers: session.Drivers(), Logger: logger.With(applog.ModuleKey, "engine"),
		KeepUserEvents: true})
	opts := tui.Options{Config: cfg, Engine: session.EngineOf(eng), Logs: sink, Logger: logger.With(applog.ModuleKey, "tui"),
		Version: version(), Demo: demo, Audit: audit, State: true}
	if session.UsesKerberos(cfg) {
		opts.Ticket = func(oc config.OracleClient) session.TicketStatus { return session.CheckTicket(oc, time.Now()) }
		opts.Kinit = session.KinitCmd
	}
	if io.Interrupt != nil {
		sigs, stop := io.Interrupt()
		defer stop()
		opts.Signals, opts.SignalName = sigs, signalName
		opts.SecondSignal = func(s os.Signal) {
			fmt.Fprintf(io.Err, "cam: %s again: exiting at once; a run in progress is not recorded as finished\n", signalName(s))
			if io.Exit != nil {
				io.Exit(ExitIncomplete)
			}
		}
	}
	out, err := tui.Run(opts)
	if out.Signal != "" {
		logger.Info("cam stopped by signal", "signal", out.Signal, "run_cancelled", out.Cancelled)
	}
	if out.StateErr != nil {
		fmt.Fprintf(io.Err, "cam: triage state: %s\n", inert.Text(out.StateErr.Error()))
	}
	if out.AuditErr != nil {
		fmt.Fprintf(io.Err, "cam: audit trail: some actions were not recorded: %s\n", inert.Text(out.AuditErr.Error()))
	}
	// After SIGHUP the terminal is gone and reading it fails; that is the
	// signal's doing, not an error of cam's.
	if err != nil && out.Signal == "" {
		fmt.Fprintf(io.Err, "cam: %s\n", inert.Text(err.Error()))
		if !out.Cancelled {
			return 1
		}
	}
	if out.Cancelled {
		return ExitIncomplete
	}
	return ExitOK
}
