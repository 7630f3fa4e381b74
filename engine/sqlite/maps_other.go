//go:build !linux

package sqlite

// Elsewhere than Linux the mapped pages are left to the kernel: the unix
// VFS's system-call table as maps_linux.go uses it, and /proc/self/statm,
// are Linux's.

func mapsWatched() bool    { return false }
func dropMappedPages() int { return 0 }
