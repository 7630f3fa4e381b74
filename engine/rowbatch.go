package engine

import (
	"time"

	"cam/config"
	"cam/engine/detect"
)

// A query's rows go through two goroutines: the reader (consume) takes
// rows from the driver and captures the cells the rules read into a
// rowBatch; the normaliser checks and parses them and hands the events to
// the accumulator. The driver's decoding, usually most of a row's cost,
// then overlaps cam's own work, and a long query is two streams of work
// for the scheduler instead of one (it ends a run alone otherwise).

// cellRoles are the columns a rule reads, in a batch row's order.
var cellRoles = [...]string{config.ColUser, config.ColTime, config.ColOperation, config.ColStatus, config.ColRole, config.ColIP}

// rolesRead are the cell roles read from a query of kind: a change
// query's rows are a user and a time.
func rolesRead(kind config.QueryKind) []string {
	if kind == config.KindActivity {
		return cellRoles[:]
	}
	return cellRoles[:2]
}

// Positions in a batch row.
const (
	roleUser = iota
	roleTime
	roleOperation
	roleStatus
	roleRole
	roleIP
)

// rowBatch is up to batchLen rows as the driver gave them, each row the
// cells of cellRoles (a change query's rows only the first two).
type rowBatch struct {
	cells []cell
	text  batchText // the captured cells' bytes
	rows  int
}

// batchPool is how many batches a query has: one being filled, one
// waiting and one being normalised.
const batchPool = 3

// normaliser turns a query's batches into events for the accumulator.
type normaliser struct {
	x     *execution
	times timeReader
	width int // cells per row
	shard *detect.ChangeShard
	// The events of the batch being normalised; their strings share the
	// batch's text. A change row is a user and an instant: the shard knows
	// the query's source and type.
	changes  []detect.ChangeRow
	activity []detect.ActivityEvent
	// The change rows' instants as read, zone and all, for the per-user
	// timelines (only when the run keeps them).
	changeTimes []time.Time
	newest      int64
	// Progress events go out at most once per interval.
	interval     time.Duration
	lastProgress time.Time
	// delivered: some event reached the accumulator, so a retry would
	// count it twice.
	delivered bool
}

// run normalises the batches that arrive on full until it is closed,
// returning each batch to free once the accumulator has its events.
func (n *normaliser) run(full <-chan *rowBatch, free chan<- *rowBatch) {
	for b := range full {
		if c := n.x.clock; c != nil {
			began := time.Now()
			n.normalise(b)
			normalised := time.Now()
			n.flush()
			c.normalise.Add(int64(normalised.Sub(began)))
			c.accumulate.Add(int64(time.Since(normalised)))
		} else {
			n.normalise(b)
			n.flush()
		}
		b.text.reset()
		b.rows = 0
		free <- b
		n.progressed()
	}
}

// progressed tells the run's listeners the query's counts, at most once
// per interval.
func (n *normaliser) progressed() {
	if now := time.Now(); now.Sub(n.lastProgress) >= n.interval {
		n.lastProgress = now
		x := n.x
		x.owner.events.emit(QueryProgressed{QueryRef: x.job.ref, Rows: x.rows.Load(), Rejected: x.rejected.Load()})
	}
}

func (n *normaliser) normalise(b *rowBatch) {
	x, q := n.x, n.x.job.query
	accepted := 0
	for r := range b.rows {
		row := b.cells[r*n.width : (r+1)*n.width]
		user, why, ok := row[roleUser].user()
		if !ok {
			x.reject(why)
			continue
		}
		at, why, ok := n.times.readCell(&row[roleTime])
		if !ok {
			x.reject(why)
			continue
		}
		accepted++
		nanos := at.UnixNano()
		n.newest = max(n.newest, nanos)
		if q.Kind == config.KindActivity {
			n.activity = append(n.activity, detect.ActivityEvent{User: user, Time: at,
				Operation: row[roleOperation].optional(), Status: row[roleStatus].optional(),
				Role: row[roleRole].optional(), IP: row[roleIP].optional(),
				Database: x.job.db.Name, Query: q.Name})
		} else {
			n.changes = append(n.changes, detect.ChangeRow{User: user, At: nanos})
			if x.kept != nil {
				n.changeTimes = append(n.changeTimes, at)
			}
		}
	}
	x.rows.Add(int64(accepted))
}

// flush hands the batch's events to the accumulator (which copies what it
// keeps) and to the per-user timelines.
func (n *normaliser) flush() {
	x := n.x
	if n.newest > x.newest.Load() {
		x.newest.Store(n.newest) // only this query's normaliser writes it
	}
	if len(n.changes) > 0 {
		q := x.job.query
		x.kept.addChanges(q.ChangeType, x.job.db.Name, q.Name, n.changes, n.changeTimes)
		if n.shard == nil {
			// Change rows go to this query's own shard, so queries do
			// not wait for one another's adds.
			n.shard = x.acc.NewChangeShard(x.job.db.Name, q.Name, q.ChangeType)
		}
		n.shard.AddChanges(n.changes)
		n.changes, n.changeTimes, n.delivered = n.changes[:0], n.changeTimes[:0], true
	}
	if len(n.activity) > 0 {
		x.kept.addActivities(n.activity)
		x.acc.AddActivities(n.activity)
		n.activity, n.delivered = n.activity[:0], true
	}
}
