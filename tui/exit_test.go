package tui

import (
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/engine"
	"cam/journal"
)

func auditedModel(t *testing.T, audit *fakeAudit) (Model, *fakeEngine) {
	t.Helper()
	fe := &fakeEngine{}
	m := New(Options{Config: testConfig("sqlite"), Engine: fe, Audit: audit.Trail(), Version: "test"})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return next.(Model), fe
}

// TestExitMidRunCancelsItAndRecordsTheEnd: leaving the TUI (q, ctrl+c or
// a signal) with a run in progress cancels it and records run_finished,
// with the signal when one ended the session, and reports the
// cancellation for the exit code.
func TestExitMidRunCancelsItAndRecordsTheEnd(t *testing.T) {
	for _, c := range []struct {
		name, signal  string
		engineReports bool // the engine answers the cancel with RunFinished
	}{
		{"ctrl+c", "", true},
		{"SIGTERM", "SIGTERM", true},
		{"SIGHUP, engine silent", "SIGHUP", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			audit := &fakeAudit{t: t}
			m, fe := auditedModel(t, audit)
			m, _ = press(t, m, "r")
			run := fe.started()[0]
			if c.engineReports {
				fin := finished(run.id)
				fin.Result.Cancelled, fin.Result.Complete = true, false
				run.ch <- engine.QueryStarted{QueryRef: engine.QueryRef{RunID: run.id, Database: "clients", Query: "Email"}}
				run.ch <- fin
			}
			next, cmd := m.quit()
			if cmd == nil {
				t.Fatal("quit returned no command")
			}
			out := next.(Model).finish(c.signal)
			if !out.Cancelled || !run.cancelled.Load() {
				t.Errorf("outcome %+v, run cancelled %v; want both cancelled", out, run.cancelled.Load())
			}
			d := audit.last(journal.ActionRunFinished)
			if d == nil || d["cancelled"] != true || d["run_id"] != run.id {
				t.Fatalf("run_finished details %v", d)
			}
			if got, _ := d["signal"].(string); got != c.signal {
				t.Errorf("signal detail %q, want %q", got, c.signal)
			}
		})
	}
}

func TestExitWithoutARunIsANormalQuit(t *testing.T) {
	audit := &fakeAudit{t: t}
	m, fe := auditedModel(t, audit)
	m, _ = press(t, m, "r")
	m = send(m, 1, finished(1))
	out := m.finish("SIGTERM")
	if out.Cancelled || len(fe.started()) != 1 {
		t.Errorf("outcome %+v after a finished run, want not cancelled", out)
	}
	if n := strings.Count(strings.Join(audit.actions, ","), journal.ActionRunFinished); n != 1 {
		t.Errorf("%d run_finished records, want the run's one", n)
	}
}

// TestAuditFailureStaysInTheHeader: once a line cannot be written, the
// header says so for the rest of the session, and the exit reports it.
func TestAuditFailureStaysInTheHeader(t *testing.T) {
	audit := &fakeAudit{t: t, err: errors.New("audit: write /logs/audit.jsonl: no space left on device")}
	m, _ := auditedModel(t, audit)
	if strings.Contains(m.View(), "AUDIT") {
		t.Fatal("warning before any failure")
	}
	m, _ = press(t, m, "r")
	m = send(m, 1, finished(1))
	audit.setErr(nil) // the disk has room again: the warning stays all the same
	m, _ = press(t, m, "tab")
	header := strings.SplitN(m.View(), "\n", 2)[0]
	if !strings.Contains(header, "AUDIT TRAIL NOT WRITTEN") || !strings.Contains(header, "no space") {
		t.Errorf("header %q lacks the audit warning", header)
	}
	if out := m.finish(""); out.AuditErr == nil {
		t.Error("the exit does not report the audit failure")
	}
}

// idle is a model that waits for a quit.
type idle struct{}

func (idle) Init() tea.Cmd                       { return nil }
func (idle) Update(tea.Msg) (tea.Model, tea.Cmd) { return idle{}, nil }
func (idle) View() string                        { return "" }

// TestSignalsQuitThenExit: the first signal ends the program (so the run
// can be finished and recorded), a second one exits at once.
func TestSignalsQuitThenExit(t *testing.T) {
	p := tea.NewProgram(idle{}, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutSignalHandler())
	sigs := make(chan os.Signal, 2)
	exited := make(chan os.Signal, 1)
	var mu sync.Mutex
	var got os.Signal
	restored, stop := make(chan struct{}), make(chan struct{})
	defer close(stop)
	go watchSignals(p, sigs, func(s os.Signal) { exited <- s }, func(s os.Signal) { mu.Lock(); got = s; mu.Unlock() }, restored, stop)
	ended := make(chan error, 1)
	go func() {
		_, err := p.Run()
		close(restored)
		ended <- err
	}()
	sigs <- syscall.SIGTERM
	select {
	case err := <-ended:
		if err != nil {
			t.Errorf("the first signal ended the program with %v, want a clean quit", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first signal did not end the program")
	}
	select {
	case s := <-exited:
		t.Fatalf("exit(%v) after one signal", s)
	default:
	}
	sigs <- syscall.SIGHUP
	select {
	case s := <-exited:
		if s != syscall.SIGHUP {
			t.Errorf("exit with %v, want SIGHUP", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a second signal did not exit")
	}
	mu.Lock()
	defer mu.Unlock()
	if got != syscall.SIGTERM {
		t.Errorf("recorded signal %v, want SIGTERM", got)
	}
}
