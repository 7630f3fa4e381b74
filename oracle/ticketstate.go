package oracle

import (
	"errors"
	"time"
)

// TicketLevel is what a ticket check means for a run.
type TicketLevel int

// Ticket levels, from fine to blocking.
const (
	TicketOK          TicketLevel = iota // valid for an hour or more
	TicketWarn                           // valid, but for less than ExpiryWarning
	TicketOverridable                    // cam cannot read the cache; the analyst may say they ran kinit
	TicketBlocked                        // missing or expired: a run would fail to log in
)

// TicketState is a ticket check as the run pane shows it.
type TicketState struct {
	Level     TicketLevel
	Principal string // of the cached ticket, also when expired; "" when unknown
	Line      string // "analyst@CORP.EXAMPLE — valid for 7h12m, renewable until 11-29 14:00"
	// Reason is why a run is blocked (Blocked, or Overridable without the
	// analyst's confirmation); "" otherwise.
	Reason string
}

// AssessTicket turns a CheckTicket outcome into what the analyst sees
// and whether a run may start: a missing or expired ticket blocks, an
// unreadable cache blocks until the analyst confirms kinit, and under an
// hour left warns.
func AssessTicket(t Ticket, err error, now time.Time, zone *time.Location) TicketState {
	if zone == nil {
		zone = time.Local
	}
	var te *TicketError
	switch {
	case err == nil:
	case errors.As(err, &te) && te.Overridable():
		return TicketState{Level: TicketOverridable, Line: te.Msg, Reason: "cam cannot read your ticket cache — press c if you ran kinit"}
	case errors.As(err, &te) && te.Kind == TicketExpired:
		return TicketState{Level: TicketBlocked, Principal: t.Principal, Line: te.Msg, Reason: "Kerberos ticket expired — press K to run kinit"}
	case errors.As(err, &te):
		return TicketState{Level: TicketBlocked, Line: te.Msg, Reason: "no Kerberos ticket — press K to run kinit"}
	default:
		// krb5.conf that does not parse, and the like: the analyst can
		// still know better than cam, as with an unreadable cache.
		return TicketState{Level: TicketOverridable, Line: err.Error(), Reason: "cannot check your ticket — press c if you ran kinit"}
	}
	line := t.Summary(now)
	if !t.RenewUntil.IsZero() {
		line += ", renewable until " + t.RenewUntil.In(zone).Format("01-02 15:04")
	}
	if t.ExpiresSoon(now) {
		return TicketState{Level: TicketWarn, Principal: t.Principal, Line: line + " — press K to renew"}
	}
	return TicketState{Level: TicketOK, Principal: t.Principal, Line: line}
}
