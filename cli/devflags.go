package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"cam/engine"
	"cam/internal/procmem"
)

// devFlags are cam run's developer flags: --stats prints where the time
// went, --cpuprofile and --memprofile write pprof profiles, so anyone can
// reproduce the figures in docs/PERFORMANCE.md. They change no output on
// stdout and no exit code.
type devFlags struct {
	stats      *bool
	cpuProfile *string
	memProfile *string

	began   time.Time
	cpuFile *os.File
}

// newDevFlags registers the developer flags on fs.
func newDevFlags(fs *flag.FlagSet) *devFlags {
	return &devFlags{
		stats:      fs.Bool("stats", false, "developer: print the phase split (fetch, normalise, rules, output) and peak memory on stderr"),
		cpuProfile: fs.String("cpuprofile", "", "developer: write a CPU profile of the run to `FILE` (go tool pprof)"),
		memProfile: fs.String("memprofile", "", "developer: write a heap profile at the end of the run to `FILE` (go tool pprof)"),
	}
}

// start begins the CPU profile, if asked for; a file that cannot be
// created is a usage error, reported before any query runs.
func (d *devFlags) start() error {
	d.began = time.Now()
	if *d.cpuProfile == "" {
		return nil
	}
	f, err := os.Create(*d.cpuProfile)
	if err != nil {
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("--cpuprofile %s: %w", *d.cpuProfile, err)
	}
	d.cpuFile = f
	return nil
}

// engineOptions adds what the flags need from the engine to opts.
func (d *devFlags) engineOptions(opts engine.Options) engine.Options {
	opts.MeasurePhases = *d.stats
	return opts
}

// finish stops the CPU profile, writes the heap profile and prints the
// stats; output is how long the findings took to write. Problems go to
// errw: the run's own outcome stands.
func (d *devFlags) finish(errw io.Writer, res engine.Result, output time.Duration) {
	d.stopCPU(errw)
	if *d.memProfile != "" {
		if err := writeHeapProfile(*d.memProfile); err != nil {
			fmt.Fprintf(errw, "cam run: --memprofile: %v\n", err)
		}
	}
	if *d.stats {
		// Peak RSS counts both; mapped database pages are page cache the
		// kernel can drop, not memory cam holds.
		anon, file := procmem.Resident()
		fmt.Fprintf(errw, "%s rss_anon_mb=%d rss_file_mb=%d\n", statsLine(res, output, time.Since(d.began), peakRSS()), anon>>20, file>>20)
	}
}

// stopCPU ends the CPU profile if one is running; run defers it so that a
// run ending early still leaves a complete profile.
func (d *devFlags) stopCPU(errw io.Writer) {
	if d.cpuFile == nil {
		return
	}
	pprof.StopCPUProfile()
	if err := d.cpuFile.Close(); err != nil {
		fmt.Fprintf(errw, "cam run: --cpuprofile: %v\n", err)
	}
	d.cpuFile = nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC() // the profile shows live memory as of the end of the run
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// statsLine is one line of key=value pairs, for people and for the bench
// script. fetch_wall and rules are wall time; fetch, normalise and
// accumulate are summed over the queries, which run at once.
func statsLine(res engine.Result, output, total time.Duration, rssBytes int64) string {
	var rows, rejected int64
	for _, q := range res.Queries {
		rows += q.Rows
		rejected += q.Rejected
	}
	p := res.Phases
	sec := func(d time.Duration) string { return fmt.Sprintf("%.3fs", d.Seconds()) }
	return fmt.Sprintf("cam stats: rows=%d rejected=%d queries=%d fetch_wall=%s fetch=%s normalise=%s accumulate=%s rules=%s output=%s total=%s peak_rss_mb=%d",
		rows, rejected, len(res.Queries), sec(p.Fetching), sec(p.Fetch), sec(p.Normalise), sec(p.Accumulate),
		sec(p.Rules), sec(output), sec(total), rssBytes>>20)
}

// peakRSS is the process's peak resident set size in bytes (Linux reports
// kilobytes); 0 when unknown.
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss) << 10
}
