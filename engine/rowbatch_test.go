package engine

import (
	"context"
	"testing"
	"time"

	"cam/config"
)

// Rows reach the rules in batches, but a source that delivers slowly does
// not hold its rows back until a batch is full: its rows are counted (the
// TUI's status table shows them) while it is still delivering.
func TestSlowSourceShowsRowsBeforeItEnds(t *testing.T) {
	const rows = 200 // fewer than a batch
	src := newSource(rows)
	src.rowGap = 2 * time.Millisecond
	cfg := testConfig(map[string][]config.ChangeType{"db": {config.ChangePassword}}, []string{"db"})
	run := start(t, context.Background(), map[string]*fakeSource{"db": src}, cfg, func(o *Options) {
		o.ProgressInterval = 20 * time.Millisecond
	})
	var partial int64
	evs, res := collect(run)
	for _, ev := range evs {
		if p, ok := ev.(QueryProgressed); ok && p.Rows > 0 && p.Rows < rows && partial == 0 {
			partial = p.Rows
		}
	}
	if partial == 0 {
		t.Errorf("no progress showed rows before the query ended: %+v", evs)
	}
	if got := res.Queries[0].Rows; got != rows {
		t.Errorf("%d rows counted, want %d", got, rows)
	}
}
