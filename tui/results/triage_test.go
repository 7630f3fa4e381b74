package results

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
	"cam/session"
	"cam/triage"
)

// triageModel is the pane over filterFixture's four alerts, recorded in a
// fresh state, with a session (SID A12345) as its triager. It returns the
// state's directory for a second analyst.
func triageModel(t *testing.T) (Model, *session.Session, string) {
	t.Helper()
	dir := t.TempDir()
	cfg := &config.Config{Settings: config.Settings{User: config.User{SID: "A12345"}, App: config.App{StateDir: dir},
		Detection: config.Detection{BusinessLocation: time.UTC}}}
	trail := session.NewTrail(nil, nil)
	t.Cleanup(func() { trail.Close() })
	sess := session.New(session.Options{Config: cfg, Trail: trail})
	st, err := sess.OpenState()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := sess.CloseState(); err != nil {
			t.Error(err)
		}
	})
	res := engine.Result{Complete: true, Findings: detect.Findings{Alerts: filterFixture()}}
	ctx := context.Background()
	sum, err := st.Record(ctx, res, "A12345", triage.ModeTUI)
	if err != nil {
		t.Fatal(err)
	}
	ann, err := st.Annotate(ctx, sum.ID, res.Findings, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	m := model(1)
	m.SetTriager(sess)
	m.SetOutcome(session.Outcome{Result: res, Summary: sum, Triage: ann, Business: time.UTC})
	return m, sess, dir
}

// settle runs the command a key returned (a session call) and feeds its
// message back, once: the follow-ups (history loads) are run by the
// tests that need them, and the 2 s poll tick never.
func settle(t *testing.T, m Model, cmd tea.Cmd) Model {
	t.Helper()
	if cmd == nil {
		return m
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			m = settle(t, m, c)
		}
		return m
	}
	if _, ok := msg.(StateMsg); ok {
		m, _ = m.Update(msg)
	}
	return m
}

// press types keys and settles each one's command.
func press(t *testing.T, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(keyMsg(k))
		m = settle(t, m, cmd)
	}
	return m
}

// selectUser moves the cursor to user's alert of rule.
func selectUser(t *testing.T, m Model, user string, rule detect.Rule) Model {
	t.Helper()
	for r, i := range m.visible {
		if m.alerts[i].User == user && m.alerts[i].Rule == rule {
			m.cursor = r
			return m
		}
	}
	t.Fatalf("%s's %s alert is not shown", user, rule)
	return m
}

// stored is the alert's status as the state holds it.
func stored(t *testing.T, sess *session.Session, user string, rule detect.Rule) triage.Alert {
	t.Helper()
	alerts, err := sess.Alerts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		if a.User == user && a.Rule == rule {
			return a
		}
	}
	t.Fatalf("the state has no %s alert for %s", rule, user)
	return triage.Alert{}
}

func TestTriageKeysChangeTheStoredStatus(t *testing.T) {
	cases := []struct {
		name string
		keys []string
		want triage.Status
		cell string
	}{
		{"a acknowledges", []string{"a"}, triage.StatusAcknowledged, "ack"},
		{"x escalates", []string{"x"}, triage.StatusEscalated, "ESC"},
		{"u undoes this session's last change", []string{"x", "u"}, triage.StatusNew, "new"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, sess, _ := triageModel(t)
			m = selectUser(t, m, "asmith", detect.RuleBruteForce)
			m = press(t, m, c.keys...)
			if got := stored(t, sess, "asmith", detect.RuleBruteForce).Status; got != c.want {
				t.Fatalf("stored status %s, want %s", got, c.want)
			}
			row := viewLine(t, m, "asmith")
			if !strings.Contains(row, c.cell) {
				t.Errorf("asmith's row %q does not show %q", row, c.cell)
			}
		})
	}
}

// viewLine is the rendered table line holding text.
func viewLine(t *testing.T, m Model, text string) string {
	t.Helper()
	for _, l := range strings.Split(m.View(), "\n") {
		if strings.Contains(l, text) {
			return l
		}
	}
	t.Fatalf("no line of the view holds %q:\n%s", text, m.View())
	return ""
}

func TestResolveAsksReasonAndNoteThenHides(t *testing.T) {
	m, sess, _ := triageModel(t)
	m = selectUser(t, m, "guest1", detect.RuleRoleViolation)
	m = press(t, m, "R")
	if !m.InputFocused() || !strings.Contains(m.View(), "false_positive") {
		t.Fatalf("R did not open the reason choice:\n%s", m.View())
	}
	// "2" picks false_positive; the note arrives as one multi-rune read.
	m = press(t, m, "2", "known test account", "enter")
	a := stored(t, sess, "guest1", detect.RuleRoleViolation)
	if a.Status != triage.StatusResolved || a.Reason != triage.ReasonFalsePositive || a.Note != "known test account" {
		t.Fatalf("stored %s (%s) note %q; want resolved false_positive with the note", a.Status, a.Reason, a.Note)
	}
	if m.InputFocused() {
		t.Error("the dialog stayed open after the change")
	}
	for _, v := range m.Visible() {
		if v.User == "guest1" {
			t.Fatal("the resolved alert is still shown in the open-only view")
		}
	}
	if !strings.Contains(m.View(), "1 resolved") {
		t.Errorf("the summary does not count the hidden resolved alert:\n%s", m.View())
	}
	m = press(t, m, "A")
	if row := viewLine(t, m, "guest1"); !strings.Contains(row, "done") {
		t.Errorf("with every alert shown, guest1's row %q has no resolved marker", row)
	}
}

func TestResolveChoiceAndNoteInOneRead(t *testing.T) {
	m, sess, _ := triageModel(t)
	m = selectUser(t, m, "guest1", detect.RuleRoleViolation)
	// A fast typist: "3" (benign) and the note arrive in one message.
	m = press(t, m, "R", "3ok by IT", "enter")
	a := stored(t, sess, "guest1", detect.RuleRoleViolation)
	if a.Reason != triage.ReasonBenign || a.Note != "ok by IT" {
		t.Fatalf("stored reason %s note %q; want benign with note %q", a.Reason, a.Note, "ok by IT")
	}
	if m.InputFocused() {
		t.Error("the dialog stayed open after enter")
	}
}

func TestDialogsCancelAndRefuse(t *testing.T) {
	m, sess, _ := triageModel(t)
	m = selectUser(t, m, "asmith", detect.RuleBruteForce)
	m = press(t, m, "R", "esc")
	if m.InputFocused() || stored(t, sess, "asmith", detect.RuleBruteForce).Status != triage.StatusNew {
		t.Fatal("esc did not drop the resolve dialog without a change")
	}
	m = press(t, m, "n", "enter")
	if !strings.Contains(m.View(), "needs some text") {
		t.Errorf("an empty note was not refused:\n%s", m.View())
	}
	m = press(t, m, "esc", "z", "1", "enter")
	if !strings.Contains(m.View(), "needs a reason") {
		t.Errorf("a suppression without a reason was not refused:\n%s", m.View())
	}
	m = press(t, m, "vpn", "enter")
	m.dlg.input.SetValue("400d")
	m = press(t, m, "enter")
	if !strings.Contains(m.View(), "365 days") {
		t.Errorf("a 400-day suppression was not refused:\n%s", m.View())
	}
}

func TestNoteShowsInDetailHistory(t *testing.T) {
	m, sess, _ := triageModel(t)
	m = selectUser(t, m, "asmith", detect.RuleBruteForce)
	m = press(t, m, "a", "n", "called the user", "enter")
	a := stored(t, sess, "asmith", detect.RuleBruteForce)
	if a.Status != triage.StatusAcknowledged || a.Note != "called the user" {
		t.Fatalf("stored %s note %q; want acknowledged with the note", a.Status, a.Note)
	}
	m = press(t, m, "enter")
	v := m.View()
	for _, want := range []string{"Triage " + a.ID + ": acknowledged", "new → acknowledged", "A12345", "called the user"} {
		if !strings.Contains(v, want) {
			t.Errorf("the detail view lacks %q:\n%s", want, v)
		}
	}
	// The triage keys work in the detail view too.
	m = press(t, m, "x")
	if got := stored(t, sess, "asmith", detect.RuleBruteForce).Status; got != triage.StatusEscalated {
		t.Errorf("x in the detail view: stored %s, want escalated", got)
	}
	if !m.InDetail() {
		t.Error("x left the detail view")
	}
}

func TestSuppressHidesAndCounts(t *testing.T) {
	cases := []struct {
		name   string
		scope  string
		hidden int // jdoe's two alerts: one rule, or both
	}{
		{"this rule for this user", "1", 1},
		{"all rules for this user", "2", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, _, _ := triageModel(t)
			m = selectUser(t, m, "jdoe", detect.RuleBruteForce)
			m = press(t, m, "z", c.scope, "pentest", "enter", "enter") // expiry: the default 30d
			shown := 0
			for _, v := range m.Visible() {
				if v.User == "jdoe" {
					shown++
				}
			}
			if shown != 2-c.hidden {
				t.Errorf("jdoe's alerts shown: %d, want %d", shown, 2-c.hidden)
			}
			if want := []string{"", "1 suppressed", "2 suppressed"}[c.hidden]; !strings.Contains(m.View(), want) {
				t.Errorf("the summary does not say %q:\n%s", want, m.View())
			}
			m = press(t, m, "A")
			if row := viewLine(t, m, "brute force jdoe"); !strings.Contains(row, "⊘") {
				t.Errorf("shown all, the suppressed row %q has no marker", row)
			}
		})
	}
}

func TestSortKeyStaysSortWithTriage(t *testing.T) {
	m, _, _ := triageModel(t)
	m = press(t, m, "s")
	if m.sortBy != byRule || m.dlg != nil {
		t.Errorf("s: sort %v, dialog open %v; want sorting by rule", m.sortBy, m.dlg != nil)
	}
}

func TestStatusFilterWithTriage(t *testing.T) {
	m, _, _ := triageModel(t)
	m = selectUser(t, m, "asmith", detect.RuleBruteForce)
	m = press(t, m, "a")
	m = selectUser(t, m, "guest1", detect.RuleRoleViolation)
	m = press(t, m, "R", "1", "enter")
	cases := []struct{ filter, want string }{
		{"status:ack", "asmith"},
		{"status:resolved", "guest1"},
		{"status:open rule:brute", "jdoe asmith"},
	}
	for _, c := range cases {
		t.Run(c.filter, func(t *testing.T) {
			m, _ := typeKeys(m, "/", c.filter, "enter")
			var users []string
			for _, v := range m.Visible() {
				users = append(users, v.User)
			}
			got := strings.Join(users, " ")
			if got != c.want {
				t.Errorf("%s shows %q, want %q", c.filter, got, c.want)
			}
			if strings.Contains(m.View(), "needs the triage state") {
				t.Error("the filter line says status: is ignored while a state is open")
			}
		})
	}
}

func TestPollSeesAnotherAnalystsChange(t *testing.T) {
	m, _, dir := triageModel(t)
	other, err := triage.Open(dir, triage.Options{SID: "B99999"})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	m = selectUser(t, m, "asmith", detect.RuleBruteForce)
	id, _ := m.selectedID()
	m = settle(t, m, func() tea.Msg { return PollMsg{} }) // the first poll takes the version
	if _, _, err := other.Set(context.Background(), id, triage.Change{Status: triage.StatusResolved, Reason: triage.ReasonDuplicate}); err != nil {
		t.Fatal(err)
	}
	m, cmd := m.Update(PollMsg{})
	m = settle(t, m, cmd)
	for _, v := range m.Visible() {
		if v.User == "asmith" {
			t.Fatal("the alert another analyst resolved is still shown after a poll")
		}
	}
}

func TestTriageLookupFeedsTheExports(t *testing.T) {
	m, _, _ := triageModel(t)
	m = selectUser(t, m, "guest1", detect.RuleRoleViolation)
	m = press(t, m, "R", "4", "same as INC-7", "enter")
	lookup := m.TriageLookup()
	a := filterFixture()[3]
	got, ok := lookup(&a)
	if !ok || got.Status != "resolved" || got.Reason != "duplicate" || got.ResolvedBy != "A12345" || got.Note != "same as INC-7" {
		t.Errorf("export columns of guest1's alert = %+v (known %v); want resolved, duplicate, A12345, the note", got, ok)
	}
}

func TestUndoWithNothingToUndoSaysSo(t *testing.T) {
	m, _, _ := triageModel(t)
	m = press(t, m, "u")
	if !strings.Contains(m.View(), "Not changed:") {
		t.Errorf("u with nothing to undo says nothing:\n%s", m.View())
	}
}

func TestTriageViewsFitANarrowPane(t *testing.T) {
	screens := map[string][]string{
		"table": nil, "all": {"A"}, "resolve reason": {"R"}, "resolve note": {"R", "1"},
		"suppress scope": {"z"}, "suppress expiry": {"z", "2", "why", "enter"}, "detail": {"enter"},
	}
	for name, keys := range screens {
		t.Run(name, func(t *testing.T) {
			m, _, _ := triageModel(t)
			m.SetSize(50, 16)
			m = press(t, m, keys...)
			for _, l := range strings.Split(m.View(), "\n") {
				if w := ansi.StringWidth(l); w > 50 {
					t.Errorf("line %d cells wide in a 50-cell pane: %q", w, l)
				}
			}
		})
	}
}
