package detect

import (
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"cam/config"
)

// mix is splitmix64: a cheap, deterministic scramble for synthetic data.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// heapPeak samples the heap's live-and-unswept object bytes every
// millisecond until stop is called, and returns the highest sample.
func heapPeak() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return max(peak.Load(), read())
	}
}

// benchFindings feeds changes change events over users users (random
// users, types and times over 30 days, in no order) and activity events
// (mostly business-hours successes, with failed logins, night work and
// Guest writes as a DAM sees them) through the accumulator and all four
// rules. It reports events/s, the peak heap per event above what was in
// use before (sampled, so it includes garbage not yet collected), the heap
// still live at the end with the accumulator and its findings, and bytes
// allocated per event.
func benchFindings(b *testing.B, changes, activity, users int, batched bool) {
	// A driver hands each row's user id over as fresh bytes; the bench
	// formats it into one reused buffer, so the accumulator must copy what
	// it keeps (as it must for a driver's buffer).
	// In batches every row of a batch needs its own bytes until the batch
	// is added, so the buffer is a small arena reset per batch.
	const batchLen = 256
	arena := make([]byte, 0, 32*batchLen)
	userID := func(h uint64) string {
		if !batched {
			arena = arena[:0]
		}
		from := len(arena)
		arena = strconv.AppendUint(arena, 100000+h%uint64(users), 10)
		return unsafe.String(&arena[from], len(arena)-from)
	}
	base := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	const month = 30 * 24 * time.Hour
	ops := []string{"SELECT", "LOGIN", "UPDATE", "INSERT", "DELETE", "LOGOUT"}
	cbatch := make([]ChangeEvent, 0, batchLen)
	abatch := make([]ActivityEvent, 0, batchLen)
	n := changes + activity
	var cpu time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		stop := heapPeak()
		cpu0 := cpuTime()
		b.StartTimer()
		a := NewAccumulator(params())
		for i := range changes {
			h := mix(uint64(i))
			e := ChangeEvent{User: userID(h), Type: config.ChangeTypes[h>>60&3],
				Time: base.Add(time.Duration(h>>4) % month), Database: "client", Query: "changes"}
			if !batched {
				a.AddChange(e)
				continue
			}
			if cbatch = append(cbatch, e); len(cbatch) == batchLen {
				a.AddChanges(cbatch)
				cbatch, arena = cbatch[:0], arena[:0]
			}
		}
		a.AddChanges(cbatch)
		cbatch, arena = cbatch[:0], arena[:0]
		for i := range activity {
			h := mix(uint64(i) + 1<<40)
			// 90% inside 09:00–18:00 London, the rest at any hour.
			day := base.Add(time.Duration(h%30) * 24 * time.Hour)
			at := day.Add(9*time.Hour + time.Duration(h>>16)%(8*time.Hour))
			if h>>8%10 == 0 {
				at = day.Add(time.Duration(h>>16) % (24 * time.Hour))
			}
			e := ActivityEvent{User: userID(h >> 24), Time: at, Operation: ops[h>>40%uint64(len(ops))],
				Status: "SUCCESS", Role: "User", IP: "10.0.0.1", Database: "dam", Query: "activity"}
			if h>>48%20 == 0 {
				e.Status = "FAILED"
			}
			if h>>52%100 == 0 {
				e.Role = "Guest"
			}
			if !batched {
				a.AddActivity(e)
				continue
			}
			if abatch = append(abatch, e); len(abatch) == batchLen {
				a.AddActivities(abatch)
				abatch, arena = abatch[:0], arena[:0]
			}
		}
		a.AddActivities(abatch)
		abatch, arena = abatch[:0], arena[:0]
		f := a.Findings(nil)
		b.StopTimer()
		cpu += cpuTime() - cpu0
		peak := stop()
		// What stays live with the accumulator and its findings, without
		// the garbage the collector had not yet reclaimed at the peak.
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(a)
		b.ReportMetric(float64(after.HeapAlloc-min(after.HeapAlloc, before.HeapAlloc))/float64(n), "live-B/event")
		b.ReportMetric(float64(peak-min(peak, before.HeapAlloc))/float64(n), "peak-B/event")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(n), "alloc-B/event")
		b.ReportMetric(float64(len(f.Takeovers)), "takeovers")
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	// The machine is shared: events per second of this process's CPU time
	// is the figure that does not depend on the neighbours.
	b.ReportMetric(float64(n)*float64(b.N)/cpu.Seconds(), "events/cpu-s")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFindings1M is a quick run: 800k changes over 80k users and
// 200k activity events.
func BenchmarkFindings1M(b *testing.B) { benchFindings(b, 800_000, 200_000, 80_000, false) }

// BenchmarkFindings10M is the target: 10M change events over 1M
// users plus 2.5M activity events, one event per call.
func BenchmarkFindings10M(b *testing.B) { benchFindings(b, 10_000_000, 2_500_000, 1_000_000, false) }

// BenchmarkFindings10MBatched is BenchmarkFindings10M through the batch
// API (256 events per lock).
func BenchmarkFindings10MBatched(b *testing.B) {
	benchFindings(b, 10_000_000, 2_500_000, 1_000_000, true)
}
