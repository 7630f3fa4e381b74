package session

import (
	"os/exec"
	"time"

	"cam/config"
	"cam/krb5"
)

// The Kerberos ticket as the front ends see it: facts from krb5, and the
// gate that decides whether a run may start. The words (and the keys they
// name) are each front end's own.

// TicketStatus is a ticket check's outcome as facts: the state, the
// ticket the cache holds, and the problem when it is not usable.
type TicketStatus = krb5.Status

// UsesKerberos reports whether any database of cfg logs in with Kerberos,
// so the ticket matters at all.
func UsesKerberos(cfg *config.Config) bool { return cfg.UsesKerberos() }

// CheckTicket reads the credential cache named by oc and assesses it at
// now. It reads files: front ends call it off the UI goroutine.
func CheckTicket(oc config.OracleClient, now time.Time) TicketStatus {
	return krb5.Check(oc.Krb5Conf, oc.Krb5Cache, now)
}

// TicketAllowsRun is the gate: a usable ticket lets a run start; a
// missing or expired one never does; one cam cannot read does once the
// analyst has confirmed they ran kinit.
func TicketAllowsRun(s krb5.State, confirmed bool) bool {
	return s.Valid() || (s.Overridable() && confirmed)
}

// KinitCmd is the kinit that renews the analyst's ticket for principal
// (when known), with the settings' krb5.conf and cache.
func KinitCmd(oc config.OracleClient, principal string) (*exec.Cmd, error) {
	return krb5.KinitCmd(oc.Krb5Conf, oc.Krb5Cache, principal)
}
