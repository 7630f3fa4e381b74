package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/engine"
)

// stateModel is the root over a fresh triage state.
func stateModel(t *testing.T) (Model, *fakeEngine) {
	t.Helper()
	cfg := testConfig("sqlite")
	cfg.Settings.App.StateDir = t.TempDir()
	fe := &fakeEngine{}
	m := New(Options{Config: cfg, Engine: fe, State: true})
	t.Cleanup(func() {
		if err := m.sess.CloseState(); err != nil {
			t.Error(err)
		}
	})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	return next.(Model), fe
}

// finishAndRecord ends the current run with fin and records it as the
// conclude command would, feeding its message back.
func finishAndRecord(t *testing.T, m Model, fin engine.RunFinished) Model {
	t.Helper()
	run := m.active
	m = send(m, fin.RunID, fin)
	if fin.RunID == 1 && len(m.results.Visible()) != 0 {
		t.Fatal("results shown before the run was recorded")
	}
	next, _ := m.Update(conclude(run, fin.Result)())
	return next.(Model)
}

func TestTUIRunsAreRecordedAndRerunsIncremental(t *testing.T) {
	m, fe := stateModel(t)
	m, _ = press(t, m, "r")
	if fe.reqs[0].StartDate != nil {
		t.Fatalf("the first run with an empty state read from %v; want in full", fe.reqs[0].StartDate)
	}
	fin := finished(1)
	fin.Result.Mode = engine.ModeSliding
	fin.Result.Queries = []engine.QueryResult{{Database: "clients", Query: "Email", Rows: 10, Newest: time.Now().Add(-time.Hour)}}
	m = finishAndRecord(t, m, fin)
	v := m.View()
	for _, want := range []string{"STATUS", "★ new", "100042", "0 suppressed"} {
		if !strings.Contains(v, want) {
			t.Errorf("the recorded run's results lack %q:\n%s", want, v)
		}
	}

	// The rerun is incremental: it binds a start, and the stored
	// takeover survives the merge with a rerun that found nothing new.
	m, _ = press(t, m, "r")
	if len(fe.reqs) != 2 || fe.reqs[1].StartDate == nil {
		t.Fatalf("the rerun read in full; want incremental (requests %d)", len(fe.reqs))
	}
	again := engine.RunFinished{RunID: 2, Result: engine.Result{RunID: 2, Complete: true, Mode: engine.ModeSliding,
		Queries: []engine.QueryResult{{Database: "clients", Query: "Email", Rows: 1, Newest: time.Now()}}}}
	m = finishAndRecord(t, m, again)
	v = m.View()
	if !strings.Contains(v, "100042") || strings.Contains(v, "★ new") {
		t.Errorf("after the incremental rerun: want the stored takeover, no longer new:\n%s", v)
	}
	if !strings.Contains(v, "Incremental run") {
		t.Errorf("the footer does not say the run was incremental:\n%s", v)
	}
}
