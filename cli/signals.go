package cli

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// cancelSignals are the signals that cancel a run the way esc does: ctrl+c
// (SIGINT), kill (SIGTERM) and a dropped session or closed tmux pane
// (SIGHUP). Each leaves the partial result, the audit trail and no query
// running on a server.
var cancelSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// notifyCancelSignals is IO.Interrupt for the real process.
func notifyCancelSignals() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, cancelSignals...)
	return ch, func() { signal.Stop(ch) }
}

// signalName is the conventional name of sig (SIGTERM), as the audit trail
// and messages give it.
func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return sig.String()
}

// signalWatch cancels work on the first cancel signal and exits the
// process at once on a second one, for an operator who will not wait for
// the cancellation to finish.
type signalWatch struct {
	mu          sync.Mutex
	got         os.Signal
	unsubscribe func()
	done        chan struct{}
	once        sync.Once
}

// watchSignals calls stop on the first signal from io.Interrupt until
// Stop; a second signal prints a message and exits with ExitIncomplete
// through io.Exit. cmd names the command in messages.
func watchSignals(io IO, cmd string, stop func()) *signalWatch {
	w := &signalWatch{unsubscribe: func() {}, done: make(chan struct{})}
	if io.Interrupt == nil {
		return w
	}
	sig, unsubscribe := io.Interrupt()
	w.unsubscribe = unsubscribe
	go func() {
		var first os.Signal
		select {
		case first = <-sig:
		case <-w.done:
			return
		}
		w.mu.Lock()
		w.got = first
		w.mu.Unlock()
		fmt.Fprintf(io.Err, "%s: %s: cancelling (send it again to exit at once)\n", cmd, signalName(first))
		stop()
		select {
		case second := <-sig:
			fmt.Fprintf(io.Err, "%s: %s again: exiting at once; the run's end is not recorded\n", cmd, signalName(second))
			if io.Exit != nil {
				io.Exit(ExitIncomplete)
			}
		case <-w.done:
		}
	}()
	return w
}

// Signal names the signal that cancelled the work, or "".
func (w *signalWatch) Signal() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.got == nil {
		return ""
	}
	return signalName(w.got)
}

// Stop stops listening.
func (w *signalWatch) Stop() {
	w.once.Do(func() {
		w.unsubscribe()
		close(w.done)
	})
}
