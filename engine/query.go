package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

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
	kept     *UserEvents // nil unless the run keeps events for timelines
	start    time.Time
	settings config.Settings
	logger   *slog.Logger

	rows, rejected atomic.Int64
	rejectedBy     [rejectReasons]atomic.Int64
	newest         atomic.Int64 // UnixNano of the newest accepted row: where an incremental rerun resumes
	began          time.Time
	clock          *phaseClock // nil unless phases are measured
}

// batchLen is how many rows the consume path hands to the accumulator at
// once: one lock per batch, and the accumulator overlaps the batch's user
// lookups.
const batchLen = 256

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
			x.logRejections()
			x.owner.events.emit(QueryFinished{QueryRef: x.job.ref, Rows: x.rows.Load(), Rejected: x.rejected.Load(),
				RejectedBy: x.rejections(), RejectNote: x.rejectNote(), Attempts: attempt, Duration: d})
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
			x.logRejections()
			x.owner.events.emit(QueryFailed{QueryRef: x.job.ref, Rows: x.rows.Load(), Rejected: x.rejected.Load(),
				RejectedBy: x.rejections(), RejectNote: x.rejectNote(), Attempts: attempt, Duration: d, Class: class, Err: msg})
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
		RejectedBy: x.rejections(), RejectNote: x.rejectNote(),
		Attempts: attempts, Duration: time.Since(x.began), Class: class, Err: msg, Newest: x.newestTime()}
}

// newestTime is the newest accepted row's time, zero when none.
func (x *execution) newestTime() time.Time {
	if n := x.newest.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// cancelled reports the query as cancelled with what it had.
func (x *execution) cancelled(attempts int, rows, rejected int64) QueryResult {
	if x.began.IsZero() {
		x.began = time.Now()
	}
	d := time.Since(x.began)
	x.logger.Warn("query cancelled", "rows", rows)
	x.owner.events.emit(QueryCancelled{QueryRef: x.job.ref, Rows: rows, Rejected: rejected, RejectedBy: x.rejections(), RejectNote: x.rejectNote(), Duration: d})
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
	var de *dataError
	if errors.As(err, &de) {
		return ClassData, de.Error()
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
	// Raw fails only on a closed connection, which the query below reports.
	_ = conn.Raw(func(dc any) error {
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
			// Returning driverBadConn is the point: the pool drops the conn.
			_ = conn.Raw(func(any) error { return driverBadConn })
		}
		conn.Close()
	}()

	// A retried attempt follows one that delivered no row, so only its
	// rejections need forgetting: the rows are read again.
	x.rejected.Store(0)
	for i := range x.rejectedBy {
		x.rejectedBy[i].Store(0)
	}
	text, args, err := x.job.driver.Bind(x.job.query.SQL, x.start, *x.job.db)
	if err != nil {
		return wrap(err, false)
	}
	rows, err := conn.QueryContext(withResultColumns(ctx, x.readColumns()), text, args...)
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

// consume streams rows into the accumulator in batches of batchLen, so a
// query holds at most batchPool batches of rows in memory. It reads and
// captures the rows; a normaliser goroutine checks them and hands them to
// the accumulator (rowbatch.go).
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
	cells := make([]cell, len(names))
	ptrs := make([]any, len(names))
	for i := range cells {
		ptrs[i] = &cells[i]
	}
	// The cells a rule reads, in a batch row's order; roles the query
	// does not return read as an empty cell (NULL).
	width := len(rolesRead(q.Kind))
	var none cell
	ruled := make([]*cell, width)
	for k := range ruled {
		ruled[k] = &none
		if i, ok := idx[cellRoles[k]]; ok {
			ruled[k] = &cells[i]
		}
	}

	n := &normaliser{x: x, times: x.timeReader(rows, idx[config.ColTime]), width: width,
		interval: x.engine.opts.ProgressInterval, lastProgress: time.Now()}
	full, free := make(chan *rowBatch, 1), make(chan *rowBatch, batchPool)
	for range batchPool {
		free <- &rowBatch{cells: make([]cell, batchLen*width)}
	}
	normalised := make(chan struct{})
	go func() {
		defer close(normalised)
		n.run(full, free)
	}()
	lastSent := time.Now()
	timer := phaseTimer{clock: x.clock}
	b := <-free
	send := func() {
		full <- b
		b, lastSent = <-free, time.Now()
	}
	for i := 0; ; i++ {
		timer.row()
		if !rows.Next() {
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			timer.fetched()
			x.reject(RejectUnreadable)
			continue
		}
		row := b.cells[b.rows*width : (b.rows+1)*width]
		for k, c := range ruled {
			row[k] = c.capture(&b.text)
		}
		b.rows++
		timer.fetched()
		if b.rows == batchLen {
			send()
			continue
		}
		// A slow source fills a batch slowly: hand over what there is
		// every progress interval, so its counts keep moving. Reading
		// the clock costs more than a row on some virtual machines: look
		// at it every 64 rows.
		if i%64 == 63 && time.Since(lastSent) >= n.interval {
			send()
		}
	}
	if b.rows > 0 {
		full <- b
	}
	close(full)
	<-normalised
	if err := rows.Err(); err != nil {
		return n.delivered, err
	}
	if err := ctx.Err(); err != nil {
		return n.delivered, err
	}
	if x.rows.Load() == 0 && x.rejected.Load() > 0 {
		return false, x.allRejected()
	}
	return n.delivered, nil
}

// reject counts a row the rules cannot use.
func (x *execution) reject(r RejectReason) {
	x.rejectedBy[r].Add(1)
	x.rejected.Add(1)
}

// timeReader prepares the reading of the time column at position col.
func (x *execution) timeReader(rows *sql.Rows, col int) timeReader {
	r := timeReader{zone: newZoneResolver(x.job.db.Location), format: x.job.query.TimeFormat}
	zd, ok := x.job.driver.(ZonedTypes)
	if !ok {
		return r
	}
	if types, err := rows.ColumnTypes(); err == nil && col < len(types) {
		r.zoned = zd.CarriesZone(types[col].DatabaseTypeName())
	}
	return r
}

// rejections returns the rows rejected so far by reason, for results and
// events; nil when none were.
func (x *execution) rejections() map[string]int64 {
	var out map[string]int64
	for r := RejectReason(0); r < rejectReasons; r++ {
		if n := x.rejectedBy[r].Load(); n > 0 {
			if out == nil {
				out = map[string]int64{}
			}
			out[r.String()] = n
		}
	}
	return out
}

// rejectNote lists the rejections by reason with their columns, most
// first, for the status pane and progress lines.
func (x *execution) rejectNote() string {
	var parts []string
	for r := RejectReason(0); r < rejectReasons; r++ {
		if n := x.rejectedBy[r].Load(); n > 0 {
			parts = append(parts, fmt.Sprintf("%s %s in %s", thousands(n), r, x.columnOf(r)))
		}
	}
	return strings.Join(parts, ", ")
}

// logRejections warns once per reason, naming the column, never a value.
func (x *execution) logRejections() {
	for r := RejectReason(0); r < rejectReasons; r++ {
		if n := x.rejectedBy[r].Load(); n > 0 {
			x.logger.Warn("rows rejected", "reason", r.String(), "column", x.columnOf(r), "rows", n)
		}
	}
}

// columnOf names the column a reason is about.
func (x *execution) columnOf(r RejectReason) string {
	switch r {
	case RejectNullUser, RejectEmptyUser:
		return x.job.query.Columns[config.ColUser]
	case RejectUnreadable:
		return "(row)"
	}
	return x.job.query.Columns[config.ColTime]
}

// allRejected explains a query whose every row was rejected: it is a
// failure, not an empty result, since the rules saw nothing of it.
func (x *execution) allRejected() error {
	worst, most := RejectReason(0), int64(-1)
	for r := RejectReason(0); r < rejectReasons; r++ {
		if n := x.rejectedBy[r].Load(); n > most {
			worst, most = r, n
		}
	}
	why := fmt.Sprintf(rejectWhy[worst], x.columnOf(worst))
	if n := x.rejected.Load(); n > 1 {
		return &dataError{msg: fmt.Sprintf("all %s rows rejected: %s", thousands(n), why)}
	}
	return &dataError{msg: "the only row was rejected: " + why}
}

// dataError is a query whose rows cam could not use.
type dataError struct{ msg string }

func (e *dataError) Error() string { return e.msg }

// thousands formats n with comma separators, as the analyst reads counts.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// columnError is a query whose result lacks a column cam needs.
type columnError struct{ err error }

func (e *columnError) Error() string { return e.err.Error() }
func (e *columnError) Unwrap() error { return e.err }
