// Package procmem reads how much of the process is resident in memory:
// its anonymous memory (heap, stacks) and its file pages (the program's
// text, files mapped into memory, such as SQLite's database maps).
package procmem

import (
	"bytes"
	"os"
	"strconv"
)

// Resident returns the process's resident anonymous and file-backed
// memory in bytes, from /proc/self/statm (resident, and shared: file
// pages and shared memory, which cam does not use), one short line that
// is cheap to read often. Zeros where it cannot be read (not Linux).
func Resident() (anon, file int64) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, 0
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0, 0
	}
	resident, err1 := strconv.ParseInt(string(f[1]), 10, 64)
	shared, err2 := strconv.ParseInt(string(f[2]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0
	}
	page := int64(os.Getpagesize())
	return (resident - shared) * page, shared * page
}
