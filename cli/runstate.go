package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"cam/engine"
	"cam/internal/inert"
	"cam/session"
	"cam/triage"
)

// headlessRun is one `cam run`: the run (again in full when an
// incremental one cannot be merged) and its record in the triage state.
type headlessRun struct {
	sess   *session.Session
	audit  *session.Trail
	logger *slog.Logger
	quiet  bool
	signal func() string // the signal that cancelled the run, or ""
	io     IO
}

// headlessOutcome is the run as recorded, and why it could not be when
// the state failed (nil, or session.ErrNoState without a state).
type headlessOutcome struct {
	session.Outcome
	stateErr error
}

// run starts a run with opts, shows its progress and records it. It
// returns an exit code >= 0 when the run could not start.
func (h headlessRun) run(ctx context.Context, opts session.StartOptions, sinceLast bool) (headlessOutcome, int) {
	run, err := h.sess.StartWith(ctx, opts)
	if err != nil {
		fmt.Fprintf(h.io.Err, "cam run: %s\n", inert.Text(err.Error()))
		return headlessOutcome{}, ExitUsage
	}
	if sinceLast {
		// Said even with --quiet: a script that asked for an incremental
		// run should learn that it got a full one, and why.
		if p := run.Plan(); p.Incremental {
			fmt.Fprintf(h.io.Err, "cam run: incremental: reading events since %s (run %d's newest event less the rules' overlap)\n",
				p.Start.Local().Format("2006-01-02 15:04:05 MST"), p.Base)
		} else {
			fmt.Fprintf(h.io.Err, "cam run: --since-last: running in full: %s\n", inert.Text(p.Why))
		}
	}
	// The trail reports failures on its own goroutine; waiting for it
	// after each record keeps its messages and ours from interleaving.
	h.audit.Flush()
	h.logger.Info("run started", "run", run.ID(), "mode", run.Mode(), "incremental", run.Plan().Incremental)

	progress := newProgress(h.io.Err, h.quiet)
	var result engine.Result
	for ev := range run.Events() {
		progress.show(ev)
		if fin, ok := ev.(engine.RunFinished); ok {
			result = fin.Result
		}
	}
	progress.done()
	h.logger.Info("run finished", "run", result.RunID, "complete", result.Complete,
		"suspicious_users", len(result.Findings.Takeovers), "alerts", len(result.Findings.Alerts))
	run.Finish(result, h.signal())
	h.audit.Flush()

	// Recorded even when a signal cancelled the run: what it found is
	// kept (as incomplete), so ctx is not the one to use.
	out, err := run.Conclude(context.Background(), result, triage.ModeHeadless)
	if session.NeedsFullRun(err) && ctx.Err() == nil {
		fmt.Fprintf(h.io.Err, "cam run: --since-last: %s; running again in full\n", inert.Text(err.Error()))
		opts.SinceLast = false
		return h.run(ctx, opts, false)
	}
	return headlessOutcome{Outcome: out, stateErr: err}, -1
}

// printRowStats is --stats' account of the rows this run fetched beside
// the last full run's, which an incremental rerun should cut by the ratio
// of the lookback to the rerun interval.
func (h headlessRun) printRowStats(out headlessOutcome) {
	var fetched int64
	for _, q := range out.Result.Queries {
		fetched += q.Rows + q.Rejected
	}
	line := fmt.Sprintf("rows_fetched=%d incremental=%t", fetched, out.Plan.Incremental)
	if full, ok, err := h.sess.LastFullRun(context.Background()); err == nil && ok && full.Coverage != nil {
		line += fmt.Sprintf(" full_run=%d full_run_rows=%d", full.ID, full.Coverage.RowsFetched)
		if fetched > 0 {
			line += fmt.Sprintf(" ratio=%.1f", float64(full.Coverage.RowsFetched)/float64(fetched))
		}
	}
	fmt.Fprintln(h.io.Err, line)
}

// printTriageCounts is the summary's triage line.
func printTriageCounts(w io.Writer, c triage.Counts) {
	fmt.Fprintf(w, "\nTriage: %d open, %d resolved, %d suppressed (hidden), %d new since the last complete run\n",
		c.Open, c.Resolved, c.Suppressed, c.New)
}
