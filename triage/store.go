// Package triage is cam's lasting state: every alert's status, closing
// reason, assignee, notes and history, the suppressions, and the summary
// of every run. It lives in one SQLite file (WAL mode, so a TUI and a
// `cam run` on the same host share it) and knows nothing of terminals.
package triage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"modernc.org/sqlite"
)

// FileName is the state database inside the state directory.
const FileName = "state.db"

// busyTimeout is how long SQLite itself waits for another process's
// write lock before returning SQLITE_BUSY; withRetry then tries again.
const busyTimeout = 5 * time.Second

// Options configure a Store.
type Options struct {
	// SID is the analyst's SID written on every history row.
	SID string
	// OSUser is the operating-system user written next to the SID; ""
	// means the current user.
	OSUser string
	// Now is the clock; nil means time.Now. Tests inject one to expire
	// suppressions.
	Now func() time.Time
}

// Store is an open state database. It is safe for concurrent use; two
// processes may hold the same file open at once.
type Store struct {
	db      *sql.DB
	path    string
	sid     string
	osUser  string
	now     func() time.Time
	session string // this process's session, for Undo
}

// Open opens (creating if needed) dir/state.db, brings its schema up to
// date and returns the store. The directory is created 0700 and the file
// 0600; a file that others can read is tightened, not refused.
func Open(dir string, opts Options) (*Store, error) {
	return openAt(dir, opts, len(migrations))
}

// openAt opens the store migrated to schema version target; tests use it
// to make a database of an older version.
func openAt(dir string, opts Options, target int) (*Store, error) {
	if dir == "" {
		return nil, errors.New("triage: no state directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("triage: state directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	// Create the file ourselves so it is never, even briefly, readable by
	// others; SQLite would create it with the umask's permissions.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("triage: state database %s: %w", path, err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("triage: state database %s: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	// FULL: a change the analyst saw confirmed survives a power cut too,
	// not only a killed process.
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	// Writers take the lock at BEGIN, so two processes never both read
	// and then fail to upgrade (which busy_timeout cannot wait out).
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("triage: state database %s: %w", path, err)
	}
	// One connection: PRAGMA data_version is per connection, so polling
	// it on the connection that writes shows only other processes'
	// changes; and a small state database needs no parallel reads.
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	s := &Store{db: db, path: path, sid: opts.SID, osUser: opts.OSUser, now: opts.Now, session: newSession()}
	if s.now == nil {
		s.now = time.Now
	}
	if s.osUser == "" {
		s.osUser = osUserName()
	}
	// The WAL and shared-memory files are created by SQLite; make them
	// owner-only as well by creating them first.
	for _, suffix := range []string{"-wal", "-shm"} {
		if f, err := os.OpenFile(path+suffix, os.O_RDWR|os.O_CREATE, 0o600); err == nil {
			f.Close()
		}
	}
	if err := s.migrate(context.Background(), target); err != nil {
		db.Close()
		return nil, fmt.Errorf("triage: state database %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path is the state database's file.
func (s *Store) Path() string { return s.path }

// DataVersion changes whenever another process (or another Store on the
// same file) commits a change; the TUI polls it every few seconds and
// reloads when it moves. The store's own changes do not move it.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
	return v, err
}

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict,
// "ok" when the file is sound.
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&v)
	return v, err
}

// maxAttempts bounds withRetry: with a 5 s busy timeout per attempt a
// change waits up to half a minute for a stuck writer, then says so.
const maxAttempts = 6

// withTx runs f in a write transaction, retrying it whole when another
// process holds the lock past the busy timeout.
func (s *Store) withTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		err = s.tryTx(ctx, f)
		if !isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * 20 * time.Millisecond):
		}
	}
	return fmt.Errorf("the state database %s stayed locked by another cam: %w", s.path, err)
}

func (s *Store) tryTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback() // f's error is the one to report
		return err
	}
	return tx.Commit()
}

// isBusy reports whether err is SQLITE_BUSY or SQLITE_LOCKED (any
// extended code).
func isBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff
	return code == 5 || code == 6
}

// newSession returns a random id for this process's changes.
func newSession() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Sprintf("pid%d-%d", os.Getpid(), time.Now().UnixNano())
	}
	return hex.EncodeToString(b[:])
}

func osUserName() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

func nanos(t time.Time) int64 { return t.UnixNano() }

func fromNanos(n int64) time.Time { return time.Unix(0, n) }
