package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"cam/engine"
	"cam/internal/applog"
	"cam/internal/inert"
	"cam/report"
	"cam/session"
)

// runRun is `cam run`: the headless analysis for cron and scripts.
func runRun(args []string, io IO) int {
	fs := newFlags("run", "cam run [--config-dir DIR | --demo] [--last-event-time T] [--since-last] [--json | --format json|ndjson] [--all] [--export xlsx,csv] [--out DIR] [--mailto] [--quiet]", io)
	dir := configDirFlag(fs)
	useDemo := fs.Bool("demo", false, "run on the embedded demo databases")
	lastEvent := fs.String("last-event-time", "", "anchor the takeover window to end at T (RFC 3339 or \"YYYY-MM-DD HH:MM[:SS]\" local time); empty = sliding over the lookback")
	asJSON := fs.Bool("json", false, "print exactly one JSON document on stdout")
	all := fs.Bool("all", false, "with --json: include resolved and suppressed alerts, which are otherwise left out")
	sinceLast := fs.Bool("since-last", false, "read only what is new since the last complete run and merge with its stored findings (sliding mode; a configuration change runs in full)")
	format := fs.String("format", "", "stdout format: json (as --json) or ndjson (one Elastic Common Schema object per alert per line)")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	exportList := fs.String("export", "", "write reports: a comma-separated list of xlsx, csv, eml")
	outDir := fs.String("out", "", "directory for --export (default app_settings report_output_dir)")
	mailto := fs.Bool("mailto", false, "print a mailto: link to the configured recipients (in the JSON as \"mailto\" with --json)")
	dev := newDevFlags(fs)
	if code := parseFlagsNoArgs(fs, args, "cam run", io); code >= 0 {
		return code
	}
	if !eitherDemoOrDir("cam run", *useDemo, *dir, io) {
		return ExitUsage
	}
	asNDJSON, ok := parseRunFormat(*format, asJSON, io)
	if !ok {
		return ExitUsage
	}
	anchor, err := engine.ParseLastEventTime(*lastEvent, time.Local)
	if err != nil {
		fmt.Fprintf(io.Err, "cam run: --last-event-time: %s\n", inert.Text(err.Error()))
		return ExitUsage
	}
	if *sinceLast && anchor != nil {
		fmt.Fprintln(io.Err, "cam run: --since-last works in sliding mode only; drop --last-event-time")
		return ExitUsage
	}
	var formats []string
	if *exportList != "" {
		if formats, err = report.ParseFormats(*exportList); err != nil {
			fmt.Fprintf(io.Err, "cam run: --export: %s\n", inert.Text(err.Error()))
			return ExitUsage
		}
	} else if *outDir != "" {
		fmt.Fprintln(io.Err, "cam run: --out needs --export (e.g. --export xlsx,csv)")
		return ExitUsage
	}

	cfg, ok := loadOrDemo(*useDemo, *dir, io)
	if !ok {
		return ExitUsage
	}
	reportDir := cfg.Settings.App.ReportOutputDir
	if *outDir != "" {
		reportDir = *outDir
	}
	if len(formats) > 0 {
		// Find an unusable report directory now, not after a long run.
		if err := os.MkdirAll(reportDir, 0o700); err != nil {
			fmt.Fprintf(io.Err, "cam run: report directory: %s\n", inert.Text(err.Error()))
			return ExitUsage
		}
	}
	logger, closer, err := openLog(cfg, "cli", nil)
	if err != nil {
		fmt.Fprintf(io.Err, "cam run: %s\n", inert.Text(err.Error()))
		return ExitUsage
	}
	defer closer.Close()
	audit := openAudit(cfg, logger, io.Err)
	defer audit.Close()
	removeStaleTemps(cfg, []string{cfg.Settings.App.ReportOutputDir, reportDir}, logger)

	if err := dev.start(); err != nil {
		fmt.Fprintf(io.Err, "cam run: %v\n", err)
		return ExitUsage
	}
	defer dev.stopCPU(io.Err)
	eng := engine.New(dev.engineOptions(engine.Options{Drivers: session.Drivers(), Logger: logger.With(applog.ModuleKey, "engine")}))
	sess := session.New(session.Options{Config: cfg, Engine: session.EngineOf(eng), Trail: audit, Version: version()})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancelling ctx cancels the run: partial JSON, queries killed on the
	// servers, run_finished audited with the signal, exit 3.
	sigs := watchSignals(io, "cam run", cancel)
	defer sigs.Stop()
	// Without its state the run still happens and its findings still go
	// out; only the triage is missing, which makes the run incomplete.
	stateFailed := false
	if _, err := sess.OpenState(); err != nil {
		stateFailed = true
		fmt.Fprintf(io.Err, "cam run: triage state: %s; running without it (alerts are not recorded, exit 3)\n", inert.Text(err.Error()))
		logger.Error("triage state unavailable", "dir", cfg.Settings.App.StateDir, "err", err)
	}
	defer func() {
		if err := sess.CloseState(); err != nil {
			logger.Warn("closing the triage state", "err", err)
		}
	}()
	h := headlessRun{sess: sess, audit: audit, logger: logger, quiet: *quiet, signal: sigs.Signal, io: io}
	out, code := h.run(ctx, session.StartOptions{LastEventTime: anchor, SinceLast: *sinceLast}, *sinceLast)
	if code >= 0 {
		return code
	}
	if out.stateErr != nil && !errors.Is(out.stateErr, session.ErrNoState) {
		stateFailed = true
		fmt.Fprintf(io.Err, "cam run: triage state: %s; the findings below are not recorded\n", inert.Text(out.stateErr.Error()))
		logger.Error("run not recorded in the triage state", "err", out.stateErr)
	}
	result := out.Result
	lookup := out.Lookup()
	open := out.OpenAlerts()
	if out.Triage == nil {
		open = len(result.Findings.Alerts) + len(result.Findings.Takeovers)
	}
	if *dev.stats {
		h.printRowStats(out)
	}

	outputBegan := time.Now()
	defer func() { dev.finish(io.Err, result, time.Since(outputBegan)) }()
	var reports []string
	exportFailed := false
	if len(formats) > 0 {
		view := report.FullView(result)
		view.Triage = lookup
		reports, err = sess.Export(reportDir, formats, result, view, sess.Meta())
		if err != nil {
			// The findings still go out below; only the files are missing.
			fmt.Fprintf(io.Err, "cam run: %s\n", inert.Text(err.Error()))
			logger.Error("export failed", "dir", reportDir, "err", err)
			exportFailed = true
		} else {
			logger.Info("reports written", "files", len(reports), "dir", reportDir)
		}
		audit.Flush()
	}
	var link string
	if *mailto {
		if len(cfg.Settings.App.EmailRecipients) == 0 {
			fmt.Fprintf(io.Err, "cam run: --mailto: no email_recipients in %s; the link has no recipient\n", inert.Text(cfg.SettingsFile))
		}
		link = sess.MailLink(result, reports)
		audit.Flush()
	}
	if asNDJSON {
		opts := report.NDJSONOptions{SID: cfg.Settings.User.SID, RunID: out.Summary.ID, Triage: lookup}
		if lookup != nil && !*all {
			// As with --json: resolved and suppressed alerts only with --all.
			alerts := result.Findings.Alerts
			opts.Keep = func(i int) bool {
				st, ok := lookup(&alerts[i])
				return !ok || st.Open()
			}
		}
		if err := report.WriteNDJSON(io.Out, result, opts); err != nil {
			fmt.Fprintf(io.Err, "cam run: writing NDJSON: %s\n", inert.Text(err.Error()))
			return ExitIncomplete
		}
	} else if *asJSON {
		var err error
		if lookup != nil {
			err = report.WriteJSONTriage(io.Out, result, cfg.Settings.User.SID, reports, link, lookup, *all)
		} else {
			err = report.WriteJSON(io.Out, result, cfg.Settings.User.SID, reports, link)
		}
		if err != nil {
			fmt.Fprintf(io.Err, "cam run: writing JSON: %s\n", inert.Text(err.Error()))
			return ExitIncomplete
		}
	} else {
		printSummary(io.Out, result)
		if out.Triage != nil {
			printTriageCounts(io.Out, out.Triage.Counts())
		}
		for _, p := range reports {
			fmt.Fprintf(io.Out, "report: %s\n", inert.Text(p))
		}
		if link != "" {
			fmt.Fprintf(io.Out, "mail: %s\n", inert.Text(link))
		}
	}
	switch {
	case !result.Complete, exportFailed, audit.Failed(), stateFailed:
		return ExitIncomplete
	case open > 0: // open, unsuppressed alerts

		return ExitFindings
	default:
		return ExitOK
	}
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
