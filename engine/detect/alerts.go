package detect

import (
	"cmp"
	"slices"
	"strings"
)

// alerts makes the alerts of the takeovers, brute force's alerts and the
// night and guest activity records, in the findings' order. A run can have
// hundreds of thousands of alerts of 200 bytes each: their order is decided
// first, from keys, and each alert is made in its place in a slice made
// once. In the rules' order (which breaks ties), alerts are the
// takeovers', brute force's, then one per (user, day) group of night and
// of guest records.
func (a *Accumulator) alerts(takeovers []Takeover, brute []Alert, night, guest []uint32) []Alert {
	nightDays, guestDays := a.sortByUserDay(night, true), a.sortByUserDay(guest, true)
	made := make([]Alert, 0, len(takeovers)+len(brute))
	for _, t := range takeovers {
		made = append(made, a.takeoverAlert(t))
	}
	made = append(made, brute...)
	nMade, nNight := int32(len(made)), int32(len(nightDays))
	keys := make([]alertKey, 0, len(made)+len(nightDays)+len(guestDays))
	for i := range made {
		keys = append(keys, alertKey{first: made[i].FirstSeen.UnixNano(), sev: made[i].Severity, i: int32(i)})
	}
	for _, g := range nightDays {
		keys = append(keys, alertKey{first: g.first, sev: SeverityMedium, i: int32(len(keys))})
	}
	for _, g := range guestDays {
		keys = append(keys, alertKey{first: g.first, sev: SeverityCritical, i: int32(len(keys))})
	}
	if len(keys) == 0 {
		return nil
	}
	pos := alertOrder(keys, func(i int32) string {
		switch {
		case i < nMade:
			return made[i].User
		case i < nMade+nNight:
			return a.keyName(nightDays[i-nMade].user)
		}
		return a.keyName(guestDays[i-nMade-nNight].user)
	}, func(i int32) Rule {
		switch {
		case i < nMade:
			return made[i].Rule
		case i < nMade+nNight:
			return RuleOffHours
		}
		return RuleRoleViolation
	})
	alerts := make([]Alert, len(keys))
	for i := range made {
		alerts[pos[i]] = made[i]
	}
	a.dayAlerts(alerts, pos[nMade:nMade+nNight], night, nightDays, RuleOffHours)
	a.dayAlerts(alerts, pos[nMade+nNight:], guest, guestDays, RuleRoleViolation)
	return alerts
}

// alertKey is an alert's place in the findings' order, known before the
// alert is made: worst first, then by first seen, user and rule, then in
// the order the rules make them (i). The severity and first-seen instant,
// which decide nearly every comparison, sit in the key itself.
type alertKey struct {
	first int64 // Unix nanoseconds: alerts' instants are within [MinTime, MaxTime]
	sev   Severity
	i     int32
}

// alertOrder sorts keys and returns where each alert goes: pos[i] for the
// alert of key i. user and rule give alert i's user and rule, for the
// rare keys of one severity and instant. A run can have hundreds of
// thousands of alerts of 200 bytes each: making each in its place spares
// moving them (each move a bulk write barrier while the collector runs).
//
// The keys are radix sorted by first seen, then (stably) by severity,
// worst first; only the runs of keys of one severity and instant are then
// compared by user, rule and number.
func alertOrder(keys []alertKey, user func(i int32) string, rule func(i int32) Rule) []int32 {
	// The severity, worst first, is the tag: -sev.
	items := make([]sortItem, len(keys))
	for k, key := range keys {
		items[k] = sortItem{key: signedKey(key.first), i: uint32(key.i), tag: -int32(key.sev)}
	}
	items, spare := radixSort(items, make([]sortItem, len(items)), false)
	items, _ = radixSort(items, spare, true)
	for k, it := range items {
		keys[k] = alertKey{first: int64(it.key ^ 1<<63), sev: Severity(-it.tag), i: int32(it.i)}
	}
	for from := 0; from < len(keys); {
		to := from + 1
		for to < len(keys) && keys[to].sev == keys[from].sev && keys[to].first == keys[from].first {
			to++
		}
		if to-from > 1 {
			slices.SortFunc(keys[from:to], func(a, b alertKey) int {
				if c := strings.Compare(user(a.i), user(b.i)); c != 0 {
					return c
				}
				if c := strings.Compare(string(rule(a.i)), string(rule(b.i))); c != 0 {
					return c
				}
				return cmp.Compare(a.i, b.i)
			})
		}
		from = to
	}
	pos := make([]int32, len(keys))
	for p, k := range keys {
		pos[k.i] = int32(p)
	}
	return pos
}
