package triage

import (
	"context"
	"fmt"
	"testing"
	"time"

	"cam/engine"
	"cam/engine/detect"
)

// BenchmarkAnnotate stores a run of 10,000 alerts that the state already
// knows (the steady state of a rerun): ns/op is per run.
func BenchmarkAnnotate(b *testing.B) {
	ctx := context.Background()
	s, err := Open(b.TempDir(), Options{SID: "A1"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var f detect.Findings
	for i := range 10000 {
		at := t0.Add(time.Duration(i) * time.Minute)
		f.Alerts = append(f.Alerts, detect.Alert{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh,
			User: fmt.Sprint(100000 + i), Database: "crm", FirstSeen: at, LastSeen: at, Count: 6, Message: "6 failed logins",
			Evidence: []detect.Evidence{{Time: at, Database: "crm"}}})
	}
	res := engine.Result{Complete: true, Findings: f}
	b.ResetTimer()
	for range b.N {
		sum, err := s.Record(ctx, res, "A1", ModeHeadless)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Annotate(ctx, sum.ID, f, london); err != nil {
			b.Fatal(err)
		}
	}
}
