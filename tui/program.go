// Package tui is cam's Bubble Tea interface, a client of the session
// (cam/session): the root model lays the panes out, keeps the focus and
// routes messages; what the analyst does (runs, hand-offs, the audit
// trail) happens in the session.
package tui

import (
	"bytes"
	"context"
	"os"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/config"
	"cam/session"
)

// Options are what the TUI needs to start.
type Options struct {
	Config  *config.Config
	Engine  session.Engine
	Logs    *LogSink // receives the application log's lines for the log pane
	Version string
	Demo    bool
	// Audit is the audit trail the session records to; nil records
	// nothing. The TUI only queues records on it and shows its failures.
	Audit *session.Trail
	// Ticket checks the Kerberos ticket; nil means no database uses
	// Kerberos. Kinit builds the command K runs.
	Ticket TicketChecker
	Kinit  KinitCommand
	// Now and Zone pin the clock and the display zone (golden tests);
	// zero values mean time.Now and the local zone.
	Now  func() time.Time
	Zone *time.Location
	// Signals delivers SIGINT, SIGTERM and SIGHUP: the first quits as
	// ctrl+c does (cancelling a run), a second calls SecondSignal, which
	// should end the process at once. Nil leaves signals to Bubble Tea.
	Signals      <-chan os.Signal
	SignalName   func(os.Signal) string
	SecondSignal func(os.Signal)
}

// Run shows the TUI until the analyst quits or a signal arrives. Nothing
// else may write to the terminal meanwhile: logs go to the log file and
// the log pane. Once the terminal is restored, a run still in progress is
// cancelled, its queries stopped and its end recorded.
func Run(opts Options) (Outcome, error) {
	m := New(opts)
	popts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(context.Background())}
	if opts.Signals != nil {
		popts = append(popts, tea.WithoutSignalHandler())
	}
	p := tea.NewProgram(m, popts...)
	var mu sync.Mutex
	var got os.Signal
	restored, stop := make(chan struct{}), make(chan struct{})
	defer close(stop)
	if opts.Signals != nil {
		go watchSignals(p, opts.Signals, opts.SecondSignal,
			func(s os.Signal) { mu.Lock(); got = s; mu.Unlock() }, restored, stop)
	}
	final, err := p.Run()
	close(restored)
	fm, ok := final.(Model)
	if !ok {
		fm = m
	}
	mu.Lock()
	sig := ""
	if got != nil && opts.SignalName != nil {
		sig = opts.SignalName(got)
	}
	mu.Unlock()
	return fm.finish(sig), err
}

// LogSink is an io.Writer for the application logger that hands complete
// lines to the log pane. It never blocks the writer: when the pane falls
// behind, the oldest lines are dropped (the log file keeps them all).
type LogSink struct {
	mu      sync.Mutex
	partial []byte
	lines   []string
	dropped int
	notify  chan struct{}
}

// maxPending bounds the lines waiting for the pane.
const maxPending = 2000

// NewLogSink returns an empty sink.
func NewLogSink() *LogSink { return &LogSink{notify: make(chan struct{}, 1)} }

// Write splits p into lines and queues them.
func (s *LogSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.partial = append(s.partial, p...)
	for {
		i := bytes.IndexByte(s.partial, '\n')
		if i < 0 {
			break
		}
		s.lines = append(s.lines, string(s.partial[:i]))
		s.partial = s.partial[i+1:]
	}
	if over := len(s.lines) - maxPending; over > 0 {
		s.lines = s.lines[over:]
		s.dropped += over
	}
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return len(p), nil
}

// take returns the queued lines.
func (s *LogSink) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.lines
	s.lines = nil
	return out
}

// logLinesMsg carries new log lines to the root model.
type logLinesMsg struct{ lines []string }

// waitForLogs is a command that returns the next batch of log lines.
func waitForLogs(s *LogSink) tea.Cmd {
	if s == nil {
		return nil
	}
	return func() tea.Msg {
		if lines := s.take(); len(lines) > 0 {
			return logLinesMsg{lines}
		}
		<-s.notify
		return logLinesMsg{s.take()}
	}
}
