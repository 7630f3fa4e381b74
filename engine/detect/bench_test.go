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

// benchInput is a run's events made before the timer starts, so that the
// benchmark times the detection core rather than its own random numbers,
// number formatting and calendar arithmetic. The events' id text lies in
// arrival order, as rows come off a driver's connection; the rest of each
// event is a few small fields and an instant, all pointer-free (the
// collector does not scan them).
type benchInput struct {
	changeIDs []byte   // each change's user id, in order
	changes   []uint32 // id length | type<<30
	changeAt  []int64  // Unix nanoseconds
	actIDs    []byte
	activity  []uint32 // id length | operation<<20 | failed<<23 | guest<<24
	actAt     []int64
}

func newBenchInput(changes, activity, users int, wholeSeconds bool) *benchInput {
	in := &benchInput{changes: make([]uint32, changes), changeAt: make([]int64, changes),
		activity: make([]uint32, activity), actAt: make([]int64, activity)}
	id := func(ids []byte, h uint64) ([]byte, uint32) {
		n := len(ids)
		ids = strconv.AppendUint(ids, 100000+h%uint64(users), 10)
		return ids, uint32(len(ids) - n)
	}
	base := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	const month = 30 * 24 * time.Hour
	var n uint32
	for i := range changes {
		h := mix(uint64(i))
		in.changeIDs, n = id(in.changeIDs, h)
		in.changes[i] = n | uint32(h>>60&3)<<30
		in.changeAt[i] = base.Add(time.Duration(h>>4) % month).UnixNano()
		if wholeSeconds {
			in.changeAt[i] -= in.changeAt[i] % 1e9
		}
	}
	for i := range activity {
		h := mix(uint64(i) + 1<<40)
		// 90% inside 09:00–18:00 London, the rest at any hour.
		day := base.Add(time.Duration(h%30) * 24 * time.Hour)
		at := day.Add(9*time.Hour + time.Duration(h>>16)%(8*time.Hour))
		if h>>8%10 == 0 {
			at = day.Add(time.Duration(h>>16) % (24 * time.Hour))
		}
		in.actIDs, n = id(in.actIDs, h>>24)
		r := n | uint32(h>>40%uint64(len(benchOps)))<<20
		if h>>48%20 == 0 {
			r |= 1 << 23
		}
		if h>>52%100 == 0 {
			r |= 1 << 24
		}
		in.activity[i], in.actAt[i] = r, at.UnixNano()
	}
	return in
}

var benchOps = []string{"SELECT", "LOGIN", "UPDATE", "INSERT", "DELETE", "LOGOUT"}

// benchArena is the bytes a driver hands a batch's user ids in: every row
// of a batch needs its own bytes until the batch is added, then the arena
// is reused, so the accumulator must copy what it keeps.
type benchArena struct{ buf []byte }

func (a *benchArena) id(text []byte) string {
	n := len(a.buf)
	a.buf = append(a.buf, text...)
	return unsafe.String(&a.buf[n], len(text))
}

// benchFindings feeds changes change events over users users (random
// users, types and times over 30 days, in no order) and activity events
// (mostly business-hours successes, with failed logins, night work and
// Guest writes as a DAM sees them) through the accumulator and all four
// rules. It reports events/s, the peak heap per event above what was in
// use before (sampled, so it includes garbage not yet collected), the heap
// still live at the end with the accumulator and its findings, and bytes
// allocated per event.
//
// Timed: copying each row's id into a reused arena and making its
// time.Time (as a driver's scan does), the adds, and Findings. Not timed:
// choosing the users, types and instants and formatting the ids
// (newBenchInput), which a driver's own decoding stands for.
//
// Batched, the events go the way the engine sends them: each change type
// is its own query, adding 256-row batches through its own ChangeShard,
// and activity arrives in 256-row batches through AddActivities. One
// event per call uses AddChange and AddActivity.
func benchFindings(b *testing.B, changes, activity, users int, batched, wholeSeconds bool) {
	in := newBenchInput(changes, activity, users, wholeSeconds)
	const batchLen = 256
	types := config.ChangeTypes
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
		// One query (shard, batch, arena) per change type.
		var shards [4]*ChangeShard
		var cbatch [4][]ChangeRow
		var carena [4]benchArena
		queries := [4]string{}
		for t := range types {
			queries[t] = "changes-" + string(types[t])
			if batched {
				shards[t], cbatch[t], carena[t].buf = a.NewChangeShard("client", queries[t], types[t]), make([]ChangeRow, 0, batchLen), make([]byte, 0, 16*batchLen)
			}
		}
		var one benchArena
		off := 0
		for i, r := range in.changes {
			t := r >> 30
			ar := &carena[t]
			if !batched {
				ar = &one
				ar.buf = ar.buf[:0]
			}
			text := in.changeIDs[off : off+int(r&0xff)]
			off += len(text)
			// The instant as a driver's scan makes it; the engine's
			// normaliser hands a shard its Unix nanoseconds.
			at := time.Unix(0, in.changeAt[i]).UTC()
			if !batched {
				a.AddChange(ChangeEvent{User: ar.id(text), Type: types[t], Time: at, Database: "client", Query: queries[t]})
				continue
			}
			if cbatch[t] = append(cbatch[t], ChangeRow{User: ar.id(text), At: at.UnixNano()}); len(cbatch[t]) == batchLen {
				shards[t].AddChanges(cbatch[t])
				cbatch[t], ar.buf = cbatch[t][:0], ar.buf[:0]
			}
		}
		for t := range shards {
			if batched {
				shards[t].AddChanges(cbatch[t])
			}
		}
		abatch := make([]ActivityEvent, 0, batchLen)
		aarena := benchArena{buf: make([]byte, 0, 16*batchLen)}
		off = 0
		for i, r := range in.activity {
			ar := &aarena
			if !batched {
				ar.buf = ar.buf[:0]
			}
			text := in.actIDs[off : off+int(r&0xff)]
			off += len(text)
			e := ActivityEvent{User: ar.id(text), Time: time.Unix(0, in.actAt[i]).UTC(), Operation: benchOps[r>>20&7],
				Status: "SUCCESS", Role: "User", IP: "10.0.0.1", Database: "dam", Query: "activity"}
			if r&(1<<23) != 0 {
				e.Status = "FAILED"
			}
			if r&(1<<24) != 0 {
				e.Role = "Guest"
			}
			if !batched {
				a.AddActivity(e)
				continue
			}
			if abatch = append(abatch, e); len(abatch) == batchLen {
				a.AddActivities(abatch)
				abatch, ar.buf = abatch[:0], ar.buf[:0]
			}
		}
		a.AddActivities(abatch)
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
	runtime.KeepAlive(in)
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
func BenchmarkFindings1M(b *testing.B) { benchFindings(b, 800_000, 200_000, 80_000, false, false) }

// BenchmarkFindings10M is the target: 10M change events over 1M
// users plus 2.5M activity events, one event per call.
func BenchmarkFindings10M(b *testing.B) {
	benchFindings(b, 10_000_000, 2_500_000, 1_000_000, false, false)
}

// BenchmarkFindings10MBatched is BenchmarkFindings10M through the batch
// API (256 events per lock).
func BenchmarkFindings10MBatched(b *testing.B) {
	benchFindings(b, 10_000_000, 2_500_000, 1_000_000, true, false)
}

// BenchmarkFindings10MSeconds is BenchmarkFindings10MBatched with change
// instants in whole seconds, as text timestamps without fractions (MySQL
// DATETIME, Oracle DATE) give them: the 8-byte change records' case.
func BenchmarkFindings10MSeconds(b *testing.B) {
	benchFindings(b, 10_000_000, 2_500_000, 1_000_000, true, true)
}

// BenchmarkFindingsOnly10M times Findings alone over BenchmarkFindings10M's
// events, added (through a shard per type) before the timer starts: the
// rules' share, to tune them without the adds' noise.
func BenchmarkFindingsOnly10M(b *testing.B) {
	in := newBenchInput(10_000_000, 2_500_000, 1_000_000, false)
	a := NewAccumulator(params())
	types := config.ChangeTypes
	var shards [4]*ChangeShard
	for t := range shards {
		shards[t] = a.NewChangeShard("client", "changes-"+string(types[t]), types[t])
	}
	off := 0
	for i, r := range in.changes {
		n := int(r & 0xff)
		t := r >> 30
		shards[t].AddChanges([]ChangeRow{{User: string(in.changeIDs[off : off+n]), At: in.changeAt[i]}})
		off += n
	}
	off = 0
	for i, r := range in.activity {
		n := int(r & 0xff)
		e := ActivityEvent{User: string(in.actIDs[off : off+n]), Time: time.Unix(0, in.actAt[i]), Operation: benchOps[r>>20&7],
			Status: "SUCCESS", Role: "User", IP: "10.0.0.1", Database: "dam", Query: "activity"}
		off += n
		if r&(1<<23) != 0 {
			e.Status = "FAILED"
		}
		if r&(1<<24) != 0 {
			e.Role = "Guest"
		}
		a.AddActivity(e)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if f := a.Findings(nil); len(f.Takeovers) == 0 {
			b.Fatal("no takeovers")
		}
	}
}
