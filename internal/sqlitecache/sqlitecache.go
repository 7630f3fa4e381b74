// Package sqlitecache gives every SQLite connection of the process its own
// page cache. Each package that opens SQLite files imports it (the driver,
// the triage state, the demo), so that their tests run on the cache cam
// ships with.
package sqlitecache

import (
	msqlite "modernc.org/sqlite"
	"modernc.org/sqlite/pcache"
)

// Err is why each connection's own page cache could not be installed
// (nil when it was); SQLite then runs on its default cache, correct but
// prone to the thrash described below.
var Err error

// modernc's SQLite is built with SQLITE_ENABLE_MEMORY_MANAGEMENT, which
// makes every connection in the process share one page-cache group: a
// connection whose cache is full takes the least recently used page of
// any other, the others then grow past their share, and while the group
// holds more pages than its total every page is freed the moment it is
// unpinned. Pages past the driver's memory map come through this cache:
// on the issue #17 bench with the map off and five queries scanning at
// once, a join's lookup pages were read again for nearly every row,
// 0.9-1.0 million reads of the same few pages instead of ~46,000, in about
// half the runs, at 1.5 times the wall time. modernc's reference cache
// gives each connection its own bounded LRU cache. It must be installed
// before the first connection opens, so package initialisation does it,
// for every SQLite connection the program makes.
func init() { Err = msqlite.RegisterPageCache(sharedPool) }

// sharedPool is the one page-cache factory: registering a second would
// conflict.
var sharedPool = pcache.New()
