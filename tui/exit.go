package tui

import (
	"os"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/engine"
	"cam/journal"
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

// runTap reads a run's events for the model and keeps the final result
// aside, so that exiting can record run_finished even when a command left
// pending by the program's exit took the event off the channel.
type runTap struct {
	events chan engine.Event
	quit   chan struct{}
	done   chan struct{}
	once   sync.Once

	mu     sync.Mutex
	result *engine.Result
}

func tapRun(h RunHandle) *runTap {
	t := &runTap{events: make(chan engine.Event), quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(t.done)
		defer close(t.events)
		for ev := range h.Events() {
			if fin, ok := ev.(engine.RunFinished); ok {
				t.mu.Lock()
				t.result = &fin.Result
				t.mu.Unlock()
			}
			select {
			case t.events <- ev:
			case <-t.quit: // nobody is listening any more; keep draining
			}
		}
	}()
	return t
}

// stopForwarding lets the tap drain the run without a listener.
func (t *runTap) stopForwarding() { t.once.Do(func() { close(t.quit) }) }

// finalResult waits up to d for the run to end and returns its result.
func (t *runTap) finalResult(d time.Duration) (*engine.Result, bool) {
	select {
	case <-t.done:
	case <-time.After(d):
		return nil, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.result, t.result != nil
}

// finish ends the session's run when the TUI exits with one in progress:
// it cancels the run, waits for the engine to stop its queries, and
// records run_finished with how it ended (and the signal, if one did it).
func (m Model) finish(sig string) Outcome {
	out := Outcome{Signal: sig}
	if m.tap != nil && m.running {
		out.Cancelled = true
		m.handle.Cancel()
		m.tap.stopForwarding()
		var d map[string]any
		if res, ok := m.tap.finalResult(finishTimeout); ok {
			d = journal.RunFinishedDetails(*res)
		} else { // the engine did not report back in time: record what is known
			d = map[string]any{"run_id": m.runID, "complete": false, "cancelled": true}
		}
		if sig != "" {
			d["signal"] = sig
		}
		m.audit(journal.ActionRunFinished, d)
	}
	if m.cancel != nil {
		m.cancel()
	}
	out.AuditErr = m.auditErr
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
