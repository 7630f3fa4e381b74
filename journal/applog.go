package journal

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Application log files are named by local day, cam-2026-11-28.log: each
// process appends to the file of the day it is writing in, so several cam
// processes can share a log directory across midnight without renaming a
// file another one is writing (which lost and misplaced lines).
const (
	AppLogPrefix = "cam-"
	AppLogSuffix = ".log"
)

// KeepDays is how many earlier days of application log are kept besides
// today's.
const KeepDays = 7

// AppLogName is the file name of the application log for t's local day.
func AppLogName(t time.Time) string { return AppLogPrefix + dayOf(t) + AppLogSuffix }

// IsAppLogName reports whether name is a day file of the application log.
func IsAppLogName(name string) bool {
	_, ok := appLogDay(name)
	return ok
}

// appLogDay returns the YYYY-MM-DD day of an application log file name.
func appLogDay(name string) (string, bool) {
	if !strings.HasPrefix(name, AppLogPrefix) || !strings.HasSuffix(name, AppLogSuffix) {
		return "", false
	}
	day := strings.TrimSuffix(strings.TrimPrefix(name, AppLogPrefix), AppLogSuffix)
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return "", false
	}
	return day, true
}

// AppLog is the application log: each Write goes, in one write(2) on an
// O_APPEND descriptor, to the file of the current local day; on a new day
// it opens that day's file and deletes files older than KeepDays. It is
// safe for concurrent use; each Write should be whole lines (a logger's
// output).
type AppLog struct {
	mu   sync.Mutex
	dir  string
	f    *os.File
	day  string // local date of the open file, YYYY-MM-DD
	now  func() time.Time
	keep int
	// closed stops a Write after Close from reopening a file.
	closed bool
}

// OpenAppLog opens today's application log in logDir for appending,
// creating the directory (0700) and file (0600) if needed, and deletes
// day files older than KeepDays.
func OpenAppLog(logDir string) (*AppLog, error) {
	return openAppLog(logDir, time.Now)
}

func openAppLog(logDir string, now func() time.Time) (*AppLog, error) {
	if err := os.MkdirAll(logDir, 0o700); err != nil {
		return nil, fmt.Errorf("log directory %s: %w", logDir, err)
	}
	l := &AppLog{dir: logDir, now: now, keep: KeepDays}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.openDay(now()); err != nil {
		return nil, err
	}
	return l, nil
}

func dayOf(t time.Time) string { return t.Local().Format(time.DateOnly) }

// openDay makes the file of t's day the open one, pruning old days when
// the day changes. Called with mu held.
func (l *AppLog) openDay(t time.Time) error {
	day := dayOf(t)
	if l.f != nil && l.day == day {
		return nil
	}
	path := filepath.Join(l.dir, AppLogName(t))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("log file %s: %w", path, err)
	}
	if l.f != nil {
		l.f.Close()
	}
	l.f, l.day = f, day
	l.prune(t)
	return nil
}

// prune deletes day files more than KeepDays days before t's day. Another
// cam may be pruning at the same moment, so removal errors are ignored: a
// file already gone is what we wanted, and an old file left behind is not
// worth losing a log line over.
func (l *AppLog) prune(t time.Time) {
	local := t.Local()
	first := time.Date(local.Year(), local.Month(), local.Day()-l.keep, 0, 0, 0, 0, time.Local)
	oldest := first.Format(time.DateOnly)
	entries, err := os.ReadDir(l.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		day, ok := appLogDay(e.Name())
		if !ok || day >= oldest {
			continue
		}
		os.Remove(filepath.Join(l.dir, e.Name()))
	}
}

// Write appends p to the current day's file in one write.
func (l *AppLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, fmt.Errorf("log file in %s: closed", l.dir)
	}
	if err := l.openDay(l.now()); err != nil {
		return 0, err
	}
	return l.f.Write(p)
}

// Close closes the current file.
func (l *AppLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}
