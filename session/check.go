package session

import (
	"context"
	"time"

	"cam/config"
	"cam/engine"
)

// Checker reaches every database of a configuration with a trivial
// query; *engine.Engine is one.
type Checker interface {
	Check(ctx context.Context, cfg *config.Config) []engine.CheckResult
}

// Readiness is whether a run could work now: the Kerberos ticket (nil
// when no database uses Kerberos) as checked at At, and every database's
// answer, in configuration order.
type Readiness struct {
	Ticket    *TicketStatus
	At        time.Time
	Databases []engine.CheckResult
}

// OK reports whether every database answered. The ticket is reported, not
// judged: a database that cannot log in fails on its own.
func (r Readiness) OK() bool {
	for _, d := range r.Databases {
		if !d.OK {
			return false
		}
	}
	return true
}

// CheckReadiness reads the ticket (when it matters) at now and reaches
// every database of cfg through c.
func CheckReadiness(ctx context.Context, c Checker, cfg *config.Config, now time.Time) Readiness {
	r := Readiness{At: now}
	if UsesKerberos(cfg) {
		t := CheckTicket(cfg.Settings.OracleClient, now)
		r.Ticket = &t
	}
	r.Databases = c.Check(ctx, cfg)
	return r
}
