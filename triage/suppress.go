package triage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"cam/engine/detect"
)

// Suppression lengths: how long one lasts unless told, and the most it
// may last, so none is forgotten for ever.
const (
	DefaultSuppression = 30 * 24 * time.Hour
	MaxSuppression     = 365 * 24 * time.Hour
)

// Suppression hides one rule's alerts for a user, or all of a user's
// alerts (Rule ""), until it expires.
type Suppression struct {
	ID        int64
	User      string
	Rule      detect.Rule // "" for every rule
	Reason    string
	CreatedAt time.Time
	ExpiresAt time.Time
	SID       string
	OSUser    string
}

// Active reports whether the suppression still holds at now.
func (x Suppression) Active(now time.Time) bool { return now.Before(x.ExpiresAt) }

// Covers reports whether the suppression applies to an alert of rule for
// user (ignoring expiry).
func (x Suppression) Covers(rule detect.Rule, user string) bool {
	return x.User == user && (x.Rule == "" || x.Rule == rule)
}

// rules are the rule names a suppression may name.
var rules = []detect.Rule{detect.RuleTakeover, detect.RuleBruteForce, detect.RuleOffHours, detect.RuleRoleViolation}

// ParseRule reads a rule name.
func ParseRule(name string) (detect.Rule, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, r := range rules {
		if string(r) == n {
			return r, nil
		}
	}
	return "", fmt.Errorf("%q is not a rule (account_takeover, brute_force, off_hours, role_violation)", name)
}

// Suppress adds a suppression of rule (or every rule, "") for user,
// lasting d (0 means DefaultSuppression).
func (s *Store) Suppress(ctx context.Context, user string, rule detect.Rule, reason string, d time.Duration) (Suppression, error) {
	user, reason = strings.TrimSpace(user), strings.TrimSpace(reason)
	switch {
	case user == "":
		return Suppression{}, fmt.Errorf("a suppression needs a user")
	case reason == "":
		return Suppression{}, fmt.Errorf("suppressing %q needs a reason", user)
	case len(reason) > maxNoteLen:
		return Suppression{}, fmt.Errorf("the reason is %d bytes; the limit is %d", len(reason), maxNoteLen)
	case d < 0:
		return Suppression{}, fmt.Errorf("a suppression of %s cannot last %s", user, d)
	case d > MaxSuppression:
		return Suppression{}, fmt.Errorf("a suppression lasts at most 365d, not %s", d)
	}
	if rule != "" {
		if _, err := ParseRule(string(rule)); err != nil {
			return Suppression{}, err
		}
	}
	if d == 0 {
		d = DefaultSuppression
	}
	now := s.now()
	x := Suppression{User: user, Rule: rule, Reason: reason, CreatedAt: now, ExpiresAt: now.Add(d), SID: s.sid, OSUser: s.osUser}
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO suppressions (user, rule, reason, created_at, expires_at, sid, os_user)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, x.User, string(x.Rule), x.Reason, nanos(x.CreatedAt), nanos(x.ExpiresAt), x.SID, x.OSUser)
		if err != nil {
			return err
		}
		x.ID, err = res.LastInsertId()
		return err
	})
	return x, err
}

// Suppressions lists the suppressions, the active ones only unless all,
// soonest to expire first.
func (s *Store) Suppressions(ctx context.Context, all bool) ([]Suppression, error) {
	q := `SELECT id, user, rule, reason, created_at, expires_at, sid, os_user FROM suppressions`
	var args []any
	if !all {
		q += " WHERE expires_at > ?"
		args = append(args, nanos(s.now()))
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY expires_at, id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Suppression
	for rows.Next() {
		var x Suppression
		var rule string
		var created, expires int64
		if err := rows.Scan(&x.ID, &x.User, &rule, &x.Reason, &created, &expires, &x.SID, &x.OSUser); err != nil {
			return nil, err
		}
		x.Rule, x.CreatedAt, x.ExpiresAt = detect.Rule(rule), fromNanos(created), fromNanos(expires)
		out = append(out, x)
	}
	return out, rows.Err()
}

// suppressedSet answers "is this rule suppressed for this user now" from
// the active suppressions, read once per run.
type suppressedSet map[string][]detect.Rule

func (s *Store) activeSuppressions(ctx context.Context) (suppressedSet, error) {
	list, err := s.Suppressions(ctx, false)
	if err != nil {
		return nil, err
	}
	set := suppressedSet{}
	for _, x := range list {
		set[x.User] = append(set[x.User], x.Rule)
	}
	return set, nil
}

func (set suppressedSet) covers(rule detect.Rule, user string) bool {
	for _, r := range set[user] {
		if r == "" || r == rule {
			return true
		}
	}
	return false
}
