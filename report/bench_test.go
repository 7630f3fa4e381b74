package report

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"cam/engine"
	"cam/report/reporttest"
)

// liveProbe passes writes through and, every `every` bytes, collects
// garbage and records the live heap: its peak minus the live heap before
// the export is what the export itself holds, whatever the garbage
// collector's headroom (which grows with the result already in memory).
type liveProbe struct {
	w       io.Writer
	every   int64
	since   int64
	written int64
	base    uint64
	peak    uint64
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func (p *liveProbe) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.written += int64(n)
	if p.since += int64(n); p.every > 0 && p.since >= p.every {
		p.since = 0
		p.sample()
	}
	return n, err
}

func (p *liveProbe) sample() {
	if h := liveHeap(); h > p.base && h-p.base > p.peak {
		p.peak = h - p.base
	}
}

// exportTo writes one format of res through a probe into a file in dir,
// as Export does (buffered), and returns the probe; every 0 measures no
// memory (for timing).
func exportTo(tb testing.TB, dir, format string, res engine.Result, every int64) *liveProbe {
	f, err := os.Create(filepath.Join(dir, "out."+format))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	probe := &liveProbe{w: f, every: every}
	if every > 0 {
		probe.base = liveHeap()
	}
	bw := bufio.NewWriter(probe)
	view := FullView(res)
	switch format {
	case FormatXLSX:
		err = WriteWorkbook(bw, res, view, Meta{Version: "bench", SID: "A12345"})
	case FormatCSV:
		if err = WriteSuspiciousCSV(bw, view.Takeovers, view.Types); err == nil {
			err = WriteAlertsCSV(bw, view.Alerts)
		}
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		tb.Fatal(err)
	}
	if every > 0 {
		probe.sample()
	}
	return probe
}

// BenchmarkExport150kUsers1MAlerts writes the xlsx and csv reports of a
// run with 150,000 suspicious users and 1,000,000 alerts: the time per
// export, the file size (file-MB) and the live heap the export holds on
// top of the result (live-MB: measured in one untimed export that collects
// garbage every 8 MB written, since forced collections over the result's
// heap would swamp the timing).
// Run: go test ./report -run '^$' -bench Export150k -benchtime 1x -benchmem
func BenchmarkExport150kUsers1MAlerts(b *testing.B) {
	res := reporttest.Big(150_000, 1_000_000, time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	for _, format := range []string{FormatXLSX, FormatCSV} {
		b.Run(format, func(b *testing.B) {
			b.StopTimer()
			probed := exportTo(b, b.TempDir(), format, res, 8<<20)
			peak, written := probed.peak, probed.written
			b.StartTimer()
			for range b.N {
				exportTo(b, b.TempDir(), format, res, 0)
			}
			b.ReportMetric(float64(peak)/(1<<20), "live-MB")
			b.ReportMetric(float64(written)/(1<<20), "file-MB")
			if peak > 300<<20 {
				b.Errorf("the export held %d MB above the result, want under 300 MB", peak>>20)
			}
		})
	}
}

// TestExportMemoryDoesNotGrowWithRows: what the export holds while writing
// 100,000 alerts is about what it holds for 10,000 (it streams), for the
// workbook and the CSV files alike.
func TestExportMemoryDoesNotGrowWithRows(t *testing.T) {
	if testing.Short() {
		t.Skip("builds large results")
	}
	at := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	small, large := reporttest.Big(2_000, 10_000, at), reporttest.Big(20_000, 100_000, at)
	for _, format := range []string{FormatXLSX, FormatCSV} {
		t.Run(format, func(t *testing.T) {
			s := exportTo(t, t.TempDir(), format, small, 512<<10).peak
			l := exportTo(t, t.TempDir(), format, large, 4<<20).peak
			t.Logf("live heap held: %d KB for 10k alerts, %d KB for 100k", s>>10, l>>10)
			if l > 2*s+(4<<20) {
				t.Errorf("memory grows with rows: %d KB for 10k alerts, %d KB for 100k", s>>10, l>>10)
			}
		})
	}
}
