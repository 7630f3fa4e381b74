package triage

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"cam/engine/detect"
)

// IDLen is the length of an alert id: hex digits of a hash of its key,
// short enough to type in `cam triage set ID`.
const IDLen = 12

// Key is an alert's identity, stable across reruns: the rule and user,
// plus what places the alert in time for its rule (the window start of a
// takeover, the burst start of a brute force, the local day in the
// business zone of off-hours and role violation) and, for the activity
// rules, the database of its first event. More evidence in the same
// burst or day keeps the key: the count is not part of it. The first
// event's database, not the alert's list of databases, so evidence that
// grows into a second database keeps the identity too.
func Key(a *detect.Alert, business *time.Location) string {
	if business == nil {
		business = time.Local
	}
	var b strings.Builder
	b.WriteString(string(a.Rule))
	b.WriteByte(0)
	b.WriteString(a.User)
	b.WriteByte(0)
	switch a.Rule {
	case detect.RuleTakeover, detect.RuleBruteForce:
		b.WriteString(a.FirstSeen.UTC().Format(time.RFC3339Nano))
	default:
		b.WriteString(a.FirstSeen.In(business).Format("2006-01-02"))
	}
	if a.Rule != detect.RuleTakeover {
		b.WriteByte(0)
		b.WriteString(firstDatabase(a))
	}
	return b.String()
}

// ID is the printable id of the alert whose key is key.
func ID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])[:IDLen]
}

// AlertID is ID(Key(a, business)).
func AlertID(a *detect.Alert, business *time.Location) string { return ID(Key(a, business)) }

// firstDatabase is the database of the alert's earliest event; evidence
// is kept in time order, earliest first. Events at the same instant
// arrive in whatever order the queries finish, so among those the least
// name wins.
func firstDatabase(a *detect.Alert) string {
	if len(a.Evidence) > 0 {
		db := a.Evidence[0].Database
		for _, e := range a.Evidence[1:] {
			if !e.Time.Equal(a.Evidence[0].Time) {
				break
			}
			db = min(db, e.Database)
		}
		return db
	}
	db, _, _ := strings.Cut(a.Database, ",")
	return strings.TrimSpace(db)
}
