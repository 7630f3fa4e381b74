// Package sqlite is cam's driver for SQLite files (the embedded demo and
// tests), over the pure-Go modernc.org/sqlite.
package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	msqlite "modernc.org/sqlite"

	"cam/config"
	"cam/engine"
	"cam/sqltext"
)

// timestampText is how the demo stores zone-less timestamps; :start_date
// is bound in the same form and zone so text comparison orders correctly.
const timestampText = "2006-01-02 15:04:05"

// mmapSize bounds how much of a database file each connection reads
// through a memory map; pages past it are read with read calls into
// SQLite's page cache. A run scans each file once, read-only, and the map
// serves a page without copying it or a read call. Two things make the
// whole file worth mapping (docs/PERFORMANCE.md, "SQLite: the memory
// map"). A query that visits a table out of its stored order (an index on
// rows not written in time order) reads a page per row through the cache:
// with a 4 MiB map the random-order bench dataset took 2 million reads and
// 2.3 times the CPU. And modernc builds SQLite with one page cache shared
// by all of a process's connections, which, with several queries scanning
// at once, freed a join's lookup pages after every row (a million reads of
// the same few pages, in half the runs without the map). The mapped pages
// are the kernel's page cache, counted in the resident set once per
// connection that maps them; rowsdrop.go takes them out of it again while
// scans read in stored order.
const mmapSize = 256 << 20

// Driver implements engine.Driver for `driver: sqlite`.
type Driver struct{}

// New returns the SQLite driver.
func New() engine.Driver { return Driver{} }

// errMissing marks a database file that is not there.
var errMissing = errors.New("database file does not exist")

type connector struct {
	path  string
	dsn   string
	allow []string // the database's allow_functions
}

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	// mode=ro would report a missing file only as "unable to open"; check
	// first so the analyst reads which file is missing.
	if _, err := os.Stat(c.path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", c.path, errMissing)
	}
	conn, err := (&msqlite.Driver{}).Open(c.dsn)
	if err != nil {
		return nil, err
	}
	if err := readOnly(conn, c.allow); err != nil {
		conn.Close()
		return nil, err
	}
	return rawConn{Conn: conn}, nil
}

func (c connector) Driver() driver.Driver { return &msqlite.Driver{} }

// Connector opens the file read-only: cam never writes audit data.
func (Driver) Connector(db config.Database, _ config.Settings) (driver.Connector, error) {
	if db.Path == "" {
		return nil, fmt.Errorf("database %s: no path", db.Name)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "query_only(1)") // defence in depth: the SQL check already refuses writes
	q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", mmapSize))
	return connector{path: db.Path, dsn: "file:" + uriPath(db.Path) + "?" + q.Encode(), allow: db.AllowFunctions}, nil
}

// Bind rewrites :start_date to a positional parameter bound as zone-less
// text in the database's zone, the form the demo stores.
func (Driver) Bind(q string, start time.Time, db config.Database) (string, []any, error) {
	loc := db.Location
	if loc == nil {
		loc = time.Local
	}
	return sqltext.BindPositional(sqltext.TrimStatementEnd(q, sqltext.DialectStandard), sqltext.DialectStandard,
		start.In(loc).Format(timestampText))
}

// Classify sorts SQLite errors into the engine's classes.
func (Driver) Classify(err error, db config.Database) (engine.ErrorClass, string) {
	msg := err.Error()
	var se *msqlite.Error
	code := 0
	if errors.As(err, &se) {
		code = se.Code() & 0xff // primary result code
	}
	switch {
	case errors.Is(err, context.Canceled):
		return engine.ClassCancelled, "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return engine.ClassTimeout, "timed out"
	case errors.Is(err, errMissing):
		return engine.ClassConnection, fmt.Sprintf("%s does not exist — check path for %s in databases.yaml", db.Path, db.Name)
	case code == 26 || strings.Contains(msg, "file is not a database"):
		return engine.ClassQuery, fmt.Sprintf("%s is not a SQLite database (file is not a database) — check path for %s in databases.yaml", db.Path, db.Name)
	case code == 11 || strings.Contains(msg, "database disk image is malformed"):
		// Not any "malformed": json_extract's "malformed JSON" is the
		// query's doing, not the file's.
		return engine.ClassQuery, fmt.Sprintf("%s is corrupt (%s)", db.Path, msg)
	case code == 14 || code == 5 || code == 6:
		return engine.ClassConnection, fmt.Sprintf("cannot open %s: %s", db.Path, msg)
	case code == 23:
		return engine.ClassPermission, fmt.Sprintf("no permission on %s: %s", db.Path, msg)
	case strings.Contains(msg, "no such table"):
		return engine.ClassQuery, msg + " — the table may not exist in " + db.Path
	}
	return engine.ClassQuery, msg
}
