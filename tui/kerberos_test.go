package tui

import (
	"cam/tui/toast"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/config"
	"cam/krb5"
	"cam/tui/keys"
	"cam/tui/runpane"
)

// kerberosModel is a model over an Oracle database whose ticket check
// returns whatever *state holds.
func kerberosModel(t *testing.T, state *atomic.Pointer[krb5.Status]) (Model, *fakeEngine) {
	t.Helper()
	fe := &fakeEngine{}
	m := New(Options{Config: testConfig("oracle"), Engine: fe,
		Ticket: func(config.OracleClient) krb5.Status { return *state.Load() },
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

func stateOf(s krb5.Status) *atomic.Pointer[krb5.Status] {
	var p atomic.Pointer[krb5.Status]
	p.Store(&s)
	return &p
}

func TestTicketStatesGateTheRun(t *testing.T) {
	soon := time.Now().Add(10 * time.Hour)
	valid := krb5.Status{State: krb5.StateOK, Ticket: krb5.Ticket{Principal: "analyst@CORP.EXAMPLE", Expires: soon}}
	warn := krb5.Status{State: krb5.StateExpiringSoon, Ticket: krb5.Ticket{Principal: "analyst@CORP.EXAMPLE", Expires: time.Now().Add(40 * time.Minute)}}
	missing := krb5.Status{State: krb5.StateMissing, Problem: "no Kerberos ticket: credential cache /tmp/krb5cc_1000 does not exist; run kinit"}
	expired := krb5.Status{State: krb5.StateExpired, Ticket: krb5.Ticket{Principal: "a@R"}, Problem: "Kerberos ticket for a@R expired"}
	for _, tc := range []struct {
		name  string
		state krb5.Status
		runs  int
		shows string
	}{
		{"valid", valid, 1, "analyst@CORP.EXAMPLE — valid for 9h5"},
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
	m, fe := kerberosModel(t, stateOf(krb5.Status{State: krb5.StateCacheUnreadable,
		Problem: "credential cache KEYRING:persistent:1000 is a KEYRING cache, which cam cannot read; export KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u) and run kinit again"}))
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
	state := stateOf(krb5.Status{State: krb5.StateMissing, Problem: "no ticket"})
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
	state.Store(&krb5.Status{State: krb5.StateOK, Ticket: krb5.Ticket{Principal: "a@R", Expires: time.Now().Add(10 * time.Hour)}})
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
	m, _ := kerberosModel(t, stateOf(krb5.Status{State: krb5.StateMissing, Problem: "no ticket"}))
	next, cmd := m.Update(kinitDoneMsg{err: &exec.ExitError{}, detail: "kinit: Password incorrect while getting initial credentials"})
	m = next.(Model)
	if m.toast.Level() != toast.Error || m.toast.Text() != "kinit failed: kinit: Password incorrect while getting initial credentials" || cmd == nil {
		t.Errorf("toast %q, recheck %v", m.toast.Text(), cmd != nil)
	}
}

func TestNoKerberosNoTicketLine(t *testing.T) {
	m, _ := newModel(t)
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

// The words come from the facts and name the keys of the key map, so a
// rebound key is what the run pane tells the analyst to press.
func TestTicketWordsNameTheKeyMapsKeys(t *testing.T) {
	now := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	tk := krb5.Ticket{Principal: "analyst@CORP.EXAMPLE", Expires: now.Add(7*time.Hour + 12*time.Minute + 30*time.Second),
		RenewUntil: now.Add(7 * 24 * time.Hour)}
	rebound := keys.New()
	rebound.Kinit.SetKeys("ctrl+k")
	rebound.Kinit.SetHelp("ctrl+k", "kinit")
	rebound.Confirm.SetKeys("!")
	rebound.Confirm.SetHelp("!", "I ran kinit")
	for _, tc := range []struct {
		name   string
		km     *keys.KeyMap
		s      krb5.Status
		level  runpane.TicketLevel
		line   string
		reason string
	}{
		{"valid", keys.New(), krb5.Status{State: krb5.StateOK, Ticket: tk}, runpane.TicketOK,
			"analyst@CORP.EXAMPLE — valid for 7h12m, renewable until 11-29 14:00", ""},
		{"not renewable", keys.New(), krb5.Status{State: krb5.StateOK, Ticket: krb5.Ticket{Principal: "a@R", Expires: now.Add(time.Hour)}},
			runpane.TicketOK, "a@R — valid for 1h00m", ""},
		{"under an hour", keys.New(), krb5.Status{State: krb5.StateExpiringSoon, Ticket: krb5.Ticket{Principal: "a@R", Expires: now.Add(59 * time.Minute)}},
			runpane.TicketWarn, "a@R — valid for 59m — press K to renew", ""},
		{"under an hour, rebound", rebound, krb5.Status{State: krb5.StateExpiringSoon, Ticket: krb5.Ticket{Principal: "a@R", Expires: now.Add(59 * time.Minute)}},
			runpane.TicketWarn, "a@R — valid for 59m — press ctrl+k to renew", ""},
		{"missing", keys.New(), krb5.Status{State: krb5.StateMissing, Problem: "no Kerberos ticket: ..."}, runpane.TicketBlocked,
			"no Kerberos ticket: ...", "no Kerberos ticket — press K to run kinit"},
		{"expired", keys.New(), krb5.Status{State: krb5.StateExpired, Problem: "expired at ..."}, runpane.TicketBlocked,
			"expired at ...", "Kerberos ticket expired — press K to run kinit"},
		{"expired, rebound", rebound, krb5.Status{State: krb5.StateExpired, Problem: "expired at ..."}, runpane.TicketBlocked,
			"expired at ...", "Kerberos ticket expired — press ctrl+k to run kinit"},
		{"keyring", keys.New(), krb5.Status{State: krb5.StateCacheUnreadable, Problem: "KEYRING cache"}, runpane.TicketOverridable,
			"KEYRING cache", "cam cannot read your ticket cache — press c if you ran kinit"},
		{"keyring, rebound", rebound, krb5.Status{State: krb5.StateCacheUnreadable, Problem: "KEYRING cache"}, runpane.TicketOverridable,
			"KEYRING cache", "cam cannot read your ticket cache — press ! if you ran kinit"},
		{"bad krb5.conf", keys.New(), krb5.Status{State: krb5.StateConfigUnreadable, Problem: "krb5.conf: bad"}, runpane.TicketOverridable,
			"krb5.conf: bad", "cannot check your ticket — press c if you ran kinit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ticketWords(tc.s, now, time.UTC, tc.km)
			if got.Level != tc.level || got.Line != tc.line || got.Reason != tc.reason {
				t.Errorf("got %+v\nwant level %d line %q reason %q", got, tc.level, tc.line, tc.reason)
			}
		})
	}
}
