package sqlite

import (
	"database/sql/driver"
	"sync"

	"cam/internal/procmem"
)

// A run maps each database file whole (see mmapSize), and every mapped
// page a scan has touched stays in the process's resident set until its
// connection closes, once per connection that touched it: on the issue #17
// bench, three queries over one file whose tables lie interleaved (the
// kernel maps a faulted page's neighbours too), 318 MB of a 358 MB peak for
// 188 MB of files. So a scan, every checkEvery rows, looks at how much of
// the resident set is file pages and, above a budget, drops the mapped
// database pages (maps_linux.go). A page read again after that is mapped
// again from the kernel's page cache: a page fault, no disk read.

// checkEvery is how many rows a scan reads between looks at the resident
// set (a read of /proc/self/statm, a few microseconds).
const checkEvery = 4096

// baseMapBudget is the file-backed resident memory above which the mapped
// database pages are dropped. It counts cam's own program text too (about
// 15 MB).
const baseMapBudget = 64 << 20

// maxBytesPerRow tells a scan in stored order from one that jumps about.
// Read in order (an audit table written in time order, read through its
// time index), the bench's queries map 150-200 bytes of file per row
// (their tables interleaved in one file, three connections mapping it), so
// a 64 MB budget fills every 350,000 rows. Read out of order (rows
// inserted in random order, read through the same index), each row maps a
// fresh 64 KiB (the kernel maps a faulted page's neighbours too) and the
// budget fills within a few thousand rows: dropping then makes nearly
// every row fault again (on the bench's random-order data, 5.5 s of system
// time for no memory saved). Above this rate the budget is doubled
// instead of the pages dropped.
const maxBytesPerRow = 2048

// mapGovernor decides, for all of the process's scans, when to drop.
type mapGovernor struct {
	mu        sync.Mutex
	budget    int64
	afterDrop int64 // file-backed resident bytes after the last drop
	sinceDrop int64 // rows read by all scans since the last drop
	scans     int   // scans reading now
	resident  func() int64
	drop      func() int
}

var governor = &mapGovernor{budget: baseMapBudget, resident: residentFileBytes, drop: dropMappedPages}

// residentFileBytes is the process's file-backed resident memory.
func residentFileBytes() int64 {
	_, file := procmem.Resident()
	return file
}

// look is called by a scan after every checkEvery rows it reads.
func (g *mapGovernor) look(rows int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sinceDrop += rows
	resident := g.resident()
	if resident <= g.budget {
		return
	}
	perRow := (resident - g.afterDrop) / g.sinceDrop
	if perRow > maxBytesPerRow {
		g.budget *= 2
		return
	}
	g.drop()
	g.afterDrop, g.sinceDrop = g.resident(), 0
}

// begin counts a scan in.
func (g *mapGovernor) begin() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.scans++
}

// end counts a scan out. When none is left, the next run starts from the
// base budget: a budget doubled for one run's scans out of order is not
// kept for the next run's (the TUI reruns in one process).
func (g *mapGovernor) end() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.scans--; g.scans == 0 {
		g.budget, g.afterDrop, g.sinceDrop = baseMapBudget, g.resident(), 0
	}
}

// modernRows is what modernc's rows offer, so the wrapper keeps every
// method database/sql looks for.
type modernRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// droppingRows counts the rows a scan reads and has the governor keep
// the mapped pages within its budget.
type droppingRows struct {
	modernRows
	read   int
	closed bool
}

// boundMappedPages wraps rows so its scan keeps the mapped pages within
// the budget; rows of another kind pass unchanged.
func boundMappedPages(rows driver.Rows) driver.Rows {
	if r, ok := rows.(modernRows); ok && mapsWatched() {
		governor.begin()
		return &droppingRows{modernRows: r}
	}
	return rows
}

// Next reads a row, first dropping the mapped pages when the look due
// finds them over the budget.
func (r *droppingRows) Next(dest []driver.Value) error {
	r.read++
	if r.read%checkEvery == 0 {
		governor.look(checkEvery)
	}
	return r.modernRows.Next(dest)
}

// Close closes the rows and counts the scan out.
func (r *droppingRows) Close() error {
	if !r.closed {
		r.closed = true
		governor.end()
	}
	return r.modernRows.Close()
}
