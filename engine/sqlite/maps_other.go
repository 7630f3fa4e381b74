//go:build !linux

package sqlite

// Elsewhere than Linux the mapped pages are left to the kernel: the unix
// VFS's system-call table and /proc/self/statm are what maps_linux.go
// relies on.

func mapsWatched() bool        { return false }
func residentFileBytes() int64 { return 0 }
func dropMappedPages() int     { return 0 }
