package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"cam/config"
	"cam/engine/detect"
)

// Options configure an Engine.
type Options struct {
	// Drivers by the driver name used in databases.yaml.
	Drivers map[string]Driver
	// Logger receives the engine's log lines; nil discards them.
	Logger *slog.Logger
	// Backoff gives the delay before retry n (1-based); nil means Backoff.
	Backoff func(n int) time.Duration
	// ProgressInterval throttles progress events per query; 0 means 100 ms.
	ProgressInterval time.Duration
	// ForceCloseAfter is how long a cancelled query may take to notice
	// before its connection is closed under it; 0 means 250 ms.
	ForceCloseAfter time.Duration
	// MeasurePhases fills Result.Phases (cam run --stats). It reads the
	// clock for one row in sixteen and once per batch, so it is off
	// unless asked for.
	MeasurePhases bool
	// KeepUserEvents keeps every event read, by user, in
	// Result.UserEvents for the TUI's per-user timeline, up to
	// UserEventsLimit events (0 means DefaultUserEventsLimit).
	KeepUserEvents  bool
	UserEventsLimit int
}

// Engine starts runs. It is safe for concurrent use.
type Engine struct {
	opts   Options
	nextID atomic.Int64
}

// New returns an engine.
func New(opts Options) *Engine {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Backoff == nil {
		opts.Backoff = Backoff
	}
	if opts.ProgressInterval <= 0 {
		opts.ProgressInterval = 100 * time.Millisecond
	}
	if opts.ForceCloseAfter <= 0 {
		opts.ForceCloseAfter = 250 * time.Millisecond
	}
	return &Engine{opts: opts}
}

// Run is one analysis in progress.
type Run struct {
	id      int64
	events  *emitter
	cancel  context.CancelFunc
	done    chan struct{}
	result  Result
	drained atomic.Bool // Events was called: the caller reads the channel
}

// ID is the run's id, increasing per Engine.
func (r *Run) ID() int64 { return r.id }

// Events streams the run's events; it closes after RunFinished. A caller
// of Events must read until it closes.
func (r *Run) Events() <-chan Event {
	r.drained.Store(true)
	return r.events.out
}

// Cancel stops the run; it ends within about a second. Idempotent.
func (r *Run) Cancel() { r.cancel() }

// Wait blocks until the run has finished and returns its result. When
// nobody called Events, Wait consumes the events itself.
func (r *Run) Wait() Result {
	if r.drained.CompareAndSwap(false, true) {
		for range r.events.out {
		}
	}
	<-r.done
	return r.result
}

// job is one query of one database in a run.
type job struct {
	db     *config.Database
	query  *config.Query
	driver Driver
	pool   *lazyPool
	ref    QueryRef
}

// Start validates the request and starts the run in the background.
func (e *Engine) Start(ctx context.Context, req Request) (*Run, error) {
	if req.Config == nil {
		return nil, errors.New("engine: no configuration")
	}
	cfg := req.Config
	for _, db := range cfg.Databases {
		if _, ok := e.opts.Drivers[db.Driver]; !ok {
			return nil, fmt.Errorf("database %s: driver %q is not available in this build", db.Name, db.Driver)
		}
	}
	now := req.Now
	if now.IsZero() {
		now = time.Now()
	}
	ctx, cancel := context.WithCancel(ctx)
	run := &Run{id: e.nextID.Add(1), events: newEmitter(), cancel: cancel, done: make(chan struct{})}

	anchor := now
	mode := ModeSliding
	if req.LastEventTime != nil {
		anchor, mode = *req.LastEventTime, ModeAnchored
	}
	res := Result{RunID: run.id, StartedAt: now, StartDate: anchor.Add(-cfg.Settings.Detection.Lookback),
		TakeoverTypes: cfg.Settings.Detection.TakeoverTypes,
		Mode:          mode, LastEventTime: req.LastEventTime}
	if req.StartDate != nil {
		res.StartDate = *req.StartDate
	}

	var jobs []*job
	for i := range cfg.Databases {
		db := &cfg.Databases[i]
		pool := &lazyPool{db: db, settings: cfg.Settings, driver: e.opts.Drivers[db.Driver], logger: e.opts.Logger}
		for j := range db.Queries {
			q := &db.Queries[j]
			jobs = append(jobs, &job{db: db, query: q, driver: pool.driver, pool: pool,
				ref: QueryRef{RunID: run.id, Database: db.Name, Query: q.Name}})
		}
	}
	go func() {
		defer cancel()
		run.result = e.execute(ctx, run, jobs, res, req)
		run.events.emit(RunFinished{RunID: run.id, Result: run.result})
		run.events.close()
		close(run.done)
	}()
	return run, nil
}

// execute runs every job, bounded by max_concurrency, then the rules.
func (e *Engine) execute(ctx context.Context, run *Run, jobs []*job, res Result, req Request) Result {
	cfg := req.Config
	began := time.Now()
	logger := e.opts.Logger.With("run", run.id)
	logger.Info("run started", "databases", len(cfg.Databases), "queries", len(jobs), "mode", res.Mode,
		"start_date", res.StartDate.Format(time.RFC3339))
	for _, j := range jobs {
		run.events.emit(QueryQueued{QueryRef: j.ref, Kind: j.query.Kind, ChangeType: j.query.ChangeType})
	}
	acc := detect.NewAccumulator(detect.ParamsFrom(cfg.Settings.Detection, req.LastEventTime))
	var kept *UserEvents
	if e.opts.KeepUserEvents {
		kept = newUserEvents(e.opts.UserEventsLimit)
		res.UserEvents = kept
	}
	sem := make(chan struct{}, maxConcurrency(cfg.Settings))
	results := make([]QueryResult, len(jobs))
	var phases []*phaseClock
	if e.opts.MeasurePhases {
		phases = make([]*phaseClock, len(jobs))
		for i := range phases {
			phases[i] = &phaseClock{}
		}
	}
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ex := &execution{engine: e, job: j, owner: run, acc: acc, kept: kept, start: res.StartDate, settings: cfg.Settings,
				logger: logger.With("db", j.db.Name, "query", j.query.Name)}
			if phases != nil {
				ex.clock = phases[i]
			}
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
				results[i] = ex.run(ctx)
			case <-ctx.Done():
				results[i] = ex.cancelled(0, 0, 0)
			}
		}()
	}
	wg.Wait()
	pools := map[*lazyPool]bool{}
	for _, j := range jobs {
		pools[j.pool] = true
	}
	for p := range pools {
		p.close()
	}

	res.Queries = results
	res.Cancelled = ctx.Err() != nil
	res.Complete = !res.Cancelled
	var failed []config.ChangeType
	seen := map[config.ChangeType]bool{}
	for _, q := range results {
		if q.Status == StatusOK {
			continue
		}
		res.Complete = false
		if q.Kind == config.KindChange {
			seen[q.ChangeType] = true
		}
	}
	// The rules order them by detection.takeover_types.
	for ct := range seen {
		failed = append(failed, ct)
	}
	fetching, detectBegan := time.Since(began), time.Now()
	res.Findings = acc.Findings(failed)
	// A timeline is opened from a finding: the other users' events would
	// only hold memory for as long as the result lives.
	kept.keepOnly(res.Findings)
	if phases != nil {
		res.Phases.Fetching, res.Phases.Rules = fetching, time.Since(detectBegan)
	}
	for _, p := range phases {
		res.Phases.Fetch += time.Duration(p.fetch.Load())
		res.Phases.Normalise += time.Duration(p.normalise.Load())
		res.Phases.Accumulate += time.Duration(p.accumulate.Load())
	}
	res.FinishedAt = res.StartedAt.Add(time.Since(began))
	logger.Info("run finished", "complete", res.Complete, "cancelled", res.Cancelled,
		"suspicious_users", len(res.Findings.Takeovers), "alerts", len(res.Findings.Alerts),
		"duration", time.Since(began).Round(time.Millisecond))
	return res
}

// lazyPool opens a database's pool on first use, once per run.
type lazyPool struct {
	db       *config.Database
	settings config.Settings
	driver   Driver
	logger   *slog.Logger

	mu   sync.Mutex
	pool *sql.DB
}

func (p *lazyPool) get() (*sql.DB, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pool != nil {
		return p.pool, nil
	}
	conn, err := p.driver.Connector(*p.db, p.settings)
	if err != nil {
		return nil, err
	}
	db, drv := *p.db, p.driver
	logins := &loginGate{isRefusal: func(err error) bool {
		class, _ := drv.Classify(err, db)
		return class == ClassAuth
	}}
	p.pool = sql.OpenDB(trackingConnector{Connector: conn, logins: logins})
	max := p.db.MaxConnections
	if max < 1 {
		max = 1
	}
	p.pool.SetMaxOpenConns(max)
	p.pool.SetMaxIdleConns(max)
	p.logger.Info("pool opened", "db", p.db.Name, "driver", p.db.Driver, "max_connections", max)
	return p.pool, nil
}

func (p *lazyPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pool != nil {
		p.pool.Close()
		p.logger.Info("pool closed", "db", p.db.Name)
		p.pool = nil
	}
}

// maxConcurrency is how many queries, or checks, run at once. Loading the
// configuration guarantees at least 1; a configuration built in code
// without it runs one at a time.
func maxConcurrency(s config.Settings) int {
	return max(s.App.MaxConcurrency, 1)
}
