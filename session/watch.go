package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"cam/engine"
	"cam/engine/detect"
	"cam/triage"
)

// Clock is the watch's time: the real clock, or a fake that tests move on.
type Clock interface {
	Now() time.Time
	// After delivers once d has passed.
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// WatchOptions configure Watch.
type WatchOptions struct {
	// Every is the schedule: a run is due every Every, the first at once.
	Every time.Duration
	// Clock is the schedule's clock; nil means the real one. The runs'
	// own clock (engine.Request.Now) reads it too, so a fake clock moves
	// the lookback window as days pass.
	Clock Clock
	// Logger gets one line per run; nil logs nothing.
	Logger *slog.Logger
	// Emit is handed every complete run with the alerts new since the
	// last run it took. An error from it fails the run like a failed
	// query: the next tick's run hands on those alerts again.
	Emit func(WatchRun) error
	// Signal names what cancelled the context (SIGTERM), for the audit
	// trail's run_finished; nil or "" records none.
	Signal func() string
}

// WatchRun is one complete run of the watch.
type WatchRun struct {
	Seq        int           // 1 for the watch's first run
	StateRunID int64         // the run's id in the triage state (first_seen_run)
	Result     engine.Result // findings merged with the base when incremental
	Annotation *triage.Annotation
	Plan       triage.Plan
	isNew      []bool // by alert index
	newCount   int
}

// IsNew reports whether the run's alert i was not in the previous run.
func (w WatchRun) IsNew(i int) bool { return i < len(w.isNew) && w.isNew[i] }

// NewCount is the number of new alerts.
func (w WatchRun) NewCount() int { return w.newCount }

// Watch runs the session's configuration on opts' schedule until ctx is
// cancelled; it returns an error only when it cannot start. Each run is incremental
// when the triage state allows (triage.PlanRun, Merge), runs never
// overlap (a run still going when the next is due makes the next start
// as it ends, and its log line says so), only alerts new since the
// previous run are emitted, and a failed or incomplete run is logged and
// retried at the next tick. The triage state must be open (OpenState).
func (s *Session) Watch(ctx context.Context, opts WatchOptions) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	if opts.Every <= 0 {
		return fmt.Errorf("watch interval %s: must be positive", opts.Every)
	}
	clock := opts.Clock
	if clock == nil {
		clock = realClock{}
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	w := &watcher{s: s, st: st, opts: opts, clock: clock, log: logger}
	next := clock.Now()
	for seq := 1; ; seq++ {
		if d := next.Sub(clock.Now()); d > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-clock.After(d):
			}
		}
		if ctx.Err() != nil {
			return nil
		}
		began := clock.Now()
		out, err := w.cycle(ctx, seq)
		ended := clock.Now()
		next = next.Add(opts.Every)
		overran := 0
		if !next.After(ended) { // the run outlasted its slot: the next starts now
			overran = int(ended.Sub(next)/opts.Every) + 1
			next = ended
		}
		if ctx.Err() != nil {
			w.logRun(seq, out, errCancelled, ended.Sub(began), overran, next)
			return nil
		}
		w.logRun(seq, out, err, ended.Sub(began), overran, next)
	}
}

type watcher struct {
	s     *Session
	st    *triage.Store
	opts  WatchOptions
	clock Clock
	log   *slog.Logger
	// emitted holds the alert ids of the last run Emit took: an alert is
	// new when it is not among them, so a run whose emission failed is
	// handed on by the next. Only one run's ids are
	// kept, so memory stays flat however long the watch runs. Before the
	// first emission the triage state's new flag (not in the previous
	// complete run) stands in.
	emitted map[string]bool
}

// cycleOutcome is what the log line says about one run.
type cycleOutcome struct {
	runID       int64 // the engine's run id (the audit trail's)
	complete    bool
	incremental bool
	alerts, new int
}

func (w *watcher) cycle(ctx context.Context, seq int) (cycleOutcome, error) {
	var out cycleOutcome
	now := w.clock.Now()
	cfg := w.s.cfg
	plan, err := w.st.PlanRun(ctx, cfg, now)
	if err != nil {
		return out, fmt.Errorf("planning the run from the triage state: %w", err)
	}
	res, err := w.run(ctx, plan, now)
	out.runID, out.complete = res.RunID, res.Complete
	if err != nil || ctx.Err() != nil {
		return out, err
	}
	if plan.Incremental && res.Complete {
		merged, err := w.st.Merge(ctx, plan, res.Findings, detect.ParamsFrom(cfg.Settings.Detection, nil))
		if errors.Is(err, triage.ErrNeedsFullRun) {
			plan = triage.Plan{Fingerprint: plan.Fingerprint, Why: err.Error()}
			if res, err = w.run(ctx, plan, now); err != nil || ctx.Err() != nil {
				return out, err
			}
			out.runID, out.complete = res.RunID, res.Complete
		} else if err != nil {
			return out, fmt.Errorf("merging with run %d's findings: %w", plan.Base, err)
		} else {
			res.Findings = merged
		}
	}
	out.incremental = plan.Incremental
	mode := triage.ModeHeadless
	if plan.Incremental {
		mode = triage.ModeIncremental
	}
	sum, err := w.st.Record(ctx, res, cfg.Settings.User.SID, mode)
	if err != nil {
		return out, fmt.Errorf("recording the run in the triage state: %w", err)
	}
	if !res.Complete {
		return out, errIncomplete
	}
	ann, err := w.st.Annotate(ctx, sum.ID, res.Findings, cfg.Settings.Detection.BusinessLocation)
	if err != nil {
		return out, fmt.Errorf("annotating the run's alerts: %w", err)
	}
	if err := w.st.SaveCoverage(ctx, sum.ID, res, plan, cfg); err != nil {
		return out, fmt.Errorf("saving the run's coverage: %w", err)
	}
	wr := WatchRun{Seq: seq, StateRunID: sum.ID, Result: res, Annotation: ann, Plan: plan,
		isNew: make([]bool, len(res.Findings.Alerts))}
	ids := make(map[string]bool, len(ann.States))
	known := w.emitted // what the last emission took
	if known == nil {  // none yet: the alerts of the previous complete run
		known = make(map[string]bool, len(ann.States))
	}
	for i, a := range ann.States {
		ids[a.ID] = true
		if w.emitted == nil && !a.New {
			known[a.ID] = true
		}
		if !known[a.ID] {
			wr.isNew[i] = true
			wr.newCount++
		}
	}
	out.alerts, out.new = len(res.Findings.Alerts), wr.newCount
	if w.opts.Emit != nil {
		if err := w.opts.Emit(wr); err != nil {
			// The next run compares with what was handed on, so it hands
			// these on again.
			w.emitted = known
			return out, fmt.Errorf("handing on the run's new alerts: %w", err)
		}
	}
	w.emitted = ids
	return out, nil
}

// errCancelled is the last run's outcome when the watch was stopped.
var errCancelled = errors.New("cancelled: the watch is stopping")

// errIncomplete is a run where some query failed: nothing is emitted and
// the next tick runs again.
var errIncomplete = errors.New("the run is incomplete (a query failed); retried at the next tick")

// run starts one run as plan says, reads it to its end and records its
// end in the audit trail.
func (w *watcher) run(ctx context.Context, plan triage.Plan, now time.Time) (engine.Result, error) {
	r, err := w.s.startRequest(ctx, engine.Request{Config: w.s.cfg, Now: now}, plan)
	if err != nil {
		return engine.Result{}, fmt.Errorf("starting the run: %w", err)
	}
	var res engine.Result
	for ev := range r.Events() {
		if fin, ok := ev.(engine.RunFinished); ok {
			res = fin.Result
		}
	}
	sig := ""
	if ctx.Err() != nil && w.opts.Signal != nil {
		sig = w.opts.Signal()
	}
	r.Finish(res, sig)
	return res, nil
}

// logRun writes the run's one line: what it found, how long it took,
// whether it outlasted its slot and when the next is due.
func (w *watcher) logRun(seq int, out cycleOutcome, err error, took time.Duration, overran int, next time.Time) {
	attrs := []any{"seq", seq, "run", out.runID, "complete", out.complete, "incremental", out.incremental,
		"alerts", out.alerts, "new", out.new, "took", took.Round(time.Millisecond), "next", next.UTC().Format(time.RFC3339)}
	level, msg := slog.LevelInfo, "watch run finished"
	if overran > 0 {
		// The next run was due while this one went on: it starts now,
		// never beside it.
		attrs = append(attrs, "overran_ticks", overran)
		level = slog.LevelWarn
	}
	switch {
	case errors.Is(err, errCancelled):
		msg = "watch run cancelled"
	case err != nil:
		attrs = append(attrs, "err", err)
		level, msg = slog.LevelError, "watch run failed"
	}
	w.log.Log(context.Background(), level, msg, attrs...)
}
