package krb5

import (
	"errors"
	"time"
)

// State is what a ticket check means for a run.
type State int

// Ticket states, from fine to blocking.
const (
	// StateOK: a ticket valid for ExpiryWarning or more.
	StateOK State = iota
	// StateExpiringSoon: valid, for less than ExpiryWarning.
	StateExpiringSoon
	// StateCacheUnreadable: cam cannot read the cache; the analyst may
	// hold a valid ticket all the same, so a run may be allowed on their
	// word.
	StateCacheUnreadable
	// StateConfigUnreadable: krb5.conf cannot be read or parsed, or the
	// check failed some other way; as overridable as an unreadable cache.
	StateConfigUnreadable
	// StateMissing: no ticket; a run would fail to log in.
	StateMissing
	// StateExpired: the ticket expired; a run would fail to log in.
	StateExpired
)

// String names the state for logs and JSON.
func (s State) String() string {
	switch s {
	case StateOK:
		return "ok"
	case StateExpiringSoon:
		return "expiring_soon"
	case StateCacheUnreadable:
		return "cache_unreadable"
	case StateConfigUnreadable:
		return "config_unreadable"
	case StateMissing:
		return "missing"
	case StateExpired:
		return "expired"
	}
	return "unknown"
}

// Valid reports whether the cache holds a ticket that has not expired.
func (s State) Valid() bool { return s == StateOK || s == StateExpiringSoon }

// Overridable reports whether cam could not tell (cache or configuration
// unreadable), so the analyst's word that they ran kinit may stand in for
// the check.
func (s State) Overridable() bool { return s == StateCacheUnreadable || s == StateConfigUnreadable }

// Blocks reports whether a run would fail to log in: no ticket, or an
// expired one.
func (s State) Blocks() bool { return s == StateMissing || s == StateExpired }

// Status is a ticket check's outcome as facts.
type Status struct {
	State State
	// Ticket is what the cache holds: set when valid and also when
	// expired (the principal helps kinit); zero otherwise.
	Ticket Ticket
	// Problem is the check's message when the state is not valid (it
	// names the cache or krb5.conf and says what to do); "" otherwise.
	Problem string
}

// Assess turns a CheckTicket outcome into a Status at now.
func Assess(t Ticket, err error, now time.Time) Status {
	var te *TicketError
	switch {
	case err == nil:
		if t.ExpiresSoon(now) {
			return Status{State: StateExpiringSoon, Ticket: t}
		}
		return Status{State: StateOK, Ticket: t}
	case errors.As(err, &te) && te.Kind == TicketUnreadable:
		return Status{State: StateCacheUnreadable, Problem: te.Msg}
	case errors.As(err, &te) && te.Kind == TicketExpired:
		return Status{State: StateExpired, Ticket: t, Problem: te.Msg}
	case errors.As(err, &te) && te.Kind == TicketMissing:
		return Status{State: StateMissing, Problem: te.Msg}
	}
	return Status{State: StateConfigUnreadable, Problem: err.Error()}
}

// Check reads the cache (CheckTicket) and assesses it at now.
func Check(krb5Conf, cache string, now time.Time) Status {
	t, err := CheckTicket(krb5Conf, cache, now)
	return Assess(t, err, now)
}
