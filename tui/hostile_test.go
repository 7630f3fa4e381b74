package tui

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"cam/engine"
	"cam/engine/detect"
	"cam/internal/applog"
	"cam/internal/inert/inerttest"
	"cam/tui/clipboard"
	"cam/tui/logs"
)

// hostileResult is a finished run in which every text a database supplies
// is s.
func hostileResult(id int64, s string) engine.RunFinished {
	t0 := goldenNow.Add(-48 * time.Hour)
	ev := detect.Evidence{Type: "password" + s, Time: t0, Database: "db" + s, Query: "q" + s, IP: "10.0.0.1" + s}
	return engine.RunFinished{RunID: id, Result: engine.Result{RunID: id, Complete: false, StartedAt: goldenNow, FinishedAt: goldenNow.Add(time.Second),
		Queries: []engine.QueryResult{{Database: "db" + s, Query: "q" + s, Status: engine.StatusFailed, Err: "ORA-00942: " + s}},
		Findings: detect.Findings{
			Takeovers:  []detect.Takeover{{User: s, WindowStart: t0, WindowEnd: t0.Add(time.Hour)}},
			Candidates: []detect.Candidate{{User: "cand" + s}},
			Alerts: []detect.Alert{
				{Rule: detect.RuleTakeover, Severity: detect.SeverityCritical, User: s, FirstSeen: t0, LastSeen: t0.Add(time.Hour), Count: 4,
					Database: "db" + s, Message: "changes by " + s, Evidence: []detect.Evidence{ev, ev}},
				{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh, User: s + "2", FirstSeen: t0, LastSeen: t0, Count: 9,
					Message: "9 failed logins for " + s},
			},
		}}}
}

// TestHostileTextNeverReachesTheTerminal feeds every hostile string
// through every pane, the detail view, the footer's toasts and the error
// view, at both terminal sizes: the screen holds no control byte but the
// layout's newlines, no ESC (the ASCII profile writes none of its own),
// no C1 control and no bidi override.
//
// With colours on, the only escape sequences left are lipgloss's own SGR
// (ESC [ ... m); with the ASCII profile there are none at all.
func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	for _, p := range []struct {
		name    string
		profile termenv.Profile
	}{{"ascii", termenv.Ascii}, {"truecolor", termenv.TrueColor}} {
		lipgloss.SetColorProfile(p.profile)
		hostileScreens(t, p.name)
	}
	lipgloss.SetColorProfile(termenv.Ascii)
}

// sgr is a Select Graphic Rendition sequence, what lipgloss writes.
var sgr = regexp.MustCompile("\x1b\\[[0-9;:]*m")

func hostileScreens(t *testing.T, profile string) {
	for _, size := range goldenSizes {
		for _, c := range inerttest.Corpus {
			t.Run(fmt.Sprintf("%s/%dx%d/%s", profile, size[0], size[1], c.Name), func(t *testing.T) {
				s := c.Text
				cfg := testConfig("sqlite")
				cfg.Databases[0].Name, cfg.Databases[0].Queries[0].Name, cfg.Databases[0].Path = "db"+s, "q"+s, "/data/"+s
				fe := &fakeEngine{}
				m := New(Options{Config: cfg, Engine: fe, Now: func() time.Time { return goldenNow }, Zone: time.UTC})
				next, _ := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				m = next.(Model)
				check := func(state string) {
					t.Helper()
					if bad := inerttest.Active(sgr.ReplaceAllString(m.View(), ""), true); bad != "" {
						t.Errorf("%s: the screen holds %s:\n%q", state, bad, m.View())
					}
				}
				for _, k := range []string{"1", "2", "3", "4", "5"} {
					m, _ = press(t, m, k)
					check("idle, pane " + k)
				}
				m, _ = press(t, m, "r")
				ref := engine.QueryRef{RunID: 1, Database: "db" + s, Query: "q" + s}
				m = send(m, 1, engine.QueryQueued{QueryRef: ref})
				m = send(m, 1, engine.QueryStarted{QueryRef: ref, Attempt: 1})
				m = send(m, 1, engine.QueryRetrying{QueryRef: ref, Attempt: 1, MaxAttempts: 3, Class: engine.ErrorClass("network"), Err: "reset by " + s})
				// Records made here, not by the handler: the pane must not rely on
				// every sender having made them inert.
				next, _ = m.Update(logs.RecordsMsg{Records: []applog.Record{
					{Time: goldenNow, Level: slog.LevelError, Module: "engine", Message: "failed: " + s, Attrs: []applog.Attr{{Key: "db", Value: s}}},
					{Time: goldenNow, Module: s, Message: "raw " + s}}})
				m = next.(Model)
				for _, k := range []string{"3", "4", "v"} {
					m, _ = press(t, m, k)
					check("running, key " + k)
				}
				m = send(m, 1, engine.QueryFailed{QueryRef: ref, Attempts: 3, Class: engine.ErrorClass("network"), Err: "ORA-12170: " + s})
				m = send(m, 1, hostileResult(1, s))
				for _, k := range []string{"1", "2", "3", "4", "5"} {
					m, _ = press(t, m, k)
					check("finished, pane " + k)
				}
				m, _ = press(t, m, "5", "enter")
				check("detail")
				m, _ = press(t, m, "esc")
				next, _ = m.Update(clipboard.CopiedMsg{Summary: "Copied user ID " + s})
				m = next.(Model)
				check("toast")
				next, _ = m.Update(clipboard.CopiedMsg{Err: errors.New("tmux: " + s)})
				m = next.(Model)
				check("error toast")
			})
		}
	}
}
