package sqlite

import (
	"fmt"
	"sync"
	"syscall"
	"unsafe"

	"modernc.org/libc"
	lib "modernc.org/sqlite/lib"
)

// SQLite's unix VFS makes its system calls through a table that the
// documented xSetSystemCall replaces entry by entry. cam replaces mmap,
// munmap and mremap with wrappers that note each read-only shared mapping
// of a database file, so that dropMappedPages can take the mapped pages out
// of the process's resident set while a scan goes on (see rowsdrop.go).
// The wrappers hold mapsMu across the real call, and dropMappedPages holds
// it across its madvise calls, so a range is never advised after SQLite
// has unmapped it (and the address perhaps been reused for other memory).

// mapped is one mapping SQLite made of a database file: [start, end).
type mapped struct{ start, end uintptr }

var (
	mapsMu sync.Mutex
	maps   []mapped

	// The unix VFS's own calls, which the wrappers make.
	realMmap, realMunmap, realMremap uintptr

	// errMapsNotWatched says why the wrappers are not installed (nil when
	// they are); SQLite then maps as before and nothing is dropped.
	errMapsNotWatched error
)

// The wrappers' signatures are those the unix VFS calls them with.
type (
	mmapFunc   = func(*libc.TLS, uintptr, lib.Tsize_t, int32, int32, int32, lib.Toff_t) uintptr
	munmapFunc = func(*libc.TLS, uintptr, lib.Tsize_t) int32
	mremapFunc = func(*libc.TLS, uintptr, lib.Tsize_t, lib.Tsize_t, int32, uintptr) uintptr
)

// mapFailed is mmap's and mremap's MAP_FAILED, (void *)-1.
const mapFailed = ^uintptr(0)

// The wrappers must be in place before the first connection maps a file,
// and xSetSystemCall is not safe while another goroutine uses SQLite:
// package initialisation runs before either can happen.
func init() { errMapsNotWatched = watchMaps() }

// watchMaps installs the wrappers in the default (unix) VFS.
func watchMaps() error {
	tls := libc.NewTLS()
	defer tls.Close()
	vfsAddr := lib.Xsqlite3_vfs_find(tls, 0)
	if vfsAddr == 0 {
		return fmt.Errorf("sqlite: no default VFS")
	}
	// A pointer held as uintptr, read through a pointer to it, as
	// modernc's own Go code does (vet's unsafeptr check refuses the
	// direct conversion).
	vfs := *(**lib.Tsqlite3_vfs)(unsafe.Pointer(&vfsAddr))
	if vfs.FiVersion < 3 || vfs.FxSetSystemCall == 0 || vfs.FxGetSystemCall == 0 {
		return fmt.Errorf("sqlite: the default VFS cannot replace system calls (version %d)", vfs.FiVersion)
	}
	getCall := *(*func(*libc.TLS, uintptr, uintptr) uintptr)(unsafe.Pointer(&vfs.FxGetSystemCall))
	setCall := *(*func(*libc.TLS, uintptr, uintptr, uintptr) int32)(unsafe.Pointer(&vfs.FxSetSystemCall))
	for _, c := range []struct {
		name    string
		real    *uintptr
		wrapper uintptr
	}{
		{"mmap", &realMmap, funcPointer[mmapFunc](mmapWatched)},
		{"munmap", &realMunmap, funcPointer[munmapFunc](munmapWatched)},
		{"mremap", &realMremap, funcPointer[mremapFunc](mremapWatched)},
	} {
		name, err := libc.CString(c.name)
		if err != nil {
			return err
		}
		*c.real = getCall(tls, vfsAddr, name)
		rc := int32(lib.SQLITE_NOTFOUND)
		if *c.real != 0 {
			rc = setCall(tls, vfsAddr, name, c.wrapper)
		}
		libc.Xfree(tls, name)
		if rc != lib.SQLITE_OK {
			restoreCalls(tls, setCall, vfsAddr)
			return fmt.Errorf("sqlite: cannot replace the VFS's %s (code %d)", c.name, rc)
		}
	}
	return nil
}

// restoreCalls puts every system call of the VFS back to its default, so a
// failed install leaves no half of the wrappers in place.
func restoreCalls(tls *libc.TLS, setCall func(*libc.TLS, uintptr, uintptr, uintptr) int32, vfsAddr uintptr) {
	setCall(tls, vfsAddr, 0, 0)
	realMmap, realMunmap, realMremap = 0, 0, 0
}

// funcPointer is a top-level Go function as the C-level function pointer
// modernc's SQLite calls through (a Go func value is a pointer to a static
// function descriptor).
func funcPointer[F any](f F) uintptr {
	return *(*uintptr)(unsafe.Pointer(&struct{ f F }{f}))
}

func mmapWatched(tls *libc.TLS, addr uintptr, length lib.Tsize_t, prot, flags, fd int32, off lib.Toff_t) uintptr {
	p := (*(*mmapFunc)(unsafe.Pointer(&realMmap)))(tls, addr, length, prot, flags, fd, off)
	// The database file's map is read-only and shared. A WAL's index
	// (-shm) is mapped writable: it is left alone.
	if p != mapFailed && p != 0 && prot == syscall.PROT_READ && flags&syscall.MAP_SHARED != 0 {
		mapsMu.Lock()
		maps = append(maps, mapped{p, p + uintptr(length)})
		mapsMu.Unlock()
	}
	return p
}

func munmapWatched(tls *libc.TLS, addr uintptr, length lib.Tsize_t) int32 {
	mapsMu.Lock()
	defer mapsMu.Unlock()
	rc := (*(*munmapFunc)(unsafe.Pointer(&realMunmap)))(tls, addr, length)
	if rc == 0 {
		forgetRange(addr, addr+uintptr(length))
	}
	return rc
}

func mremapWatched(tls *libc.TLS, old uintptr, oldSize, newSize lib.Tsize_t, flags int32, va uintptr) uintptr {
	mapsMu.Lock()
	defer mapsMu.Unlock()
	p := (*(*mremapFunc)(unsafe.Pointer(&realMremap)))(tls, old, oldSize, newSize, flags, va)
	if p != mapFailed && p != 0 && forgetRange(old, old+uintptr(oldSize)) {
		maps = append(maps, mapped{p, p + uintptr(newSize)})
	}
	return p
}

// forgetRange removes [start, end) from the noted mappings, keeping what
// lies outside it (SQLite unmaps the tail of a map it shrinks), and
// reports whether it overlapped one. The caller holds mapsMu.
func forgetRange(start, end uintptr) bool {
	overlapped := false
	kept := maps[:0:0]
	for _, m := range maps {
		if m.end <= start || m.start >= end {
			kept = append(kept, m)
			continue
		}
		overlapped = true
		if m.start < start {
			kept = append(kept, mapped{m.start, start})
		}
		if m.end > end {
			kept = append(kept, mapped{end, m.end})
		}
	}
	maps = kept
	return overlapped
}

// dropMappedPages takes every mapped database page out of the process's
// page tables. The pages stay in the kernel's page cache, so the next read
// of one maps it again without reading the disk; the data is the file's
// and cannot be lost. It returns how many mappings it advised.
func dropMappedPages() int {
	mapsMu.Lock()
	defer mapsMu.Unlock()
	for _, m := range maps {
		// An error (none is expected for a live mapping) only leaves the
		// pages resident.
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, m.start, m.end-m.start, syscall.MADV_DONTNEED)
	}
	return len(maps)
}

// mappings returns the noted mappings, for tests and diagnostics.
func mappings() []mapped {
	mapsMu.Lock()
	defer mapsMu.Unlock()
	return append([]mapped(nil), maps...)
}

// mapsWatched reports whether the wrappers are in place.
func mapsWatched() bool { return errMapsNotWatched == nil }
