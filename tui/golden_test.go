package tui

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"cam/engine"
	"cam/engine/detect"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

var goldenNow = time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)

func goldenModel(fe *fakeEngine) Model {
	return New(Options{Config: testConfig("sqlite"), Engine: fe, Demo: true,
		Now: func() time.Time { return goldenNow }, Zone: time.UTC})
}

func goldenResult(id int64) engine.RunFinished {
	t0 := goldenNow.Add(-48 * time.Hour)
	ev := func(typ string, off time.Duration) detect.Evidence {
		return detect.Evidence{Type: typ, Time: t0.Add(off), Database: "clients", Query: "Email"}
	}
	return engine.RunFinished{RunID: id, Result: engine.Result{RunID: id, Complete: true, StartedAt: goldenNow, FinishedAt: goldenNow.Add(3 * time.Second),
		Queries: []engine.QueryResult{{Database: "clients", Query: "Email", Status: engine.StatusOK, Rows: 1188}},
		Findings: detect.Findings{
			Takeovers: []detect.Takeover{{User: "100042", WindowStart: t0, WindowEnd: t0.Add(3 * time.Hour)}},
			Alerts: []detect.Alert{
				{Rule: detect.RuleTakeover, Severity: detect.SeverityCritical, User: "100042", FirstSeen: t0, LastSeen: t0.Add(3 * time.Hour), Count: 4,
					Database: "clients", Message: "password, email, phone and token changed within 3h",
					Evidence: []detect.Evidence{ev("password", 0), ev("email", 40*time.Minute), ev("phone", 2*time.Hour), ev("token", 3*time.Hour)}},
				{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh, User: "jsmith", FirstSeen: t0, LastSeen: t0.Add(175 * time.Second), Count: 8,
					Message: "8 failed logins in 2m 55s from 3 addresses"},
				{Rule: detect.RuleOffHours, Severity: detect.SeverityMedium, User: "night_owl", FirstSeen: t0.Add(-8 * time.Hour), LastSeen: t0.Add(-7 * time.Hour), Count: 3,
					Message: "3 actions outside business hours (09:00–18:00 UTC) on 2026-11-20"},
			},
		}}}
}

var goldenSizes = [][2]int{{80, 24}, {140, 40}}

// TestGoldenIdleAndFinished drives the real program loop with teatest:
// the idle screen, then r, the engine's events, the results and the
// detail view.
func TestGoldenIdleAndFinished(t *testing.T) {
	for _, size := range goldenSizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			fe := &fakeEngine{}
			tm := teatest.NewTestModel(t, goldenModel(fe), teatest.WithInitialTermSize(size[0], size[1]))
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Press r to run")) },
				teatest.WithDuration(5*time.Second))
			tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("r")})
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return len(fe.started()) == 1 }, teatest.WithDuration(5*time.Second))
			ch := fe.started()[0].ch
			ch <- engine.QueryQueued{QueryRef: engine.QueryRef{RunID: 1, Database: "clients", Query: "Email"}}
			ch <- engine.QueryFinished{QueryRef: engine.QueryRef{RunID: 1, Database: "clients", Query: "Email"}, Rows: 1188, Attempts: 1}
			ch <- goldenResult(1)
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("night_owl")) },
				teatest.WithDuration(5*time.Second))
			tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Other alerts for")) },
				teatest.WithDuration(5*time.Second))
			tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
			final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
			final.quitting = false // the final frame is blank on quit; compare the detail screen
			golden.RequireEqual(t, []byte(final.View()))
		})
	}
}

// TestGoldenStates renders each state through Update alone (no spinner
// ticks), so every frame is deterministic.
func TestGoldenStates(t *testing.T) {
	for _, size := range goldenSizes {
		for _, state := range []string{"idle", "running", "finished"} {
			t.Run(fmt.Sprintf("%s_%dx%d", state, size[0], size[1]), func(t *testing.T) {
				fe := &fakeEngine{}
				m := goldenModel(fe)
				next, _ := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				m = next.(Model)
				if state != "idle" {
					m, _ = press(t, m, "r")
					ref := engine.QueryRef{RunID: 1, Database: "clients", Query: "Email"}
					m = send(m, 1, engine.QueryQueued{QueryRef: ref})
					m = send(m, 1, engine.QueryStarted{QueryRef: ref, Attempt: 1})
					m = send(m, 1, engine.QueryProgressed{QueryRef: ref, Rows: 12345, Rejected: 1})
				}
				if state == "finished" {
					m = send(m, 1, goldenResult(1))
				}
				golden.RequireEqual(t, []byte(m.View()))
			})
		}
	}
}
