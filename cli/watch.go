package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"cam/engine"
	"cam/internal/applog"
	"cam/internal/inert"
	"cam/report"
	"cam/session"
)

// minEvery keeps a mistyped --every (15s for 15m) from hammering the
// databases.
const minEvery = 10 * time.Second

// runWatch is `cam watch`: headless runs on a schedule, emitting only
// what is new. It stops on SIGINT or SIGTERM (exit 0, the audit trail
// finished); it exits 2 when it cannot start (flags, configuration,
// state, output file) and 3 when the audit trail failed while it ran.
func runWatch(args []string, io IO) int {
	fs := newFlags("watch", "cam watch [--every 15m] [--config-dir DIR | --demo] [--ndjson FILE|-]", io)
	dir := configDirFlag(fs)
	useDemo := fs.Bool("demo", false, "watch the embedded demo databases")
	every := fs.Duration("every", 15*time.Minute, "how often a run is due (Go duration: 15m, 1h)")
	ndjsonOut := fs.String("ndjson", "", "append each run's new alerts as NDJSON in Elastic Common Schema names to FILE, or - for stdout")
	if code := parseFlagsNoArgs(fs, args, "cam watch", io); code >= 0 {
		return code
	}
	if !eitherDemoOrDir("cam watch", *useDemo, *dir, io) {
		return ExitUsage
	}
	if *every < minEvery {
		fmt.Fprintf(io.Err, "cam watch: --every %s: at least %s\n", *every, minEvery)
		return ExitUsage
	}
	cfg, ok := loadOrDemo(*useDemo, *dir, io)
	if !ok {
		return ExitUsage
	}
	out, closeOut, err := openNDJSON(*ndjsonOut, io.Out)
	if err != nil {
		fmt.Fprintf(io.Err, "cam watch: --ndjson: %s\n", inert.Text(err.Error()))
		return ExitUsage
	}
	defer closeOut()
	// Each run's line goes to the day file and to stderr, where systemd's
	// journal or cron's mail picks it up; the engine's own lines only to
	// the file, so stderr stays one line per run.
	logger, closer, err := openLog(cfg, "watch", watchSink{applog.NewFileSink(io.Err)})
	if err != nil {
		fmt.Fprintf(io.Err, "cam watch: %s\n", inert.Text(err.Error()))
		return ExitUsage
	}
	defer closer.Close()
	audit := openAudit(cfg, logger, io.Err)
	defer audit.Close()

	eng := engine.New(engine.Options{Drivers: session.Drivers(), Logger: logger.With(applog.ModuleKey, "engine")})
	sess := session.New(session.Options{Config: cfg, Engine: session.EngineOf(eng), Trail: audit, Version: version()})
	if _, err := sess.OpenState(); err != nil {
		fmt.Fprintf(io.Err, "cam watch: triage state: %s\n", inert.Text(err.Error()))
		logger.Error("watch not started", "err", err)
		return ExitUsage
	}
	defer func() { _ = sess.CloseState() }() // committed changes are safe; nothing to add on exit

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := watchSignals(io, "cam watch", cancel)
	defer sigs.Stop()
	business := cfg.Settings.Detection.BusinessLocation
	emit := func(w session.WatchRun) error {
		if out == nil || w.NewCount() == 0 {
			return nil
		}
		return report.WriteNDJSON(out, w.Result, report.NDJSONOptions{SID: cfg.Settings.User.SID, RunID: w.StateRunID,
			Triage: session.Outcome{Triage: w.Annotation, Business: business}.Lookup(), Keep: w.IsNew})
	}
	logger.Info("watch started", "every", *every, "sid", cfg.Settings.User.SID, "ndjson", *ndjsonOut != "")
	err = sess.Watch(ctx, session.WatchOptions{Every: *every, Logger: logger, Emit: emit, Signal: sigs.Signal})
	if err != nil {
		fmt.Fprintf(io.Err, "cam watch: %s\n", inert.Text(err.Error()))
		logger.Error("watch not started", "err", err)
		return ExitUsage
	}
	audit.Flush()
	if audit.Failed() {
		logger.Error("watch stopped", "signal", sigs.Signal(), "audit_failed", true)
		return ExitIncomplete
	}
	logger.Info("watch stopped", "signal", sigs.Signal())
	return ExitOK
}

// openNDJSON opens where the new alerts go: nowhere (""), stdout ("-"),
// or a file appended to (0600), so a restart adds to what Filebeat reads.
func openNDJSON(path string, stdout io.Writer) (io.Writer, func(), error) {
	switch path {
	case "":
		return nil, func() {}, nil
	case "-":
		return stdout, func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// watchSink passes on only the watch's own records (and warnings or worse
// from anywhere).
type watchSink struct{ next applog.Sink }

// Put implements applog.Sink.
func (s watchSink) Put(r applog.Record) error {
	if r.Module != "watch" && r.Level < slog.LevelWarn {
		return nil
	}
	return s.next.Put(r)
}
