package tui

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
	"cam/session"
)

// fakeRun is a run whose events the test sends by hand.
type fakeRun struct {
	id        int64
	ch        chan engine.Event
	cancelled atomic.Bool
}

func (r *fakeRun) ID() int64                   { return r.id }
func (r *fakeRun) Events() <-chan engine.Event { return r.ch }
func (r *fakeRun) Cancel() {
	if r.cancelled.CompareAndSwap(false, true) {
		close(r.ch)
	}
}

// fakeEngine records the runs it starts; teatest calls Start from the
// program's goroutine while the test reads, hence the lock.
type fakeEngine struct {
	mu   sync.Mutex
	runs []*fakeRun
	reqs []engine.Request
}

func (f *fakeEngine) Start(_ context.Context, req engine.Request) (session.RunHandle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := &fakeRun{id: int64(len(f.runs) + 1), ch: make(chan engine.Event, 100)}
	f.runs = append(f.runs, r)
	f.reqs = append(f.reqs, req)
	return r, nil
}

// started returns the runs started so far.
func (f *fakeEngine) started() []*fakeRun {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*fakeRun(nil), f.runs...)
}

func testConfig(driver string) *config.Config {
	return &config.Config{
		Dir: "/tmp/cam-test", SettingsFile: "/nonexistent/app_settings.yaml",
		Databases: []config.Database{{Name: "clients", Driver: driver, Host: "db", Port: 1521, ServiceName: "S", Path: "/x.db",
			Queries: []config.Query{{Name: "Email", Kind: config.KindChange, ChangeType: config.ChangeEmail}}}},
		Settings: config.Settings{User: config.User{SID: "A12345"}, App: config.App{ReportOutputDir: "/tmp/r", Clipboard: "off"},
			Detection: config.Detection{Lookback: 720 * time.Hour, TakeoverWindow: 24 * time.Hour}},
	}
}

// newModel is the root model over a SQLite configuration and a fake
// engine, sized 80x24.
func newModel(t *testing.T) (Model, *fakeEngine) {
	t.Helper()
	fe := &fakeEngine{}
	m := New(Options{Config: testConfig("sqlite"), Engine: fe})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return next.(Model), fe
}

func press(t *testing.T, m Model, keys ...string) (Model, tea.Cmd) {
	t.Helper()
	var cmd tea.Cmd
	for _, k := range keys {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "tab":
			msg = tea.KeyMsg{Type: tea.KeyTab}
		case "ctrl+c":
			msg = tea.KeyMsg{Type: tea.KeyCtrlC}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		var next tea.Model
		next, cmd = m.Update(msg)
		m = next.(Model)
	}
	return m, cmd
}

func send(m Model, id int64, ev engine.Event) Model {
	next, _ := m.Update(engineEventMsg{id: id, ev: ev})
	return next.(Model)
}

func finished(id int64) engine.RunFinished {
	return engine.RunFinished{RunID: id, Result: engine.Result{RunID: id, Complete: true,
		Findings: detect.Findings{
			Takeovers: []detect.Takeover{{User: "100042"}},
			Alerts:    []detect.Alert{{Rule: detect.RuleTakeover, Severity: detect.SeverityCritical, User: "100042", Count: 4, Message: "password, email, phone and token changed within 3h"}},
		}}}
}

func TestRunStartsAtOnceAndFocusMovesToResults(t *testing.T) {
	m, fe := newModel(t)
	if m.focus != paneRun {
		t.Fatalf("start focus %v, want the run pane", m.focus)
	}
	m, _ = press(t, m, "r")
	if len(fe.runs) != 1 || !m.running() {
		t.Fatal("r did not start a run")
	}
	m = send(m, 1, engine.QueryQueued{QueryRef: engine.QueryRef{RunID: 1, Database: "clients", Query: "Email"}})
	m = send(m, 1, engine.QueryStarted{QueryRef: engine.QueryRef{RunID: 1, Database: "clients", Query: "Email"}, Attempt: 1})
	if rows := m.status.Rows(); len(rows) != 1 || rows[0].State.String() != "running" {
		t.Errorf("status rows %+v", rows)
	}
	m = send(m, 1, finished(1))
	if m.running() || m.focus != paneResults {
		t.Errorf("after RunFinished: running %v focus %v", m.running(), m.focus)
	}
	if !strings.Contains(m.View(), "100042") {
		t.Errorf("result not on screen:\n%s", m.View())
	}
}

func TestStaleRunEventsAreDropped(t *testing.T) {
	m, fe := newModel(t)
	m, _ = press(t, m, "r")
	m = send(m, 1, finished(1))
	m, _ = press(t, m, "r")
	if len(fe.runs) != 2 {
		t.Fatal("second run did not start")
	}
	m = send(m, 1, engine.QueryQueued{QueryRef: engine.QueryRef{RunID: 1, Database: "old", Query: "old"}})
	if len(m.status.Rows()) != 0 {
		t.Errorf("event of run 1 applied during run 2: %+v", m.status.Rows())
	}
}

func TestEscCancelsAndQuitAsksWhileRunning(t *testing.T) {
	m, fe := newModel(t)
	m, _ = press(t, m, "r", "q")
	if !m.confirmQuit {
		t.Fatal("q during a run did not ask")
	}
	m, _ = press(t, m, "n")
	if m.confirmQuit || fe.runs[0].cancelled.Load() {
		t.Fatal("n did not keep the run")
	}
	m, _ = press(t, m, "esc")
	if !fe.runs[0].cancelled.Load() {
		t.Error("esc did not cancel the run")
	}
	m2, _ := newModel(t)
	m2, _ = press(t, m2, "r", "q")
	_, cmd := press(t, m2, "y")
	if cmd == nil {
		t.Fatal("y did not quit")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("y did not return tea.Quit")
	}
	if !fe.runs[0].cancelled.Load() {
		t.Error("quitting did not cancel")
	}
}

func TestFocusedInputGetsKeysFirst(t *testing.T) {
	m, fe := newModel(t)
	m, _ = press(t, m, "1", "j", "j", "j", "j", "j", "j", "enter") // Last event time
	if !m.settings.InputFocused() {
		t.Fatal("enter did not start editing")
	}
	m, _ = press(t, m, "r", "q", "2")
	if len(fe.runs) != 0 || m.focus != paneSettings || m.quitting {
		t.Fatalf("global keys fired while typing: runs %d focus %v", len(fe.runs), m.focus)
	}
	if m.run.Blocked() == "" {
		t.Error("an invalid last event time did not disable Run")
	}
	m, _ = press(t, m, "esc")
	if m.settings.InputFocused() || m.run.Blocked() != "" {
		t.Errorf("esc did not restore the field: blocked %q", m.run.Blocked())
	}
}

func TestAnchoredRunPassesLastEventTime(t *testing.T) {
	m, fe := newModel(t)
	m, _ = press(t, m, "1", "j", "j", "j", "j", "j", "j", "enter")
	for _, r := range "2026-11-03T14:00:00Z" {
		m, _ = press(t, m, string(r))
	}
	press(t, m, "enter", "r")
	if len(fe.reqs) != 1 || fe.reqs[0].LastEventTime == nil || !fe.reqs[0].LastEventTime.Equal(time.Date(2026, 11, 3, 14, 0, 0, 0, time.UTC)) {
		t.Fatalf("request %+v", fe.reqs)
	}
}

func TestNothingOverflowsAt80x24(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 30}, {140, 40}} {
		m, _ := newModel(t)
		next, _ := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m = next.(Model)
		m, _ = press(t, m, "r")
		m = send(m, 1, finished(1))
		for _, view := range []string{m.View()} {
			lines := strings.Split(view, "\n")
			if len(lines) > size[1] {
				t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
			}
			for i, l := range lines {
				if w := lipglossWidth(l); w > size[0] {
					t.Errorf("%dx%d: line %d is %d wide: %q", size[0], size[1], i, w, l)
				}
			}
		}
	}
}
