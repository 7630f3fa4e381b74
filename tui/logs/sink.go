package logs

import (
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"cam/internal/applog"
)

// maxPending bounds the records waiting for the pane.
const maxPending = 2000

// Sink is the applog.Sink that feeds the log pane: the application
// logger puts records in from any goroutine, and the pane takes them as
// RecordsMsg. It never blocks the logger: when the pane falls behind, the
// oldest waiting records are dropped (the log file keeps them all) and
// the pane says how many.
type Sink struct {
	mu      sync.Mutex
	pending []applog.Record
	dropped int
	notify  chan struct{}
}

// NewSink returns an empty sink.
func NewSink() *Sink { return &Sink{notify: make(chan struct{}, 1)} }

// Put queues r for the pane.
func (s *Sink) Put(r applog.Record) error {
	s.mu.Lock()
	s.pending = append(s.pending, r)
	if over := len(s.pending) - maxPending; over > 0 {
		s.pending = append([]applog.Record(nil), s.pending[over:]...)
		s.dropped += over
	}
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return nil
}

// take returns the waiting records and how many were dropped before them.
func (s *Sink) take() RecordsMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := RecordsMsg{Records: s.pending, Dropped: s.dropped}
	s.pending, s.dropped = nil, 0
	return msg
}

// RecordsMsg carries the records that reached the Sink since the last one
// to the log pane; Dropped counts those the sink had to drop before them.
type RecordsMsg struct {
	Records []applog.Record
	Dropped int
}

// wait is a command that returns the next batch of records.
func (s *Sink) wait() tea.Cmd {
	if s == nil {
		return nil
	}
	return func() tea.Msg {
		if msg := s.take(); len(msg.Records) > 0 || msg.Dropped > 0 {
			return msg
		}
		<-s.notify
		return s.take()
	}
}
