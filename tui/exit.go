package tui

import (
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// finishTimeout bounds how long exiting waits for a cancelled run to stop
// its queries on the servers (the engine cuts a connection that ignores
// cancellation well within it).
const finishTimeout = 15 * time.Second

// Outcome is how a TUI session ended.
type Outcome struct {
	// Cancelled is set when exiting cancelled a run in progress.
	Cancelled bool
	// Signal names the signal that ended the session (SIGTERM), or "".
	Signal string
	// AuditErr is the last failure to write the audit trail, if any.
	AuditErr error
}

// finish ends the session's run when the TUI exits with one in progress:
// it cancels the run, waits for the engine to stop its queries, and has
// the session record run_finished with how it ended (and the signal, if
// one did it). It waits for the audit trail, so the outcome names its
// last failure.
func (m Model) finish(sig string) Outcome {
	out := Outcome{Signal: sig}
	if m.running() {
		out.Cancelled = m.active.Abandon(sig, finishTimeout)
	}
	m.sess.Trail().Flush()
	m.sess.CloseState() // the history pane may have opened it
	out.AuditErr = m.sess.AuditErr()
	return out
}

// watchSignals turns the first signal into a quit (the run is finished by
// Run once the terminal is restored) and a second one into an immediate
// exit through exit, after giving the terminal a moment to be restored.
func watchSignals(p *tea.Program, sigs <-chan os.Signal, exit func(os.Signal), got func(os.Signal), restored, stop <-chan struct{}) {
	select {
	case s := <-sigs:
		got(s)
		p.Quit()
	case <-stop:
		return
	}
	select {
	case s := <-sigs:
		p.Kill()
		select {
		case <-restored:
		case <-time.After(time.Second):
		}
		if exit != nil {
			exit(s)
		}
	case <-stop:
	}
}
