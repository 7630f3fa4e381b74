package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/engine"
	"cam/engine/detect"
	"cam/triage"
	"cam/tui/history"
)

// stateWithRuns writes two recorded runs into a fresh state directory:
// an older complete run, whose findings a newer complete run replaced,
// and that newer run, whose findings are kept.
func stateWithRuns(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	st, err := triage.Open(dir, triage.Options{SID: "A12345"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	at := time.Now().UTC().Add(-2 * time.Hour)
	for i, user := range []string{"olduser", "pastuser"} {
		start := at.Add(time.Duration(i) * time.Hour)
		res := engine.Result{StartedAt: start, FinishedAt: start.Add(4 * time.Second), Mode: engine.ModeSliding, Complete: true,
			Findings: detect.Findings{Alerts: []detect.Alert{{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh,
				User: user, Database: "crm", Count: 7, Message: "7 failed logins", FirstSeen: start.Add(-time.Hour),
				LastSeen: start.Add(-time.Hour)}}}}
		sum, err := st.Record(ctx, res, "A12345", triage.ModeHeadless)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Annotate(ctx, sum.ID, res.Findings, time.UTC); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveCoverage(ctx, sum.ID, res, triage.Plan{Fingerprint: "test"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func newHistoryModel(t *testing.T) (Model, *fakeEngine) {
	t.Helper()
	cfg := testConfig("sqlite")
	cfg.Settings.App.StateDir = stateWithRuns(t)
	fe := &fakeEngine{}
	m := New(Options{Config: cfg, Engine: fe})
	t.Cleanup(func() { _ = m.sess.CloseState() })
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return next.(Model), fe
}

// deliver runs cmd (which must not block) and hands its message back.
func deliver(t *testing.T, m Model, cmd tea.Cmd) Model {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command to run")
	}
	next, _ := m.Update(cmd())
	return next.(Model)
}

func TestHistoryPaneOpensAPastRunReadOnly(t *testing.T) {
	m, _ := newHistoryModel(t)
	m, cmd := press(t, m, "6")
	if m.focus != paneHistory {
		t.Fatalf("6 focused pane %v", m.focus)
	}
	m = deliver(t, m, cmd) // the read, off the UI goroutine
	v := m.View()
	if !strings.Contains(v, "6 History 2") || strings.Count(v, "A12345 sliding") != 2 {
		t.Fatalf("history pane after 6:\n%s", v)
	}

	// The older run opens too: the state keeps the last complete runs'
	// findings.
	m, _ = press(t, m, "j")
	m, cmd = press(t, m, "enter")
	if m = deliver(t, m, cmd); !m.pastOpen || !strings.Contains(m.View(), "olduser") {
		t.Fatalf("the older run did not open:\n%s", m.View())
	}
	m, cmd = press(t, m, "esc")
	m = deliver(t, m, cmd)
	m, _ = press(t, m, "6", "k")
	m, cmd = press(t, m, "enter")
	m = deliver(t, m, cmd)
	if !m.pastOpen || m.focus != paneResults {
		t.Fatalf("after opening: past %v focus %v", m.pastOpen, m.focus)
	}
	v = m.View()
	if !strings.Contains(v, "past run") || !strings.Contains(v, "read-only") || !strings.Contains(v, "pastuser") {
		t.Fatalf("past run not shown labelled read-only:\n%s", v)
	}

	// Hand-offs would hand on the current results: refused, and said so.
	m, _ = press(t, m, "e")
	if !strings.Contains(m.View(), "A past run is read-only") {
		t.Errorf("e on a past run:\n%s", m.View())
	}

	m, _ = press(t, m, "esc") // dismisses the error first
	m, cmd = press(t, m, "esc")
	m = deliver(t, m, cmd)
	if m.pastOpen || strings.Contains(m.View(), "pastuser") || !strings.Contains(m.View(), "5 Results") {
		t.Errorf("esc did not return to the current results:\n%s", m.View())
	}
}

// A run in progress is not cancelled by the esc that leaves a past run,
// and its results replace the past run when it finishes.
func TestPastRunAndARunInProgress(t *testing.T) {
	m, fe := newHistoryModel(t)
	m, cmd := press(t, m, "6")
	m = deliver(t, m, cmd)
	m, cmd = press(t, m, "enter")
	m = deliver(t, m, cmd)
	m, _ = press(t, m, "r")
	if !m.running() {
		t.Fatal("r did not start a run")
	}
	m, cmd = press(t, m, "5", "esc")
	if fe.started()[0].cancelled.Load() || !m.running() {
		t.Fatal("esc on a past run cancelled the run in progress")
	}
	if m = deliver(t, m, cmd); m.pastOpen {
		t.Fatal("esc did not close the past run")
	}
	m, cmd = press(t, m, "6")
	m = deliver(t, m, cmd)
	m, cmd = press(t, m, "enter") // opened again while the run goes on
	if m = deliver(t, m, cmd); !m.pastOpen {
		t.Fatal("the past run did not open during a run")
	}
	m = send(m, 1, finished(1))
	// The state is open (the pane read it): the results show once the run
	// is recorded in it.
	m = deliver(t, m, conclude(m.active, finished(1).Result))
	if m.pastOpen || m.focus != paneResults || !strings.Contains(m.View(), "100042") {
		t.Errorf("the finished run's results did not replace the past run:\n%s", m.View())
	}
}

func TestHistoryMessagesReachThePaneUnfocused(t *testing.T) {
	m, _ := newHistoryModel(t)
	m, cmd := press(t, m, "6")
	m, _ = press(t, m, "2")
	m = deliver(t, m, cmd)
	if m.focus != paneRun || m.history.Title() != "History 2" {
		t.Errorf("a read that arrived after the focus moved was lost: focus %v, title %q", m.focus, m.history.Title())
	}
}

// Every way into the pane reads the history again; staying in it does not.
func TestHistoryRefreshesWhenItGainsFocus(t *testing.T) {
	cases := []struct {
		name string
		keys []string
		read bool
	}{
		{"jump key", []string{"6"}, true},
		{"tab from results", []string{"5", "tab"}, true},
		{"another pane", []string{"1"}, false},
		{"already there", []string{"6", "j"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newHistoryModel(t)
			_, cmd := press(t, m, tc.keys...)
			if got := cmd != nil; got != tc.read {
				t.Errorf("after %v: read %v, want %v", tc.keys, got, tc.read)
			}
			if tc.read {
				if _, ok := cmd().(history.LoadedMsg); !ok {
					t.Errorf("after %v the command is not the history read", tc.keys)
				}
			}
		})
	}
}
