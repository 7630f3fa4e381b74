//go:build !race

// The race detector makes SQLite generation of the demo ~40x slower; this
// test checks the mapping, not concurrency.

package report

import (
	"context"
	"strings"
	"testing"
	"time"

	"cam/config"
	"cam/demo"
	"cam/engine"
	"cam/engine/sqlite"
)

// TestNDJSONSchemaOverTheDemo validates every line cam writes for the
// demo's findings against the ECS schema kept in testdata.
func TestNDJSONSchemaOverTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole demo")
	}
	dir, err := demo.Prepare(t.TempDir(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(engine.Options{Drivers: map[string]engine.Driver{"sqlite": sqlite.New()}})
	run, err := eng.Start(context.Background(), engine.Request{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	res := run.Wait()
	rules := map[string]bool{}
	for _, a := range res.Findings.Alerts {
		rules[string(a.Rule)] = true
	}
	if len(res.Findings.Takeovers) == 0 || len(rules) < 4 {
		t.Fatalf("the demo found %d takeovers and rules %v; the test would prove little", len(res.Findings.Takeovers), rules)
	}
	var buf strings.Builder
	if err := WriteNDJSON(&buf, res, NDJSONOptions{SID: cfg.Settings.User.SID}); err != nil {
		t.Fatal(err)
	}
	s := loadSchema(t)
	if n := validateNDJSON(t, s, buf.String()); n != len(res.Findings.Alerts) {
		t.Errorf("%d lines for %d alerts", n, len(res.Findings.Alerts))
	}
	if !strings.Contains(buf.String(), `"source":{"ip":`) {
		t.Error("no line of the demo has a source.ip; brute force should")
	}
}
