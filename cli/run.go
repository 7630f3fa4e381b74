package cli

import (
	"context"
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
	fs := newFlags("run", "cam run [--config-dir DIR | --demo] [--last-event-time T] [--json | --format json|ndjson] [--export xlsx,csv] [--out DIR] [--mailto] [--quiet]", io)
	dir := configDirFlag(fs)
	useDemo := fs.Bool("demo", false, "run on the embedded demo databases")
	lastEvent := fs.String("last-event-time", "", "anchor the takeover window to end at T (RFC 3339 or \"YYYY-MM-DD HH:MM[:SS]\" local time); empty = sliding over the lookback")
	asJSON := fs.Bool("json", false, "print exactly one JSON document on stdout")
	format := fs.String("format", "", "stdout format: json (as --json) or ndjson (one Elastic Common Schema object per alert per line)")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	exportList := fs.String("export", "", "write reports: a comma-separated list of xlsx, csv, eml")
	outDir := fs.String("out", "", "directory for --export (default app_settings report_output_dir)")
	mailto := fs.Bool("mailto", false, "print a mailto: link to the configured recipients (in the JSON as \"mailto\" with --json)")
	dev := newDevFlags(fs)
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
	asNDJSON, ok := parseRunFormat(*format, asJSON, io)
	if !ok {
		return ExitUsage
	}
	anchor, err := engine.ParseLastEventTime(*lastEvent, time.Local)
	if err != nil {
		fmt.Fprintf(io.Err, "cam run: --last-event-time: %s\n", inert.Text(err.Error()))
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
	run, err := sess.Start(ctx, anchor)
	if err != nil {
		fmt.Fprintf(io.Err, "cam run: %s\n", inert.Text(err.Error()))
		return ExitUsage
	}
	// The trail reports failures on its own goroutine; waiting for it
	// after each record keeps its messages and ours from interleaving.
	audit.Flush()
	logger.Info("run started", "run", run.ID(), "sid", cfg.Settings.User.SID, "mode", run.Mode())

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
	run.Finish(result, sigs.Signal())
	audit.Flush()

	outputBegan := time.Now()
	defer func() { dev.finish(io.Err, result, time.Since(outputBegan)) }()
	var reports []string
	exportFailed := false
	if len(formats) > 0 {
		reports, err = sess.Export(reportDir, formats, result, report.FullView(result), sess.Meta())
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
		if err := report.WriteNDJSON(io.Out, result, report.NDJSONOptions{SID: cfg.Settings.User.SID}); err != nil {
			fmt.Fprintf(io.Err, "cam run: writing NDJSON: %s\n", inert.Text(err.Error()))
			return ExitIncomplete
		}
	} else if *asJSON {
		if err := report.WriteJSON(io.Out, result, cfg.Settings.User.SID, reports, link); err != nil {
			fmt.Fprintf(io.Err, "cam run: writing JSON: %s\n", inert.Text(err.Error()))
			return ExitIncomplete
		}
	} else {
		printSummary(io.Out, result)
		for _, p := range reports {
			fmt.Fprintf(io.Out, "report: %s\n", inert.Text(p))
		}
		if link != "" {
			fmt.Fprintf(io.Out, "mail: %s\n", inert.Text(link))
		}
	}
	switch {
	case !result.Complete, exportFailed, audit.Failed():
		return ExitIncomplete
	case findings > 0:
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
