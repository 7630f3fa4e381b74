package krb5

import (
	"errors"
	"testing"
	"time"
)

func TestAssess(t *testing.T) {
	now := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	tk := Ticket{Principal: "analyst@CORP.EXAMPLE", Expires: now.Add(7*time.Hour + 12*time.Minute + 30*time.Second),
		RenewUntil: now.Add(7 * 24 * time.Hour)}
	expired := Ticket{Principal: "a@R", Expires: now.Add(-time.Minute)}
	for _, tc := range []struct {
		name      string
		t         Ticket
		err       error
		state     State
		principal string
		problem   string
	}{
		{"valid", tk, nil, StateOK, "analyst@CORP.EXAMPLE", ""},
		{"under an hour", Ticket{Principal: "a@R", Expires: now.Add(59 * time.Minute)}, nil, StateExpiringSoon, "a@R", ""},
		{"exactly an hour", Ticket{Principal: "a@R", Expires: now.Add(time.Hour)}, nil, StateOK, "a@R", ""},
		{"missing", Ticket{}, &TicketError{Kind: TicketMissing, Msg: "no Kerberos ticket: ..."}, StateMissing, "", "no Kerberos ticket: ..."},
		{"expired keeps the principal", expired, &TicketError{Kind: TicketExpired, Msg: "expired at ..."}, StateExpired, "a@R", "expired at ..."},
		{"keyring", Ticket{}, &TicketError{Kind: TicketUnreadable, Msg: "KEYRING cache"}, StateCacheUnreadable, "", "KEYRING cache"},
		{"bad krb5.conf", Ticket{}, &TicketError{Kind: TicketConfigUnreadable, Msg: "krb5.conf: bad"}, StateConfigUnreadable, "", "krb5.conf: bad"},
		{"other failure", Ticket{}, errors.New("something else"), StateConfigUnreadable, "", "something else"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Assess(tc.t, tc.err, now)
			if got.State != tc.state || got.Ticket.Principal != tc.principal || got.Problem != tc.problem {
				t.Errorf("got %+v (%s)\nwant state %s principal %q problem %q", got, got.State, tc.state, tc.principal, tc.problem)
			}
		})
	}
}

func TestStatesGateARun(t *testing.T) {
	for _, tc := range []struct {
		state                     State
		valid, overridable, block bool
	}{
		{StateOK, true, false, false},
		{StateExpiringSoon, true, false, false},
		{StateCacheUnreadable, false, true, false},
		{StateConfigUnreadable, false, true, false},
		{StateMissing, false, false, true},
		{StateExpired, false, false, true},
	} {
		t.Run(tc.state.String(), func(t *testing.T) {
			if tc.state.Valid() != tc.valid || tc.state.Overridable() != tc.overridable || tc.state.Blocks() != tc.block {
				t.Errorf("valid %v overridable %v blocks %v", tc.state.Valid(), tc.state.Overridable(), tc.state.Blocks())
			}
		})
	}
}

// A krb5.conf that cannot be read must show in the check, not later as a
// failed login, and leave the analyst the override.
func TestCheckReportsAnUnreadableConfiguration(t *testing.T) {
	conf := t.TempDir() + "/no-krb5.conf"
	st := Check(conf, "FILE:"+t.TempDir()+"/cc", time.Now())
	if st.State != StateConfigUnreadable || !st.State.Overridable() {
		t.Fatalf("state %s, want config_unreadable", st.State)
	}
	if want := "cannot load Kerberos configuration " + conf; len(st.Problem) < len(want) || st.Problem[:len(want)] != want {
		t.Errorf("problem %q does not name the file", st.Problem)
	}
}
