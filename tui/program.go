// Package tui is cam's Bubble Tea interface, a client of the session
// (cam/session): the root model lays the panes out, keeps the focus and
// routes messages; what the analyst does (runs, hand-offs, the audit
// trail) happens in the session.
package tui

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/config"
	"cam/session"
	"cam/tui/logs"
)

// Options are what the TUI needs to start.
type Options struct {
	Config *config.Config
	Engine session.Engine
	Logs   *logs.Sink // receives the application log's records for the log pane
	// Logger is the application logger (its file and the log pane): the
	// TUI writes export paths, mail drafts and kinit's outcome to it. Nil
	// logs nothing.
	Logger  *slog.Logger
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
	// State opens the triage state (app_settings state_dir): statuses,
	// notes and suppressions in the results, recorded runs, incremental
	// reruns. Off in tests that must not touch a state directory.
	State bool
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
	out := fm.finish(sig)
	// Every change was committed when made; a failing close loses
	// nothing and there is no screen left to say so on.
	_ = fm.sess.CloseState()
	return out, err
}

// NewLogSink returns the sink that joins the application logger to the
// log pane: give it to the logger as one of its applog sinks and to
// Options.Logs.
func NewLogSink() *logs.Sink { return logs.NewSink() }
