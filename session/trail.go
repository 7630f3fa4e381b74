package session

import (
	"errors"
	"fmt"
	"sync"

	"cam/config"
	"cam/journal"
)

// Recorder writes one audit line and reports whether it could;
// *journal.Audit is the real one, tests use fakes. It may be slow (it
// syncs the file), which is why a Trail calls it from its own goroutine.
type Recorder interface {
	Record(action string, details map[string]any) error
}

// Trail is the audit trail as front ends use it: Record queues an action
// and returns at once, and one goroutine writes the queue in order, so a
// slow or full disk never freezes the screen. A failure is kept (Err) and
// reported through the OnFail hook; Close writes what is queued.
type Trail struct {
	rec    Recorder
	onFail func(action string, err error)

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []auditEntry
	writing bool // the worker holds an entry taken off the queue
	closed  bool
	err     error
	failed  bool
	notify  chan struct{}
	done    chan struct{}
}

type auditEntry struct {
	action  string
	details map[string]any
}

// errNoTrail is what Record reports on a trail that could not be opened.
var errNoTrail = errors.New("audit trail is not open")

// NewTrail starts a trail writing to rec. A nil rec records nothing (and
// fails nothing). onFail, when not nil, hears of every failed record on
// the trail's goroutine (to log it, or print it for cam run).
func NewTrail(rec Recorder, onFail func(action string, err error)) *Trail {
	t := &Trail{rec: rec, onFail: onFail, notify: make(chan struct{}, 1), done: make(chan struct{})}
	t.cond = sync.NewCond(&t.mu)
	go t.write()
	return t
}

// FailedTrail is a trail that could not be opened: every action fails
// with err, so each one is reported as unrecorded instead of vanishing.
func FailedTrail(err error, onFail func(action string, err error)) *Trail {
	if err == nil {
		err = errNoTrail
	}
	return NewTrail(failing{err}, onFail)
}

type failing struct{ err error }

func (f failing) Record(string, map[string]any) error { return f.err }

// Record queues one action; it never blocks on the disk. After Close the
// action is reported as unrecorded.
func (t *Trail) Record(action string, details map[string]any) {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		t.fail(action, fmt.Errorf("audit: record %s: trail is closed", action))
		return
	}
	t.queue = append(t.queue, auditEntry{action, details})
	t.cond.Broadcast()
	t.mu.Unlock()
}

func (t *Trail) write() {
	defer close(t.done)
	for {
		t.mu.Lock()
		for len(t.queue) == 0 && !t.closed {
			t.cond.Wait()
		}
		if len(t.queue) == 0 {
			t.mu.Unlock()
			return
		}
		e := t.queue[0]
		t.queue = t.queue[1:]
		t.writing = true
		t.mu.Unlock()

		var err error
		if t.rec != nil {
			err = t.rec.Record(e.action, e.details)
		}
		if err != nil {
			t.fail(e.action, err)
		}
		t.mu.Lock()
		t.writing = false
		t.cond.Broadcast()
		t.mu.Unlock()
	}
}

func (t *Trail) fail(action string, err error) {
	t.mu.Lock()
	t.err, t.failed = err, true
	t.mu.Unlock()
	if t.onFail != nil {
		t.onFail(action, err)
	}
	select {
	case t.notify <- struct{}{}:
	default:
	}
}

// Flush waits until every action queued so far is written (or failed).
func (t *Trail) Flush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(t.queue) > 0 || t.writing {
		t.cond.Wait()
	}
}

// Close writes what is queued and stops the trail; a Recorder that is an
// io.Closer-like trail (Close() error) is closed too.
func (t *Trail) Close() error {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		<-t.done
		return nil
	}
	t.closed = true
	t.cond.Broadcast()
	t.mu.Unlock()
	<-t.done
	if c, ok := t.rec.(interface{ Close() error }); ok {
		return c.Close()
	}
	return nil
}

// Err is the last failure to record an action, or nil. The TUI shows it in
// its header until cam exits: every later action may be going unrecorded.
func (t *Trail) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// Failed reports whether any action went unrecorded (cam run exits 3).
func (t *Trail) Failed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.failed
}

// Failures is signalled (without blocking the trail) after a failure, so
// a front end can wake up and show Err.
func (t *Trail) Failures() <-chan struct{} { return t.notify }

// OpenTrail opens the audit trail in cfg's log directory for cfg's SID.
// A trail that cannot be opened does not stop the analysis (losing the
// findings over a full log disk would be worse): the error is returned
// and the trail fails every action, so none goes unrecorded silently.
func OpenTrail(cfg *config.Config, onFail func(action string, err error)) (*Trail, error) {
	a, err := journal.OpenAudit(cfg.Settings.App.LogDir, cfg.Settings.User.SID)
	if err != nil {
		return FailedTrail(err, onFail), err
	}
	return NewTrail(a, onFail), nil
}
