package session

import (
	"errors"
	"os/exec"
	"time"

	"cam/config"
	"cam/oracle"
)

// The Kerberos ticket as the front ends see it. Every call into the
// driver's Kerberos code goes through this file, so moving that code to its
// own package changes this file only.

// TicketState is a ticket check: its level (may a run start?), the
// principal, and the line the run pane shows.
type TicketState = oracle.TicketState

// TicketLevel says what a ticket check means for a run.
type TicketLevel = oracle.TicketLevel

// Ticket levels, from fine to blocking.
const (
	TicketOK          = oracle.TicketOK          // valid for an hour or more
	TicketWarn        = oracle.TicketWarn        // valid, but not for long
	TicketOverridable = oracle.TicketOverridable // unreadable: the analyst may say they ran kinit
	TicketBlocked     = oracle.TicketBlocked     // missing or expired: a run would fail to log in
)

// TicketGate is why a ticket check stops a run, or "" when it may start:
// a missing or expired ticket always stops it; a cache cam cannot read
// stops it until the analyst confirms they ran kinit (confirmed).
func TicketGate(t TicketState, confirmed bool) string {
	switch {
	case t.Level == TicketBlocked:
		return t.Reason
	case t.Level == TicketOverridable && !confirmed:
		return t.Reason
	}
	return ""
}

// UsesKerberos reports whether any database of cfg logs in with Kerberos,
// so the ticket matters at all.
func UsesKerberos(cfg *config.Config) bool { return oracle.UsesKerberos(cfg) }

// CheckTicket reads the credential cache named by oc and assesses it at
// now for a run. It reads files: front ends call it off the UI goroutine.
func CheckTicket(oc config.OracleClient, now time.Time) TicketState {
	t, err := oracle.CheckTicket(oc.Krb5Conf, oc.Krb5Cache, now)
	return oracle.AssessTicket(t, err, now, time.Local)
}

// KinitCmd is the kinit that renews the analyst's ticket for principal
// (when known), with the settings' krb5.conf and cache.
func KinitCmd(oc config.OracleClient, principal string) (*exec.Cmd, error) {
	return oracle.KinitCmd(oc.Krb5Conf, oc.Krb5Cache, principal)
}

// TicketFacts are what `cam check` reports of the ticket.
type TicketFacts struct {
	Principal  string
	Expires    time.Time // zero when unknown
	RenewUntil time.Time // zero when not renewable or unknown
	// Problem is missing, expired or unreadable; "" for a usable ticket.
	Problem string
	// Message describes the ticket or the problem.
	Message string
	// ExpiresSoon is set for a usable ticket close to its end.
	ExpiresSoon bool
}

// ReadTicket reads the credential cache named by oc at now.
func ReadTicket(oc config.OracleClient, now time.Time) TicketFacts {
	t, err := oracle.CheckTicket(oc.Krb5Conf, oc.Krb5Cache, now)
	f := TicketFacts{Principal: t.Principal, Expires: t.Expires, RenewUntil: t.RenewUntil}
	if err != nil {
		var te *oracle.TicketError
		if errors.As(err, &te) {
			f.Problem = te.Kind.String()
		} else {
			f.Problem = "unreadable"
		}
		f.Message = err.Error()
		return f
	}
	f.Message = t.Summary(now)
	f.ExpiresSoon = t.ExpiresSoon(now)
	return f
}
