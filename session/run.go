package session

import (
	"context"
	"errors"
	"sync"
	"time"

	"cam/engine"
	"cam/journal"
	"cam/triage"
)

// Engine starts runs; *engine.Engine satisfies it through EngineOf, and
// tests use a fake.
type Engine interface {
	Start(ctx context.Context, req engine.Request) (RunHandle, error)
}

// RunHandle is a run in progress as the engine hands it out.
type RunHandle interface {
	ID() int64
	Events() <-chan engine.Event
	Cancel()
}

type realEngine struct{ e *engine.Engine }

func (r realEngine) Start(ctx context.Context, req engine.Request) (RunHandle, error) {
	return r.e.Start(ctx, req)
}

// EngineOf adapts the real engine.
func EngineOf(e *engine.Engine) Engine { return realEngine{e} }

// ModeOf is the mode a run takes: anchored at the Last Event Time when
// one is set, otherwise sliding over the lookback.
func ModeOf(lastEventTime *time.Time) engine.Mode {
	if lastEventTime != nil {
		return engine.ModeAnchored
	}
	return engine.ModeSliding
}

// Run is one run of the session. Its events come from Events (a channel a
// CLI loop ranges over and a tea.Cmd reads one event from); the front end
// hands the final result to Finish, or calls Abandon when it leaves with
// the run still going. Either way run_finished is recorded exactly once.
type Run struct {
	s      *Session
	h      RunHandle
	mode   engine.Mode
	plan   triage.Plan // incremental or full, from the state
	cancel context.CancelFunc

	events chan engine.Event
	quit   chan struct{}
	done   chan struct{}
	once   sync.Once

	mu       sync.Mutex
	result   *engine.Result // the engine's final result, seen by the tap
	finished *engine.Result // the result handed to Finish
	recorded bool           // run_finished is on the trail
}

// ErrRunning is returned by Start while a run is in progress.
var ErrRunning = errors.New("a run is already in progress")

// Start starts a full run over the session's configuration, anchored at
// lastEventTime when not nil, and records run_started. Cancelling ctx
// cancels the run.
func (s *Session) Start(ctx context.Context, lastEventTime *time.Time) (*Run, error) {
	return s.StartWith(ctx, StartOptions{LastEventTime: lastEventTime})
}

// StartOptions say how a run reads.
type StartOptions struct {
	// LastEventTime anchors the takeover window; nil means sliding.
	LastEventTime *time.Time
	// SinceLast asks for an incremental run: from the last complete run's
	// newest event (less the rules' overlap) when the state allows it
	// (sliding mode, same configuration, within the lookback), in full
	// otherwise; Run.Plan says which and why.
	SinceLast bool
}

// StartWith starts a run as opts say and records run_started.
func (s *Session) StartWith(ctx context.Context, opts StartOptions) (*Run, error) {
	plan := s.plan(ctx, opts)
	req := engine.Request{Config: s.cfg, LastEventTime: opts.LastEventTime, Now: s.now()}
	return s.startRequest(ctx, req, plan)
}

// startRequest starts the engine on req, as plan says (an incremental
// plan binds its start), and records run_started. Every run starts here.
func (s *Session) startRequest(ctx context.Context, req engine.Request, plan triage.Plan) (*Run, error) {
	if plan.Incremental {
		start := plan.Start
		req.StartDate = &start
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.run != nil && !s.run.Finished() {
		return nil, ErrRunning
	}
	ctx, cancel := context.WithCancel(ctx)
	h, err := s.eng.Start(ctx, req)
	if err != nil {
		cancel()
		return nil, err
	}
	r := &Run{s: s, h: h, mode: ModeOf(req.LastEventTime), plan: plan, cancel: cancel,
		events: make(chan engine.Event), quit: make(chan struct{}), done: make(chan struct{})}
	go r.tap()
	s.run, s.exported = r, nil
	s.trail.Record(journal.ActionRunStarted, journal.RunStartedDetails(h.ID(), s.cfg, r.mode))
	return r, nil
}

// tap forwards the engine's events and keeps the final result aside, so
// that Abandon can record run_finished even when nobody reads any more.
func (r *Run) tap() {
	defer close(r.done)
	defer close(r.events)
	for ev := range r.h.Events() {
		if fin, ok := ev.(engine.RunFinished); ok {
			r.mu.Lock()
			res := fin.Result
			r.result = &res
			r.mu.Unlock()
		}
		select {
		case r.events <- ev:
		case <-r.quit: // nobody is listening any more; keep draining
		}
	}
}

// ID is the engine's run id, carried by every event of the run.
func (r *Run) ID() int64 { return r.h.ID() }

// Mode is how the run chose its window.
func (r *Run) Mode() engine.Mode { return r.mode }

// Events delivers the run's events in order and closes after the last.
func (r *Run) Events() <-chan engine.Event { return r.events }

// Cancel asks the engine to stop; the run still reports back (cancelled).
func (r *Run) Cancel() { r.h.Cancel() }

// Finish records the run's end once (signal names what cancelled it, or
// "") and releases the run's context. Front ends call it with the result
// of the RunFinished event.
func (r *Run) Finish(res engine.Result, signal string) {
	r.mu.Lock()
	if r.finished == nil {
		r.finished = &res
	}
	r.mu.Unlock()
	d := journal.RunFinishedDetails(res)
	if signal != "" {
		d["signal"] = signal
	}
	r.recordEnd(d)
	r.cancel()
}

func (r *Run) recordEnd(d map[string]any) {
	r.mu.Lock()
	already := r.recorded
	r.recorded = true
	r.mu.Unlock()
	if !already {
		r.s.trail.Record(journal.ActionRunFinished, d)
	}
}

// Finished reports whether the run's end is recorded (Finish or Abandon):
// a new run may start.
func (r *Run) Finished() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.recorded
}

// Result is the result handed to Finish, or nil before (and after an
// Abandon).
func (r *Run) Result() *engine.Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.finished
}

// Abandon ends a run the front end is leaving (the TUI quitting, a
// signal): it cancels the run, waits up to wait for the engine to stop its
// queries, and records run_finished with what is known. It reports
// whether the run was still going (so the exit counts as a cancellation).
func (r *Run) Abandon(signal string, wait time.Duration) bool {
	if r.Finished() {
		r.cancel()
		return false
	}
	r.h.Cancel()
	r.once.Do(func() { close(r.quit) })
	var res *engine.Result
	select {
	case <-r.done:
		r.mu.Lock()
		res = r.result
		r.mu.Unlock()
	case <-time.After(wait):
	}
	var d map[string]any
	if res != nil {
		d = journal.RunFinishedDetails(*res)
	} else { // the engine did not report back in time: record what is known
		d = map[string]any{"run_id": r.ID(), "complete": false, "cancelled": true}
	}
	if signal != "" {
		d["signal"] = signal
	}
	r.recordEnd(d)
	r.cancel()
	return true
}

// plan decides whether a run reads incrementally; any doubt means in
// full, with the reason in Plan.Why.
func (s *Session) plan(ctx context.Context, opts StartOptions) triage.Plan {
	switch {
	case !opts.SinceLast:
		return triage.Plan{Why: "a full run was asked for"}
	case opts.LastEventTime != nil:
		return triage.Plan{Why: "an anchored run (Last Event Time) always reads in full"}
	}
	st, err := s.store()
	if err != nil {
		return triage.Plan{Why: "no triage state is open"}
	}
	p, err := st.PlanRun(ctx, s.cfg, s.now())
	if err != nil {
		return triage.Plan{Why: "the state could not plan an incremental run: " + err.Error()}
	}
	return p
}
