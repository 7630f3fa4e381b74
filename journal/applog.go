package journal

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// AppLogFileName is the current application log inside the log directory.
// Earlier days are renamed to AppLogFileName + ".YYYY-MM-DD".
const AppLogFileName = "client_activity_monitor.log"

// KeepDays is how many rotated days of application log are kept.
const KeepDays = 7

// AppLog is the application log file: it rotates at the first write of a
// new local day and deletes days older than KeepDays. It is safe for
// concurrent use; each Write should be whole lines (a logger's output).
type AppLog struct {
	mu   sync.Mutex
	dir  string
	f    *os.File
	day  string // local date of the open file, YYYY-MM-DD
	now  func() time.Time
	keep int
	// closed stops a Write after Close from reopening the file on a new day.
	closed bool
}

// OpenAppLog opens logDir/client_activity_monitor.log for appending,
// creating the directory (0700) and file (0600) if needed. A file left from
// an earlier day is rotated at once.
func OpenAppLog(logDir string) (*AppLog, error) {
	return openAppLog(logDir, time.Now)
}

func openAppLog(logDir string, now func() time.Time) (*AppLog, error) {
	if err := os.MkdirAll(logDir, 0o700); err != nil {
		return nil, fmt.Errorf("log directory %s: %w", logDir, err)
	}
	l := &AppLog{dir: logDir, now: now, keep: KeepDays}
	path := l.current()
	if st, err := os.Stat(path); err == nil {
		l.day = dayOf(st.ModTime())
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.rotateIfNewDay(); err != nil {
		return nil, err
	}
	if l.f == nil {
		if err := l.open(); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func (l *AppLog) current() string { return filepath.Join(l.dir, AppLogFileName) }

func dayOf(t time.Time) string { return t.Local().Format(time.DateOnly) }

// open opens the current file for appending and marks it as today's.
func (l *AppLog) open() error {
	f, err := os.OpenFile(l.current(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("log file %s: %w", l.current(), err)
	}
	l.f = f
	l.day = dayOf(l.now())
	return nil
}

// rotateIfNewDay renames yesterday's (or older) file aside, opens a fresh
// one and prunes old days. Called with mu held.
func (l *AppLog) rotateIfNewDay() error {
	today := dayOf(l.now())
	if l.day == "" || l.day == today {
		return nil
	}
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
	rotated := l.current() + "." + l.day
	if _, err := os.Stat(rotated); err == nil {
		// Same day rotated before (clock moved back): keep both rather than
		// overwrite either.
		rotated += "." + fmt.Sprint(l.now().UnixNano())
	}
	if err := os.Rename(l.current(), rotated); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("rotate log %s: %w", l.current(), err)
	}
	l.prune(today)
	return l.open()
}

// prune deletes rotated files whose day is KeepDays or more before today.
// Failures are ignored: an old file left behind is not worth losing a log
// line over.
func (l *AppLog) prune(today string) {
	t, err := time.ParseInLocation(time.DateOnly, today, time.Local)
	if err != nil {
		return
	}
	oldest := t.AddDate(0, 0, -l.keep).Format(time.DateOnly)
	entries, err := os.ReadDir(l.dir)
	if err != nil {
		return
	}
	prefix := AppLogFileName + "."
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		day := strings.TrimPrefix(name, prefix)
		if len(day) < len(time.DateOnly) {
			continue
		}
		day = day[:len(time.DateOnly)]
		if _, err := time.Parse(time.DateOnly, day); err != nil {
			continue
		}
		if day < oldest {
			os.Remove(filepath.Join(l.dir, name))
		}
	}
}

// Write appends p to today's file, rotating first if the day changed.
func (l *AppLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, fmt.Errorf("log file %s: closed", l.current())
	}
	if err := l.rotateIfNewDay(); err != nil {
		return 0, err
	}
	if l.f == nil {
		return 0, fmt.Errorf("log file %s: closed", l.current())
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
