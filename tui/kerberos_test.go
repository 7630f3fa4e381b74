package tui

import (
	"cam/tui/toast"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"cam/config"
	"cam/oracle"
)

// kerberosModel is a model over an Oracle database whose ticket check
// returns whatever *state holds.
func kerberosModel(t *testing.T, state *atomic.Pointer[oracle.TicketState]) (Model, *fakeEngine) {
	t.Helper()
	fe := &fakeEngine{}
	m := New(Options{Config: testConfig("oracle"), Engine: fe,
		Ticket: func(config.OracleClient) oracle.TicketState { return *state.Load() },
		Kinit: func(config.OracleClient, string) (*exec.Cmd, error) {
			return exec.Command("kinit", "-c", "FILE:/tmp/x"), nil
		}})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return next.(Model), fe
}

// checked runs the model's ticket check as the program would.
func checked(t *testing.T, m Model) Model {
	t.Helper()
	cmd := m.checkTicket()
	if cmd == nil {
		t.Fatal("no ticket check for an Oracle Kerberos config")
	}
	next, _ := m.Update(cmd())
	return next.(Model)
}

func stateOf(s oracle.TicketState) *atomic.Pointer[oracle.TicketState] {
	var p atomic.Pointer[oracle.TicketState]
	p.Store(&s)
	return &p
}

func TestTicketStatesGateTheRun(t *testing.T) {
	valid := oracle.TicketState{Level: oracle.TicketOK, Line: "analyst@CORP.EXAMPLE — valid for 7h12m"}
	warn := oracle.TicketState{Level: oracle.TicketWarn, Line: "analyst@CORP.EXAMPLE — valid for 40m — press K to renew"}
	missing := oracle.TicketState{Level: oracle.TicketBlocked, Line: "no Kerberos ticket: credential cache /tmp/krb5cc_1000 does not exist; run kinit",
		Reason: "no Kerberos ticket — press K to run kinit"}
	expired := oracle.TicketState{Level: oracle.TicketBlocked, Line: "Kerberos ticket for a@R expired", Reason: "Kerberos ticket expired — press K to run kinit"}
	for _, tc := range []struct {
		name  string
		state oracle.TicketState
		runs  int
		shows string
	}{
		{"valid", valid, 1, "valid for 7h12m"},
		{"under an hour", warn, 1, "press K to renew"},
		{"missing", missing, 0, "Run disabled: no Kerberos ticket — press K to run kinit"},
		{"expired", expired, 0, "Run disabled: Kerberos ticket expired"},
	} {
		m, fe := kerberosModel(t, stateOf(tc.state))
		m, _ = press(t, m, "2")
		if why := m.run.Blocked(); !strings.Contains(why, "checking") {
			t.Errorf("%s: before the first check, Run should wait for it; blocked %q", tc.name, why)
		}
		m = checked(t, m)
		view := m.View()
		if !strings.Contains(view, tc.shows) {
			t.Errorf("%s: run pane lacks %q:\n%s", tc.name, tc.shows, view)
		}
		m, _ = press(t, m, "c", "r") // c must not override a missing or expired ticket
		if got := len(fe.started()); got != tc.runs {
			t.Errorf("%s: %d runs started, want %d", tc.name, got, tc.runs)
		}
	}
}

func TestUnreadableCacheNeedsTheExplicitOverride(t *testing.T) {
	m, fe := kerberosModel(t, stateOf(oracle.TicketState{Level: oracle.TicketOverridable,
		Line:   "credential cache KEYRING:persistent:1000 is a KEYRING cache, which cam cannot read; export KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u) and run kinit again",
		Reason: "cam cannot read your ticket cache — press c if you ran kinit"}))
	m = checked(t, m)
	m, _ = press(t, m, "2", "r")
	if len(fe.started()) != 0 {
		t.Fatal("run started without the override")
	}
	// The whole hint is on screen, wrapped, not cut.
	if view := m.View(); !strings.Contains(view, "export") || !strings.Contains(view, "KRB5CCNAME=FILE:/tmp/krb5cc_$(id") {
		t.Errorf("hint cut:\n%s", view)
	}
	press(t, m, "c", "r")
	if len(fe.started()) != 1 {
		t.Error("run did not start after the override")
	}
}

func TestKinitRunsInTheForegroundAndRechecks(t *testing.T) {
	state := stateOf(oracle.TicketState{Level: oracle.TicketBlocked, Line: "no ticket", Reason: "no Kerberos ticket — press K to run kinit"})
	m, fe := kerberosModel(t, state)
	m = checked(t, m)
	m, cmd := press(t, m, "K")
	if cmd == nil {
		t.Fatal("K gave no command")
	}
	// tea.ExecProcess's message is unexported; what matters is that the
	// program is handed a command to suspend for, and that its end
	// re-checks the ticket.
	if msg := cmd(); msg == nil {
		t.Fatal("K's command produced no message for the program")
	}
	state.Store(&oracle.TicketState{Level: oracle.TicketOK, Line: "a@R — valid for 10h00m"})
	next, recheck := m.Update(kinitDoneMsg{})
	m = next.(Model)
	if recheck == nil {
		t.Fatal("no re-check after kinit")
	}
	for _, msg := range batchMsgs(recheck) {
		next, _ = m.Update(msg)
		m = next.(Model)
	}
	m, _ = press(t, m, "r")
	if len(fe.started()) != 1 {
		t.Errorf("run did not start with the fresh ticket; blocked %q", m.run.Blocked())
	}
}

func TestKinitFailureIsShownAndTheTicketRechecked(t *testing.T) {
	m, _ := kerberosModel(t, stateOf(oracle.TicketState{Level: oracle.TicketBlocked, Line: "no ticket", Reason: "no ticket"}))
	next, cmd := m.Update(kinitDoneMsg{err: &exec.ExitError{}, detail: "kinit: Password incorrect while getting initial credentials"})
	m = next.(Model)
	if m.toast.Level() != toast.Error || m.toast.Text() != "kinit failed: kinit: Password incorrect while getting initial credentials" || cmd == nil {
		t.Errorf("toast %q, recheck %v", m.toast.Text(), cmd != nil)
	}
}

func TestNoKerberosNoTicketLine(t *testing.T) {
	m, _ := newModel(t, "sqlite")
	if m.checkTicket() != nil {
		t.Error("a sqlite config checks a ticket")
	}
	m, _ = press(t, m, "2")
	if !strings.Contains(m.View(), "Kerberos: not needed") || m.run.Blocked() != "" {
		t.Errorf("view:\n%s\nblocked %q", m.View(), m.run.Blocked())
	}
}

// batchMsgs returns the ticket checks a command (or batch) produces,
// skipping the toast timer, which would only wait.
func batchMsgs(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range batch {
			out = append(out, batchMsgs(c)...)
		}
		return out
	}
	if _, ok := msg.(ticketCheckedMsg); ok {
		return []tea.Msg{msg}
	}
	return nil
}
