package results

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/engine"
	"cam/engine/detect"
	"cam/internal/display"
	"cam/tui/clipboard"
	"cam/tui/common"
)

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func alerts(n int) []detect.Alert {
	out := []detect.Alert{{Rule: detect.RuleTakeover, Severity: detect.SeverityCritical, User: "100042", FirstSeen: t0, LastSeen: t0.Add(3 * time.Hour), Count: 4,
		Message: "password, email, phone and token changed within 3h", Evidence: []detect.Evidence{{Type: "password", Time: t0, Database: "acc", Query: "pw"}}}}
	for i := 1; i < n; i++ {
		out = append(out, detect.Alert{Rule: detect.RuleOffHours, Severity: detect.SeverityMedium, User: fmt.Sprintf("user%06d", i),
			FirstSeen: t0.Add(time.Duration(i) * time.Minute), LastSeen: t0.Add(time.Duration(i) * time.Minute), Count: i % 7, Message: "actions outside business hours"})
	}
	out = append(out, detect.Alert{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh, User: "100042", FirstSeen: t0, LastSeen: t0, Count: 8, Message: "8 failed logins"})
	return out
}

func model(n int) Model {
	c := common.New()
	c.Zone = time.UTC
	c.ClipboardMode = "off"
	m := New(c)
	m.SetSize(78, 20)
	m.SetResult(engine.Result{Complete: true, Findings: detect.Findings{Alerts: alerts(n)}})
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

func typeKeys(m Model, keys ...string) (Model, tea.Cmd) {
	var cmd tea.Cmd
	for _, k := range keys {
		m, cmd = m.Update(keyMsg(k))
	}
	return m, cmd
}

func TestTakeoversComeFirstAndFilterNarrows(t *testing.T) {
	m := model(50)
	if v := m.Visible(); v[0].Rule != detect.RuleTakeover {
		t.Errorf("first row %s", v[0].Rule)
	}
	m, _ = typeKeys(m, "/", "u", "s", "e", "r", "0", "0", "0", "0", "1", "2")
	if !m.InputFocused() || len(m.Visible()) != 1 || m.Filter() != "user000012" {
		t.Errorf("filter %q shows %d", m.Filter(), len(m.Visible()))
	}
	m, _ = typeKeys(m, "enter")
	if m.InputFocused() || len(m.Visible()) != 1 {
		t.Error("enter dropped the filter")
	}
	m, _ = typeKeys(m, "esc")
	if len(m.Visible()) != 51 {
		t.Errorf("esc did not clear the filter: %d", len(m.Visible()))
	}
}

func TestSortCyclesAndReverses(t *testing.T) {
	m := model(10)
	m, _ = typeKeys(m, "s", "s") // user
	v := m.Visible()
	if v[0].User != "100042" || v[len(v)-1].User != "user000009" {
		t.Errorf("by user: first %s last %s", v[0].User, v[len(v)-1].User)
	}
	m, _ = typeKeys(m, "S")
	if m.Visible()[0].User != "user000009" {
		t.Errorf("reversed: first %s", m.Visible()[0].User)
	}
}

func TestDetailShowsEvidenceAndOtherAlerts(t *testing.T) {
	m := model(5)
	m, _ = typeKeys(m, "enter")
	if !m.InDetail() {
		t.Fatal("enter did not open the detail view")
	}
	v := m.View()
	for _, want := range []string{"100042 — takeover", "password", "11-20 10:00:00", "acc / pw", "Other alerts for 100042: 1", "8 failed logins"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	m, _ = typeKeys(m, "esc")
	if m.InDetail() {
		t.Error("esc did not leave the detail view")
	}
}

func TestYankAllCopiesDistinctVisibleIDs(t *testing.T) {
	m := model(3)
	_, cmd := typeKeys(m, "Y")
	msg := cmd().(clipboard.CopiedMsg)
	// Clipboard is off in the test, so the command reports that; the text
	// it was asked to copy is checked through yankText.
	if msg.Err == nil || !strings.Contains(msg.Err.Error(), "off") {
		t.Errorf("%+v", msg)
	}
	if got := strings.Join(m.userIDs(), ","); got != "100042,user000001,user000002" {
		t.Errorf("ids %s", got)
	}
}

func BenchmarkView100k(b *testing.B) {
	m := model(100000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = m.View()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/view")
}

// Typing narrows from the visible rows and deleting widens from all rows;
// either way the rows are exactly those a fresh filter over every alert
// finds, in the current sort order.
func TestFilterNarrowsAndWidensExactly(t *testing.T) {
	m := model(3000)
	m, _ = typeKeys(m, "s", "s") // sort by user
	naive := func(m Model, needle string) []string {
		var out []string
		for _, i := range m.order {
			a := m.alerts[i]
			if strings.Contains(strings.ToLower(a.User), needle) || strings.Contains(strings.ToLower(a.Message), needle) ||
				strings.Contains(display.Rule(a.Rule), needle) {
				out = append(out, a.User+a.Message)
			}
		}
		return out
	}
	shown := func(m Model) []string {
		var out []string
		for _, a := range m.Visible() {
			out = append(out, a.User+a.Message)
		}
		return out
	}
	m, _ = typeKeys(m, "/")
	steps := []struct {
		name string
		key  tea.KeyMsg
		want string
	}{
		{"type R", keyMsg("R"), "r"},
		{"type 0", keyMsg("0"), "r0"},
		{"type 0 again", keyMsg("0"), "r00"},
		{"type 1", keyMsg("1"), "r001"},
		{"delete", tea.KeyMsg{Type: tea.KeyBackspace}, "r00"},
		{"type 2", keyMsg("2"), "r002"},
		{"delete again", tea.KeyMsg{Type: tea.KeyBackspace}, "r00"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			m, _ = m.Update(st.key)
			if strings.ToLower(m.Filter()) != st.want {
				t.Fatalf("filter %q, want %q", m.Filter(), st.want)
			}
			got, want := shown(m), naive(m, st.want)
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("filter %q shows %d rows, a fresh filter finds %d", st.want, len(got), len(want))
			}
			if len(got) == 0 {
				t.Errorf("filter %q shows nothing", st.want)
			}
		})
	}
}
