package engine

import (
	"context"
	"database/sql/driver"
	"fmt"
	"testing"
	"time"

	"cam/config"
)

// Rows reach the rules in batches; a user whose four changes sit in
// different batches, and in the last partial batch, is still a takeover,
// and every row is counted once.
func TestBatchedRowsAllReachTheRules(t *testing.T) {
	at := testNow.Add(-time.Hour).Format("2006-01-02 15:04:05")
	sources := map[string]*fakeSource{}
	dbs := map[string][]config.ChangeType{}
	var order []string
	for i, ct := range config.ChangeTypes {
		name := string(ct)
		rows := changeRows(4*batchLen + 17)
		for k := range rows {
			rows[k][0] = fmt.Sprint(ct, k) // users differ per type: no other takeover
		}
		// The planted user's row lands in a different batch per type.
		rows[i*batchLen+batchLen/2] = []driver.Value{"planted", at}
		if i == 3 {
			rows[len(rows)-1] = []driver.Value{"planted", at}
		}
		sources[name] = &fakeSource{cols: []string{"user_id", "change_timestamp"}, rows: rows}
		dbs[name] = []config.ChangeType{ct}
		order = append(order, name)
	}
	res := start(t, context.Background(), sources, testConfig(dbs, order)).Wait()
	if !res.Complete {
		t.Fatalf("incomplete: %+v", res.Queries)
	}
	var takeovers []string
	for _, tk := range res.Findings.Takeovers {
		takeovers = append(takeovers, tk.User)
	}
	if fmt.Sprint(takeovers) != "[planted]" {
		t.Errorf("takeovers %v, want [planted]", takeovers)
	}
	for _, q := range res.Queries {
		if q.Rows != 4*batchLen+17 {
			t.Errorf("%s: %d rows, want %d", q.Query, q.Rows, 4*batchLen+17)
		}
	}
}

// cam run --stats: phases are measured only when asked for.
func TestPhasesMeasuredOnlyWhenAsked(t *testing.T) {
	cfg := testConfig(map[string][]config.ChangeType{"db": {config.ChangePassword}}, []string{"db"})
	for _, measure := range []bool{false, true} {
		t.Run(fmt.Sprint("measure=", measure), func(t *testing.T) {
			sources := map[string]*fakeSource{"db": newSource(2000)}
			res := start(t, context.Background(), sources, cfg, func(o *Options) { o.MeasurePhases = measure }).Wait()
			p := res.Phases
			got := p.Fetching > 0 && p.Fetch > 0 && p.Normalise > 0 && p.Accumulate > 0 && p.Rules > 0
			if measure && !got {
				t.Errorf("phases not measured: %+v", p)
			}
			if !measure && p != (Phases{}) {
				t.Errorf("phases measured without being asked: %+v", p)
			}
		})
	}
}
