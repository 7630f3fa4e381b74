package krb5

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/iana/nametype"
	"github.com/jcmturner/gokrb5/v8/types"
)

// Ticket is the analyst's Kerberos ticket-granting ticket as read from the
// credential cache.
type Ticket struct {
	Principal  string // e.g. analyst@CORP.EXAMPLE
	Expires    time.Time
	RenewUntil time.Time // zero when the ticket is not renewable
	CachePath  string
}

// ExpiryWarning is how close to expiry a ticket counts as expiring soon.
const ExpiryWarning = time.Hour

// ValidFor is how long the ticket stays valid after now (never negative).
func (t Ticket) ValidFor(now time.Time) time.Duration {
	return max(t.Expires.Sub(now), 0)
}

// ExpiresSoon reports whether less than ExpiryWarning is left at now.
func (t Ticket) ExpiresSoon(now time.Time) bool {
	return t.ValidFor(now) < ExpiryWarning
}

// Summary describes the ticket at now, e.g.
// "analyst@CORP.EXAMPLE — valid for 7h12m".
func (t Ticket) Summary(now time.Time) string {
	left := t.ValidFor(now).Truncate(time.Minute)
	if left <= 0 {
		return t.Principal + " — expired"
	}
	h, m := int(left.Hours()), int(left.Minutes())%60
	if h == 0 {
		return fmt.Sprintf("%s — valid for %dm", t.Principal, m)
	}
	return fmt.Sprintf("%s — valid for %dh%02dm", t.Principal, h, m)
}

// TicketKind says why a ticket check failed.
type TicketKind int

// Ticket check failure kinds.
const (
	// TicketMissing: no cache file, or a cache without a ticket-granting ticket.
	TicketMissing TicketKind = iota + 1
	// TicketExpired: the ticket-granting ticket's end time has passed.
	TicketExpired
	// TicketUnreadable: cam cannot read this cache (KEYRING:, KCM:, DIR:, a
	// corrupt file); the analyst may still hold a valid ticket.
	TicketUnreadable
	// TicketConfigUnreadable: krb5.conf cannot be read or parsed, so the
	// ticket cannot be checked; the analyst may still hold a valid one.
	TicketConfigUnreadable
)

// String names the kind for logs.
func (k TicketKind) String() string {
	switch k {
	case TicketMissing:
		return "missing"
	case TicketExpired:
		return "expired"
	case TicketUnreadable:
		return "unreadable"
	case TicketConfigUnreadable:
		return "config_unreadable"
	}
	return "unknown"
}

// TicketError is a failed ticket check; Msg is ready to show the analyst.
type TicketError struct {
	Kind  TicketKind
	Cache string // the cache as named (path or TYPE:residual); "" for a configuration problem
	Msg   string
	Err   error // underlying error, if any
}

// Error returns the analyst-facing message.
func (e *TicketError) Error() string { return e.Msg }

// Unwrap returns the underlying error.
func (e *TicketError) Unwrap() error { return e.Err }

// Overridable reports whether the analyst may run anyway after saying they
// ran kinit: true only when cam could not read the cache or krb5.conf.
func (e *TicketError) Overridable() bool {
	return e.Kind == TicketUnreadable || e.Kind == TicketConfigUnreadable
}

// CheckTicket reads the credential cache (see ResolveCache) and returns the
// ticket-granting ticket of its default principal. It fails with a
// *TicketError when the cache is missing, unreadable or the ticket has
// expired at now. A non-empty krb5Conf must parse, so a broken
// configuration shows here and not as a failed connection later.
func CheckTicket(krb5Conf, cache string, now time.Time) (Ticket, error) {
	if krb5Conf != "" {
		if _, err := loadConfig(krb5Conf); err != nil {
			return Ticket{}, err
		}
	}
	path, err := ResolveCache(cache)
	if err != nil {
		return Ticket{}, err
	}
	cc, err := loadCache(path)
	if err != nil {
		return Ticket{}, err
	}
	realm := cc.DefaultPrincipal.Realm
	principal := cc.DefaultPrincipal.PrincipalName.PrincipalNameString() + "@" + realm
	tgt, ok := cc.GetEntry(types.PrincipalName{
		NameType:   nametype.KRB_NT_SRV_INST,
		NameString: []string{"krbtgt", realm},
	})
	if !ok {
		return Ticket{}, &TicketError{Kind: TicketMissing, Cache: path,
			Msg: fmt.Sprintf("no ticket-granting ticket for %s in %s; run kinit", principal, path)}
	}
	t := Ticket{Principal: principal, Expires: tgt.EndTime, CachePath: path}
	// A non-renewable ticket's renew-till is stored as 0, which gokrb5 reads
	// as the Unix epoch rather than the zero time.
	if tgt.RenewTill.After(tgt.EndTime) {
		t.RenewUntil = tgt.RenewTill
	}
	if !now.Before(tgt.EndTime) {
		return t, &TicketError{Kind: TicketExpired, Cache: path,
			Msg: fmt.Sprintf("Kerberos ticket for %s expired at %s; run kinit",
				principal, tgt.EndTime.Format("2006-01-02 15:04 MST"))}
	}
	return t, nil
}

// loadCache reads the FILE cache at path; a missing file is TicketMissing,
// anything else that fails TicketUnreadable.
func loadCache(path string) (*credentials.CCache, error) {
	cc, err := credentials.LoadCCache(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &TicketError{Kind: TicketMissing, Cache: path, Err: err,
			Msg: fmt.Sprintf("no Kerberos ticket: credential cache %s does not exist; run kinit", path)}
	}
	if err != nil {
		return nil, &TicketError{Kind: TicketUnreadable, Cache: path, Err: err,
			Msg: fmt.Sprintf("cannot read credential cache %s (%v); %s", path, err, fileCacheHint)}
	}
	return cc, nil
}
