package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"cam/config"
	"cam/engine"
	"cam/report"
)

// runRun is `cam run`: the headless analysis for cron and scripts.
func runRun(args []string, io IO) int {
	fs := newFlags("run", "cam run [--config-dir DIR | --demo] [--last-event-time T] [--json] [--quiet]", io)
	dir := configDirFlag(fs)
	useDemo := fs.Bool("demo", false, "run on the embedded demo databases")
	lastEvent := fs.String("last-event-time", "", "anchor the takeover window to end at T (RFC 3339 or \"YYYY-MM-DD HH:MM[:SS]\" local time); empty = sliding over the lookback")
	asJSON := fs.Bool("json", false, "print exactly one JSON document on stdout")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	positional, code := parseFlags(fs, args, io)
	if code >= 0 {
		return code
	}
	if len(positional) > 0 {
		fmt.Fprintf(io.Err, "cam run: unexpected argument %q\n", positional[0])
		return ExitUsage
	}
	if *useDemo && *dir != "" {
		fmt.Fprintln(io.Err, "cam run: use either --demo or --config-dir, not both")
		return ExitUsage
	}
	anchor, err := engine.ParseLastEventTime(*lastEvent, time.Local)
	if err != nil {
		fmt.Fprintf(io.Err, "cam run: --last-event-time: %v\n", err)
		return ExitUsage
	}

	var cfg *config.Config
	var ok bool
	if *useDemo {
		cfg, ok = prepareDemo(io)
	} else {
		cfg, ok = loadConfig(resolveConfigDir(*dir), io)
	}
	if !ok {
		return ExitUsage
	}
	logger, closer, err := openLog(cfg, nil)
	if err != nil {
		fmt.Fprintf(io.Err, "cam run: %v\n", err)
		return ExitUsage
	}
	defer closer.Close()

	eng := engine.New(engine.Options{Drivers: drivers(), Logger: logger})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	run, err := eng.Start(ctx, engine.Request{Config: cfg, LastEventTime: anchor})
	if err != nil {
		fmt.Fprintf(io.Err, "cam run: %v\n", err)
		return ExitUsage
	}
	logger.Info("run started", "run", run.ID(), "sid", cfg.Settings.User.SID, "mode", modeOf(anchor))

	if io.Interrupt != nil {
		sig, stop := io.Interrupt()
		defer stop()
		go func() {
			select {
			case <-sig:
				run.Cancel()
			case <-ctx.Done():
			}
		}()
	}

	progress := newProgress(io.Err, *quiet)
	var result engine.Result
	for ev := range run.Events() {
		progress.show(ev)
		if fin, ok := ev.(engine.RunFinished); ok {
			result = fin.Result
		}
	}
	progress.done()

	findings := len(result.Findings.Alerts) + len(result.Findings.Takeovers)
	logger.Info("run finished", "run", result.RunID, "complete", result.Complete,
		"suspicious_users", len(result.Findings.Takeovers), "alerts", len(result.Findings.Alerts))
	if *asJSON {
		doc := report.NewDocument(result, cfg.Settings.User.SID, nil)
		if err := doc.Write(io.Out); err != nil {
			fmt.Fprintf(io.Err, "cam run: writing JSON: %v\n", err)
			return ExitIncomplete
		}
	} else {
		printSummary(io.Out, result)
	}
	switch {
	case !result.Complete:
		return ExitIncomplete
	case findings > 0:
		return ExitFindings
	default:
		return ExitOK
	}
}

func modeOf(anchor *time.Time) engine.Mode {
	if anchor != nil {
		return engine.ModeAnchored
	}
	return engine.ModeSliding
}

// isTerminal reports whether w is a terminal (for the live progress line).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
