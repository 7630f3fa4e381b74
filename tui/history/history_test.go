package history

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"cam/engine"
	"cam/engine/detect"
	"cam/session"
	"cam/triage"
	"cam/tui/common"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// fakeSource serves a fixed history and the findings of the stored runs.
type fakeSource struct {
	hist   session.History
	err    error
	reads  int
	opened []int64
}

func (f *fakeSource) RunHistory(context.Context, int) (session.History, error) {
	f.reads++
	return f.hist, f.err
}

func (f *fakeSource) PastResult(_ context.Context, id int64) (engine.Result, error) {
	f.opened = append(f.opened, id)
	return engine.Result{Complete: true, Findings: detect.Findings{Alerts: []detect.Alert{
		{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh, User: "jsmith", Count: 8, Message: "8 failed logins",
			FirstSeen: now.Add(-time.Hour), LastSeen: now.Add(-time.Hour)}}}}, nil
}

// series is 30 days of findings: quiet, then a peak of 12 two days ago.
func series() []triage.DayCount {
	out := make([]triage.DayCount, 30)
	for i := range out {
		out[i].Day = now.AddDate(0, 0, i-29)
	}
	out[20].Count, out[25].Count, out[27].Count, out[29].Count = 1, 6, 12, 3
	return out
}

func pastRuns() []session.PastRun {
	run := func(id int64, start time.Time, took time.Duration, sid, mode, window string, complete, cancelled, stored bool,
		rows, rejected int64, byRule map[string]int, bySev map[string]int) session.PastRun {
		alerts := 0
		for _, n := range byRule {
			alerts += n
		}
		r := session.PastRun{Stored: stored, RunSummary: triage.RunSummary{ID: id, StartedAt: start,
			FinishedAt: start.Add(took), SID: sid, Mode: mode, WindowMode: window, Complete: complete,
			Cancelled: cancelled, Rows: rows, Rejected: rejected, Alerts: alerts, ByRule: byRule, BySeverity: bySev}}
		return r
	}
	return []session.PastRun{
		run(4, now.Add(-10*time.Minute), 42*time.Second, "A12345", triage.ModeIncremental, "sliding", true, false, true,
			1_234_567, 12, map[string]int{"brute_force": 2, "account_takeover": 1}, map[string]int{"critical": 1, "high": 2}),
		run(3, now.Add(-2*time.Hour), 3*time.Minute, "B77", triage.ModeTUI, "anchored", false, true, false,
			800, 0, map[string]int{}, map[string]int{}),
		run(2, now.Add(-26*time.Hour), 95*time.Second, "A12345", triage.ModeHeadless, "sliding", false, false, false,
			45_000, 7, map[string]int{"off_hours": 3}, map[string]int{"medium": 3}),
		run(1, time.Date(2025, 12, 30, 23, 5, 0, 0, time.UTC), 61*time.Second, "A12345", triage.ModeHeadless, "sliding",
			true, false, false, 99, 1, map[string]int{"role_violation": 1}, map[string]int{"high": 1}),
	}
}

func newPane(t *testing.T, src *fakeSource, w, h int) Model {
	t.Helper()
	c := common.New()
	c.Now = func() time.Time { return now }
	c.Zone = time.UTC
	m := New(c, src)
	m.SetASCII(true)
	m.SetSize(w, h)
	m = load(t, m)
	return m
}

// load runs a refresh's read and hands its answer to the pane.
func load(t *testing.T, m Model) Model {
	t.Helper()
	cmd := m.Refresh()
	if cmd == nil {
		t.Fatal("Refresh returned no read")
	}
	m, _ = m.Update(cmd())
	return m
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func TestListsRunsNewestFirstWithTheirOutcome(t *testing.T) {
	src := &fakeSource{hist: session.History{Runs: pastRuns(), PerDay: series(), StatePath: "/s/state.db"}}
	m := newPane(t, src, 140, 30)
	v := m.View()
	lines := strings.Split(v, "\n")
	rowOf := func(id string) int {
		for i, l := range lines {
			if strings.Contains(l, id) {
				return i
			}
		}
		t.Fatalf("%q not on screen:\n%s", id, v)
		return -1
	}
	if !(rowOf("11-28 11:50") < rowOf("11-28 10:00") && rowOf("11-28 10:00") < rowOf("11-27 10:00") &&
		rowOf("11-27 10:00") < rowOf("2025-12-30 23:05")) {
		t.Errorf("runs not newest first, or a past year's run without its year:\n%s", v)
	}
	for _, want := range []string{
		"incremental", "anchored", "cancelled", "incomplete", "complete", // mode and state
		"1.2M", "45,000", "42s", "1m 35s", // rows, duration
		"1 takeover, 2 brute force", "1 critical, 2 high", "3 off-hours", // counts by rule (display names) and severity
		"B77",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("%q missing:\n%s", want, v)
		}
	}
	if m.Title() != "History 4" {
		t.Errorf("title %q", m.Title())
	}
}

func TestSparklineHeaderFromTheSeries(t *testing.T) {
	src := &fakeSource{hist: session.History{Runs: pastRuns(), PerDay: series()}}
	m := newPane(t, src, 100, 20)
	first := strings.Split(m.View(), "\n")[0]
	// 1, 6, 12, 3 over a peak of 12: . - # . (ASCII, linear from the quietest).
	want := "Last 30 days " + strings.Repeat("_", 20) + "." + "____-_#_." + "  22 findings, peak 12/day"
	if strings.TrimRight(first, " ") != want {
		t.Errorf("header\n got %q\nwant %q", strings.TrimRight(first, " "), want)
	}
	m.SetASCII(false)
	if first := strings.Split(m.View(), "\n")[0]; !strings.Contains(first, "▁▂▁▁▁▁▄▁█▁▃") {
		t.Errorf("Unicode header %q", first)
	}
}

func TestSelectionAndWhatOpens(t *testing.T) {
	src := &fakeSource{hist: session.History{Runs: pastRuns(), PerDay: series()}}
	m := newPane(t, src, 78, 18)
	if r, _ := m.Selected(); r.ID != 4 {
		t.Fatalf("first selection is run %d, want the newest (4)", r.ID)
	}
	if !strings.Contains(m.View(), "enter opens its findings read-only") {
		t.Errorf("a stored run does not say it opens:\n%s", m.View())
	}
	_, cmd := m.Update(keyMsg("enter"))
	if cmd == nil {
		t.Fatal("enter on a stored run read nothing")
	}
	opened, ok := cmd().(OpenedMsg)
	if !ok || opened.Run.ID != 4 || len(opened.Result.Findings.Alerts) != 1 || opened.Err != nil {
		t.Fatalf("enter: %+v", opened)
	}

	cases := []struct {
		name  string
		moves string
		id    int64
		why   string
	}{
		{"cancelled", "j", 3, "the run was cancelled"},
		{"incomplete", "jj", 2, "the run was incomplete"},
		{"superseded", "jjj", 1, "only the last 60 complete runs' findings are kept"},
		{"bottom stays", "jjjjjj", 1, "only the last 60"},
		{"back up", "jjjk", 2, "the run was incomplete"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := m
			for _, r := range tc.moves {
				p, _ = p.Update(keyMsg(string(r)))
			}
			if r, _ := p.Selected(); r.ID != tc.id {
				t.Fatalf("after %q: run %d, want %d", tc.moves, r.ID, tc.id)
			}
			if !strings.Contains(p.View(), "Cannot open: "+tc.why) {
				t.Errorf("no reason %q:\n%s", tc.why, p.View())
			}
			if _, cmd := p.Update(keyMsg("enter")); cmd != nil {
				t.Errorf("enter on run %d read its findings", tc.id)
			}
		})
	}
}

// A refresh keeps the cursor on the run it was on; a late, superseded
// read is dropped.
func TestRefreshKeepsSelectionAndDropsStaleReads(t *testing.T) {
	src := &fakeSource{hist: session.History{Runs: pastRuns()[1:], PerDay: series()}}
	m := newPane(t, src, 78, 18)
	m, _ = m.Update(keyMsg("j")) // run 2
	stale := m.Refresh()
	src.hist.Runs = pastRuns() // a new run recorded since
	m = load(t, m)
	if r, _ := m.Selected(); r.ID != 2 {
		t.Errorf("after a refresh the cursor is on run %d, want 2", r.ID)
	}
	src.hist.Runs = nil
	m, _ = m.Update(stale())
	if len(m.Runs()) != 4 {
		t.Errorf("a superseded read replaced the list: %d runs", len(m.Runs()))
	}
}

func TestEmptyAndFailedReads(t *testing.T) {
	cases := []struct {
		name string
		src  *fakeSource
		want string
	}{
		{"no runs", &fakeSource{hist: session.History{PerDay: series(), StatePath: "/st/state.db"}},
			"No runs recorded in /st/state.db yet: r starts one."},
		{"no state", &fakeSource{err: session.ErrNoState}, "No triage state is open"},
		{"hostile error", &fakeSource{err: errors.New("disk \x1b[31mI/O\x1b[0m error")}, "Cannot read the run history: disk"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newPane(t, tc.src, 78, 18)
			v := m.View()
			if !strings.Contains(v, tc.want) {
				t.Errorf("want %q:\n%s", tc.want, v)
			}
			if strings.Contains(v, "\x1b") {
				t.Errorf("escape sequence reached the screen: %q", v)
			}
		})
	}
}

func TestHostileRunFieldsAreInert(t *testing.T) {
	runs := pastRuns()
	runs[0].SID = "A1\x1b]52;c;ZXZpbA==\x07"
	runs[0].WindowMode = "\x1b[2J"
	runs[0].Mode = triage.ModeTUI
	runs[0].ByRule["\x1b[31mrule"] = 1
	m := newPane(t, &fakeSource{hist: session.History{Runs: runs, PerDay: series()}}, 140, 20)
	if v := m.View(); strings.Contains(v, "\x1b") || strings.Contains(v, "\x07") {
		t.Errorf("control characters from the state reached the screen: %q", v)
	}
}

func TestGoldenHistory(t *testing.T) {
	for _, size := range []struct {
		name string
		w, h int
	}{{"80x24", 78, 18}, {"140x40", 92, 35}} {
		t.Run(size.name, func(t *testing.T) {
			m := newPane(t, &fakeSource{hist: session.History{Runs: pastRuns(), PerDay: series()}}, size.w, size.h)
			m, _ = m.Update(keyMsg("j"))
			golden.RequireEqual(t, m.View()) // go test -update rewrites it
		})
	}
}
