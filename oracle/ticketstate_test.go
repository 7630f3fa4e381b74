package oracle

import (
	"errors"
	"testing"
	"time"
)

func TestAssessTicket(t *testing.T) {
	now := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	tk := Ticket{Principal: "analyst@CORP.EXAMPLE", Expires: now.Add(7*time.Hour + 12*time.Minute + 30*time.Second),
		RenewUntil: now.Add(7 * 24 * time.Hour)}
	for _, tc := range []struct {
		name   string
		t      Ticket
		err    error
		level  TicketLevel
		line   string
		reason string
	}{
		{"valid", tk, nil, TicketOK, "analyst@CORP.EXAMPLE — valid for 7h12m, renewable until 11-29 14:00", ""},
		{"under an hour", Ticket{Principal: "a@R", Expires: now.Add(59 * time.Minute)}, nil, TicketWarn,
			"a@R — valid for 59m — press K to renew", ""},
		{"exactly an hour", Ticket{Principal: "a@R", Expires: now.Add(time.Hour)}, nil, TicketOK, "a@R — valid for 1h00m", ""},
		{"missing", Ticket{}, &TicketError{Kind: TicketMissing, Msg: "no Kerberos ticket: ..."}, TicketBlocked,
			"no Kerberos ticket: ...", "no Kerberos ticket — press K to run kinit"},
		{"expired", Ticket{}, &TicketError{Kind: TicketExpired, Msg: "expired at ..."}, TicketBlocked,
			"expired at ...", "Kerberos ticket expired — press K to run kinit"},
		{"keyring", Ticket{}, &TicketError{Kind: TicketUnreadable, Msg: "KEYRING cache"}, TicketOverridable,
			"KEYRING cache", "cam cannot read your ticket cache — press c if you ran kinit"},
		{"bad krb5.conf", Ticket{}, errors.New("krb5.conf: bad"), TicketOverridable, "krb5.conf: bad",
			"cannot check your ticket — press c if you ran kinit"},
	} {
		got := AssessTicket(tc.t, tc.err, now, time.UTC)
		if got.Level != tc.level || got.Line != tc.line || got.Reason != tc.reason {
			t.Errorf("%s: got %+v\nwant level %d line %q reason %q", tc.name, got, tc.level, tc.line, tc.reason)
		}
	}
}
