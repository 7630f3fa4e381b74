package history

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"

	"cam/engine"
	"cam/engine/detect"
	"cam/tui/common"
)

func newPast(t *testing.T) Past {
	t.Helper()
	c := common.New()
	c.Now = func() time.Time { return now }
	c.Zone = time.UTC
	run := pastRuns()[0]
	res := engine.Result{Complete: true, Findings: detect.Findings{Alerts: []detect.Alert{
		{Rule: detect.RuleTakeover, Severity: detect.SeverityCritical, User: "100042", Count: 4, Message: "password, email changed",
			FirstSeen: now.Add(-3 * time.Hour), LastSeen: now.Add(-time.Hour)},
		{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh, User: "jsmith", Count: 8, Message: "8 failed logins",
			FirstSeen: now.Add(-time.Hour), LastSeen: now.Add(-time.Hour)},
	}}}
	p := NewPast(c, run, res, nil)
	p.SetSize(78, 18)
	return p
}

func TestPastRunIsLabelledReadOnly(t *testing.T) {
	p := newPast(t)
	if want := "past run 11-28 11:50 — read-only"; !strings.Contains(p.Title(), want) {
		t.Errorf("title %q lacks %q", p.Title(), want)
	}
	v := p.View()
	first := strings.Split(v, "\n")[0]
	if !strings.Contains(first, "Read-only: run 4 from the history · esc returns to the current results") {
		t.Errorf("banner %q", first)
	}
	if !strings.Contains(v, "100042") || !strings.Contains(v, "jsmith") {
		t.Errorf("the past run's findings are not shown:\n%s", v)
	}
	if got := len(strings.Split(v, "\n")); got > 18 {
		t.Errorf("%d lines in an 18-line pane", got)
	}
}

// Only looking keys reach the results: the triage keys and the
// hand-offs do nothing on a past run, and its help does not offer them.
func TestPastRunLetsOnlyLookingKeysThrough(t *testing.T) {
	p := newPast(t)
	before := p.View()
	for _, k := range []string{"a", "x", "R", "n", "z", "u", "e", "m", "o"} {
		t.Run(k, func(t *testing.T) {
			next, cmd := p.Update(keyMsg(k))
			if cmd != nil || next.View() != before {
				t.Errorf("%q acted on a past run (cmd %v)", k, cmd != nil)
			}
		})
	}
	for _, b := range p.ShortHelp() {
		for _, handOff := range []key.Binding{p.c.Keys.Export, p.c.Keys.Mail, p.c.Keys.Summary} {
			if sameKeys(b, handOff) {
				t.Errorf("help offers %q on a past run", b.Help().Key)
			}
		}
	}
	next, _ := p.Update(keyMsg("j"))
	if next.View() == before {
		t.Error("j did not move the selection in a past run")
	}
}

func TestEscLeavesTheDetailThenThePastRun(t *testing.T) {
	p := newPast(t)
	p, _ = p.Update(keyMsg("enter"))
	if !p.inner.InDetail() {
		t.Fatal("enter did not open the detail of a past run's alert")
	}
	p, cmd := p.Update(keyMsg("esc"))
	if p.inner.InDetail() {
		t.Fatal("esc did not leave the detail")
	}
	if cmd != nil {
		if _, closed := cmd().(ClosedMsg); closed {
			t.Fatal("esc in the detail closed the past run")
		}
	}
	_, cmd = p.Update(keyMsg("esc"))
	if cmd == nil {
		t.Fatal("esc at the list did not close the past run")
	}
	if _, closed := cmd().(ClosedMsg); !closed {
		t.Fatal("esc at the list did not close the past run")
	}
	if !p.EscConsumed() {
		t.Error("a past run must take esc before a run in progress is cancelled")
	}
}
