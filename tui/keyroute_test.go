package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"cam/engine"
	"cam/engine/detect"
)

// finishedMany is a result with n alerts for users u0 … u(n-1), in that
// order on screen (same severity and rule, counts descending).
func finishedMany(id int64, n int) engine.RunFinished {
	res := engine.Result{RunID: id, Complete: true}
	for i := 0; i < n; i++ {
		res.Findings.Alerts = append(res.Findings.Alerts, detect.Alert{Rule: detect.RuleBruteForce,
			Severity: detect.SeverityHigh, User: fmt.Sprintf("u%d", i), Count: 100 - i, Message: "failed logins"})
	}
	return engine.RunFinished{RunID: id, Result: res}
}

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func update(m Model, msg tea.Msg) Model {
	next, _ := m.Update(msg)
	return next.(Model)
}

// Bubble Tea hands runes that arrive in one read over as one message;
// outside a text input they are that many presses, in order.
func TestRunesInOneMessageArePresses(t *testing.T) {
	for _, tc := range []struct {
		name       string
		keys       []tea.KeyMsg
		wantDetail string // the user whose detail view opens on enter; "" skips
		wantFilter string
	}{
		{name: "jjjj moves four rows", keys: []tea.KeyMsg{runes("jjjj")}, wantDetail: "u4"},
		{name: "as four single presses", keys: []tea.KeyMsg{runes("j"), runes("j"), runes("j"), runes("j")}, wantDetail: "u4"},
		{name: "jjk moves one row", keys: []tea.KeyMsg{runes("jjk")}, wantDetail: "u1"},
		{name: "a text input keeps them as text", keys: []tea.KeyMsg{runes("/"), runes("jjjj")}, wantFilter: "jjjj"},
		{name: "a press that opens an input hands it the rest", keys: []tea.KeyMsg{runes("/u3")}, wantFilter: "u3"},
		// Esc and j in one read arrive as alt+j: the esc leaves the
		// filter (clearing it), the j moves a row.
		{name: "esc and a key in one read are both presses", keys: []tea.KeyMsg{runes("/u"), {Type: tea.KeyRunes, Runes: []rune("j"), Alt: true}}, wantDetail: "u1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newModel(t)
			m, _ = press(t, m, "r")
			m = send(m, 1, finishedMany(1, 8))
			for _, k := range tc.keys {
				m = update(m, k)
			}
			if tc.wantFilter != "" {
				if got := m.results.Filter(); got != tc.wantFilter {
					t.Errorf("filter %q, want %q", got, tc.wantFilter)
				}
				return
			}
			m, _ = press(t, m, "enter")
			if want := "Other alerts for " + tc.wantDetail + ":"; !strings.Contains(m.View(), want) {
				t.Errorf("detail lacks %q:\n%s", want, m.View())
			}
		})
	}
}

// A quit among the runes ends the routing: nothing after it is pressed.
func TestRunesStopAtQuit(t *testing.T) {
	m, fe := newModel(t)
	next, cmd := m.Update(runes("qr"))
	if !next.(Model).quitting || cmd == nil {
		t.Fatal("q among the runes did not quit")
	}
	if n := len(fe.started()); n != 0 {
		t.Errorf("r after q started %d run(s)", n)
	}
}
