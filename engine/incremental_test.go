package engine

import (
	"context"
	"testing"
	"time"

	"cam/config"
)

// An incremental rerun binds its own start and learns where the data ends.
func TestStartDateOverrideAndNewestRow(t *testing.T) {
	cfg := testConfig(map[string][]config.ChangeType{"a": {config.ChangeEmail}, "b": {config.ChangePhone}}, []string{"a", "b"})
	sources := map[string]*fakeSource{"a": newSource(3), "b": newSource(0)}
	since := testNow.Add(-36 * time.Hour)
	run, err := New(Options{Drivers: map[string]Driver{"fake": fakeDriver{sources}}}).
		Start(context.Background(), Request{Config: cfg, Now: testNow, StartDate: &since})
	if err != nil {
		t.Fatal(err)
	}
	res := run.Wait()
	if !res.StartDate.Equal(since) {
		t.Errorf("start date %v, want the override %v", res.StartDate, since)
	}
	// changeRows dates row i at testNow - i minutes: the newest is testNow.
	if got := res.Queries[0].Newest; !got.Equal(testNow) {
		t.Errorf("newest row of a: %v, want %v", got, testNow)
	}
	if got := res.Queries[1].Newest; !got.IsZero() {
		t.Errorf("newest row of an empty query: %v, want zero", got)
	}
}
