package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/log"

	"cam/config"
	"cam/engine/detect"
)

// execution runs one query of one database, with retries, and streams its
// rows into the accumulator.
type execution struct {
	engine   *Engine
	job      *job
	owner    *Run
	acc      *detect.Accumulator
	start    time.Time
	settings config.Settings
	logger   *log.Logger

	rows, rejected atomic.Int64
	began          time.Time
}

// attemptError is why an attempt failed, and whether rows had already
// reached the rules (then a retry would count them twice).
type attemptError struct {
	err       error
	delivered bool
}

func (x *execution) run(ctx context.Context) QueryResult {
	x.began = time.Now()
	maxAttempts := x.settings.App.MaxAttempts
	if maxAttempts < 1 {
		maxAttempts = 1
	}
	for attempt := 1; ; attempt++ {
		x.owner.events.emit(QueryStarted{QueryRef: x.job.ref, Attempt: attempt})
		x.logger.Info("query started", "attempt", attempt)
		aerr := x.attempt(ctx)
		if aerr == nil {
			d := time.Since(x.began)
			x.logger.Info("query finished", "rows", x.rows.Load(), "rejected", x.rejected.Load(), "duration", d.Round(time.Millisecond))
			x.owner.events.emit(QueryFinished{QueryRef: x.job.ref, Rows: x.rows.Load(), Rejected: x.rejected.Load(), Attempts: attempt, Duration: d})
			return x.result(StatusOK, attempt, ClassNone, "")
		}
		if ctx.Err() != nil {
			return x.cancelled(attempt, x.rows.Load(), x.rejected.Load())
		}
		class, msg := x.classify(aerr.err)
		if class == ClassConnection && aerr.delivered {
			msg += " (the connection failed after rows had arrived; not retried, so no row is counted twice)"
		}
		retry := class == ClassConnection && !aerr.delivered && attempt < maxAttempts
		var delay time.Duration
		if retry {
			delay = x.engine.opts.Backoff(attempt)
			if dl, ok := ctx.Deadline(); ok && time.Now().Add(delay).After(dl) {
				retry = false
				msg += " (no retry: it would pass the run's deadline)"
			}
		}
		if !retry {
			d := time.Since(x.began)
			x.logger.Error("query failed", "class", class, "attempts", attempt, "error", msg)
			x.owner.events.emit(QueryFailed{QueryRef: x.job.ref, Rows: x.rows.Load(), Rejected: x.rejected.Load(),
				Attempts: attempt, Duration: d, Class: class, Err: msg})
			return x.result(StatusFailed, attempt, class, msg)
		}
		x.logger.Warn("query retrying", "attempt", attempt, "of", maxAttempts, "delay", delay.Round(time.Millisecond), "class", class, "error", msg)
		x.owner.events.emit(QueryRetrying{QueryRef: x.job.ref, Attempt: attempt, MaxAttempts: maxAttempts, Delay: delay, Class: class, Err: msg})
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return x.cancelled(attempt, x.rows.Load(), x.rejected.Load())
		}
	}
}

func (x *execution) result(status QueryStatus, attempts int, class ErrorClass, msg string) QueryResult {
	return QueryResult{Database: x.job.db.Name, Query: x.job.query.Name, Kind: x.job.query.Kind,
		ChangeType: x.job.query.ChangeType, Status: status, Rows: x.rows.Load(), Rejected: x.rejected.Load(),
		Attempts: attempts, Duration: time.Since(x.began), Class: class, Err: msg}
}

// cancelled reports the query as cancelled with what it had.
func (x *execution) cancelled(attempts int, rows, rejected int64) QueryResult {
	if x.began.IsZero() {
		x.began = time.Now()
	}
	d := time.Since(x.began)
	x.logger.Warn("query cancelled", "rows", rows)
	x.owner.events.emit(QueryCancelled{QueryRef: x.job.ref, Rows: rows, Rejected: rejected, Duration: d})
	r := x.result(StatusCancelled, attempts, ClassCancelled, "cancelled")
	return r
}

// classify maps an error to a class: timeouts and cancellation are the
// engine's own, everything else is the driver's call.
func (x *execution) classify(err error) (ErrorClass, string) {
	var te *timeoutError
	if errors.As(err, &te) {
		return ClassTimeout, te.Error()
	}
	var ce *columnError
	if errors.As(err, &ce) {
		return ClassQuery, ce.Error()
	}
	return x.job.driver.Classify(err, *x.job.db)
}

type timeoutError struct{ after time.Duration }

func (e *timeoutError) Error() string {
	return fmt.Sprintf("timed out after %s (app_settings.query_timeout)", e.after)
}

// attempt runs the query once. A watchdog closes the connection if the
// driver has not returned shortly after the attempt's context ends, since
// some drivers ignore the context while fetching.
func (x *execution) attempt(runCtx context.Context) *attemptError {
	timeout := x.settings.App.QueryTimeout
	if timeout <= 0 {
		timeout = 10 * time.Minute
	}
	ctx, cancel := context.WithTimeout(runCtx, timeout)
	defer cancel()
	wrap := func(err error, delivered bool) *attemptError {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && runCtx.Err() == nil {
			err = &timeoutError{after: timeout}
		}
		return &attemptError{err: err, delivered: delivered}
	}

	pool, err := x.job.pool.get()
	if err != nil {
		return wrap(err, false)
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return wrap(err, false)
	}
	var tracked *trackedConn
	conn.Raw(func(dc any) error {
		tracked, _ = dc.(*trackedConn)
		return nil
	})
	finished := make(chan struct{})
	forced := atomic.Bool{}
	go func() {
		select {
		case <-finished:
			return
		case <-ctx.Done():
		}
		t := time.NewTimer(x.engine.opts.ForceCloseAfter)
		defer t.Stop()
		select {
		case <-finished:
		case <-t.C:
			if tracked != nil {
				forced.Store(true)
				x.logger.Warn("closing a connection that ignored cancellation")
				tracked.forceClose()
			}
		}
	}()
	defer func() {
		close(finished)
		if forced.Load() {
			conn.Raw(func(any) error { return driverBadConn })
		}
		conn.Close()
	}()

	text, args, err := x.job.driver.Bind(x.job.query.SQL, x.start, *x.job.db)
	if err != nil {
		return wrap(err, false)
	}
	rows, err := conn.QueryContext(ctx, text, args...)
	if err != nil {
		return wrap(err, false)
	}
	defer rows.Close()
	delivered, err := x.consume(ctx, rows)
	if err != nil {
		return wrap(err, delivered)
	}
	return nil
}

// consume streams rows into the accumulator, one row in memory at a time.
func (x *execution) consume(ctx context.Context, rows *sql.Rows) (bool, error) {
	names, err := rows.Columns()
	if err != nil {
		return false, err
	}
	q := x.job.query
	idx, err := indexColumns(*q, names)
	if err != nil {
		return false, &columnError{err}
	}
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	loc := x.job.db.Location
	if loc == nil {
		loc = time.Local
	}
	interval := x.engine.opts.ProgressInterval
	lastProgress := time.Now()
	delivered := false
	get := func(role string) any {
		if i, ok := idx[role]; ok {
			return vals[i]
		}
		return nil
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			x.rejected.Add(1)
			continue
		}
		user, okUser := textOf(get(config.ColUser))
		at, okTime := timeOf(get(config.ColTime), loc)
		if !okUser || !okTime {
			x.rejected.Add(1)
			continue
		}
		delivered = true
		if q.Kind == config.KindActivity {
			x.acc.AddActivity(detect.ActivityEvent{User: user, Time: at,
				Operation: optionalText(get(config.ColOperation)), Status: optionalText(get(config.ColStatus)),
				Role: optionalText(get(config.ColRole)), IP: optionalText(get(config.ColIP)),
				Database: x.job.db.Name, Query: q.Name})
		} else {
			x.acc.AddChange(detect.ChangeEvent{User: user, Type: q.ChangeType, Time: at, Database: x.job.db.Name, Query: q.Name})
		}
		x.rows.Add(1)
		if now := time.Now(); now.Sub(lastProgress) >= interval {
			lastProgress = now
			x.owner.events.emit(QueryProgressed{QueryRef: x.job.ref, Rows: x.rows.Load(), Rejected: x.rejected.Load()})
		}
	}
	if err := rows.Err(); err != nil {
		return delivered, err
	}
	return delivered, ctx.Err()
}

// columnError is a query whose result lacks a column cam needs.
type columnError struct{ err error }

func (e *columnError) Error() string { return e.err.Error() }
func (e *columnError) Unwrap() error { return e.err }
