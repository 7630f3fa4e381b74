package engine

import (
	"sync/atomic"
	"time"
)

// phaseClock sums one query's time per phase, in nanoseconds.
type phaseClock struct {
	fetch, normalise, accumulate atomic.Int64
}

// sampleEvery is how often a row's fetch is timed: one row in sampleEvery,
// counted sampleEvery times. Reading the clock around every row cost
// about 7% of a SQLite run's CPU (time.Now is ~55 ns on this kind of
// virtual machine), which --stats would then report as cam's own cost; a
// sample of one row in 13 over millions of rows estimates it as well.
// (The normaliser times whole batches.)
const sampleEvery = 13

// phaseTimer times the reader's fetches for cam run --stats. A nil clock
// makes its methods no-ops.
type phaseTimer struct {
	clock *phaseClock
	rows  uint64
	timed bool // the current row's fetch is being timed (never without a clock)
	mark  time.Time
}

// row starts a row: call it before the driver fetches the row.
func (t *phaseTimer) row() {
	if t.clock == nil {
		return
	}
	t.timed = t.rows%sampleEvery == 0
	t.rows++
	if t.timed {
		t.mark = time.Now()
	}
}

// fetched ends the row's fetch: rows.Next, Scan and capturing its cells.
func (t *phaseTimer) fetched() {
	if t.timed {
		t.clock.fetch.Add(sampleEvery * int64(time.Since(t.mark)))
	}
}
