package detect

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"cam/config"
)

// benchFindings feeds n synthetic events (half changes over n/20 users,
// half business-hours activity with some failures and night work) and
// evaluates the rules, reporting events/s and bytes/event.
func benchFindings(b *testing.B, n int) {
	users := make([]string, n/20+1)
	for i := range users {
		users[i] = fmt.Sprint(100000 + i)
	}
	base := time.Date(2026, 11, 2, 9, 0, 0, 0, london)
	b.ReportAllocs()
	b.ResetTimer()
	for iter := 0; iter < b.N; iter++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		a := NewAccumulator(params())
		for i := 0; i < n/2; i++ {
			a.AddChange(ChangeEvent{User: users[i%len(users)], Type: config.ChangeTypes[i%4],
				Time: base.Add(time.Duration(i) * time.Second), Database: "client", Query: "changes"})
		}
		for i := 0; i < n/2; i++ {
			status := "SUCCESS"
			if i%7 == 0 {
				status = "FAILED"
			}
			a.AddActivity(ActivityEvent{User: users[i%len(users)], Operation: "LOGIN", Status: status, Role: "User",
				Time: base.Add(time.Duration(i%40000) * time.Second), Database: "dam", Query: "activity", IP: "10.0.0.1"})
		}
		a.Findings(nil)
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(n), "bytes/event")
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkFindings1M(b *testing.B)  { benchFindings(b, 1_000_000) }
func BenchmarkFindings10M(b *testing.B) { benchFindings(b, 10_000_000) }
