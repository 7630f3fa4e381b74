package engine

import (
	"sync/atomic"
	"time"
)

// phaseClock sums one query's time per phase, in nanoseconds.
type phaseClock struct {
	fetch, normalise, accumulate atomic.Int64
}

// sampleEvery is how often a row's fetch and normalise phases are timed:
// one row in sampleEvery, counted sampleEvery times. Reading the clock
// three times per row cost about 7% of a SQLite run's CPU (time.Now is
// ~55 ns on this kind of virtual machine), which --stats would then
// report as cam's own cost; a sample of one row in 13 over millions of
// rows estimates the split as well.
const sampleEvery = 13

// phaseTimer times the phases of one query's consume loop for
// cam run --stats. A nil clock makes every method a no-op, so the loop
// pays one comparison per call when phases are not measured.
type phaseTimer struct {
	clock *phaseClock
	rows  uint64
	timed bool // the current row's phases are being timed (never without a clock)
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

// fetched ends the row's fetch phase (rows.Next and Scan).
func (t *phaseTimer) fetched() {
	if t.timed {
		t.lap(&t.clock.fetch)
	}
}

// normalised ends the row's normalise phase.
func (t *phaseTimer) normalised() {
	if t.timed {
		t.lap(&t.clock.normalise)
	}
}

// lap adds the time since the mark, scaled to the rows not timed.
func (t *phaseTimer) lap(into *atomic.Int64) {
	now := time.Now()
	into.Add(sampleEvery * int64(now.Sub(t.mark)))
	t.mark = now
}

// accumulate times one hand-over of a batch to the accumulator, which
// happens once per batch and is timed every time.
func (t *phaseTimer) accumulate(handOver func()) {
	if t.clock == nil {
		handOver()
		return
	}
	began := time.Now()
	handOver()
	t.clock.accumulate.Add(int64(time.Since(began)))
	t.timed = false // the mark is stale until the next row starts
}
