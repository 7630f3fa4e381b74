package detect

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// bruteForce evaluates the brute-force rule. A failure is marked when it
// lies in some closed window of BruteForceWindow holding more than
// BruteForceThreshold failures of the same username (two pointers over the
// sorted failures); consecutive marked failures no more than the window
// apart form one burst, and each burst is one alert counting its failures.
func (a *Accumulator) bruteForce() []Alert {
	var alerts []Alert
	window := int64(a.p.BruteForceWindow)
	for user, recs := range a.failures {
		if len(recs) <= a.p.BruteForceThreshold {
			continue
		}
		sort.Slice(recs, func(i, j int) bool { return recs[i].at < recs[j].at })
		marked := make([]bool, len(recs))
		markedTo := -1
		for i, j := 0, 0; i < len(recs); i++ {
			if j < i {
				j = i
			}
			for j+1 < len(recs) && recs[j+1].at-recs[i].at <= window {
				j++
			}
			if j-i+1 > a.p.BruteForceThreshold {
				for k := max(i, markedTo+1); k <= j; k++ {
					marked[k] = true
				}
				markedTo = max(markedTo, j)
			}
		}
		for i := 0; i < len(recs); {
			if !marked[i] {
				i++
				continue
			}
			j := i
			for j+1 < len(recs) && marked[j+1] && recs[j+1].at-recs[j].at <= window {
				j++
			}
			alerts = append(alerts, a.burstAlert(user, recs[i:j+1]))
			i = j + 1
		}
	}
	return alerts
}

func (a *Accumulator) burstAlert(user string, burst []failRec) Alert {
	dbs, ips := map[string]bool{}, map[string]bool{}
	evidence := make([]Evidence, 0, min(len(burst), maxEvidence))
	for _, r := range burst {
		db, ip := a.names.name(r.db), a.names.name(r.ip)
		dbs[db] = true
		if ip != "" {
			ips[ip] = true
		}
		if len(evidence) < maxEvidence {
			evidence = append(evidence, Evidence{Type: "LOGIN", Time: time.Unix(0, r.at), Database: db,
				Query: a.names.name(r.q), Status: "FAILED", IP: ip})
		}
	}
	first, last := time.Unix(0, burst[0].at), time.Unix(0, burst[len(burst)-1].at)
	msg := fmt.Sprintf("%d failed logins in %s", len(burst), shortDuration(last.Sub(first)))
	if len(ips) > 0 {
		msg += fmt.Sprintf(" from %d %s", len(ips), plural(len(ips), "address", "addresses"))
	}
	return Alert{Rule: RuleBruteForce, Severity: SeverityHigh, User: user, Database: joinSet(dbs),
		FirstSeen: first, LastSeen: last, Count: len(burst), Message: msg, IPs: sortedSet(ips), Evidence: evidence}
}

func (a *Accumulator) offHoursAlerts() []Alert {
	zone := a.p.BusinessLocation.String()
	hours := fmt.Sprintf("%s–%s %s", clock(a.p.BusinessStart), clock(a.p.BusinessEnd), zone)
	return dayAlerts(a.offHours, RuleOffHours, SeverityMedium, func(k dayKey, agg *dayAgg) string {
		return fmt.Sprintf("%d %s outside business hours (%s) on %s", agg.count, plural(agg.count, "action", "actions"), hours, k.day)
	})
}

func (a *Accumulator) roleViolations() []Alert {
	return dayAlerts(a.guestOps, RuleRoleViolation, SeverityCritical, func(k dayKey, agg *dayAgg) string {
		return fmt.Sprintf("Guest role: %d %s (%s) on %s", agg.count, plural(agg.count, "write", "writes"),
			strings.Join(sortedSet(agg.ops), ", "), k.day)
	})
}

func dayAlerts(m map[dayKey]*dayAgg, rule Rule, sev Severity, message func(dayKey, *dayAgg) string) []Alert {
	alerts := make([]Alert, 0, len(m))
	for k, agg := range m {
		sort.Slice(agg.evidence, func(i, j int) bool { return agg.evidence[i].Time.Before(agg.evidence[j].Time) })
		msg := message(k, agg)
		if agg.count > len(agg.evidence) {
			msg += fmt.Sprintf(" (first %d kept as evidence)", len(agg.evidence))
		}
		alert := Alert{Rule: rule, Severity: sev, User: k.user, Database: joinSet(agg.dbs),
			FirstSeen: agg.first, LastSeen: agg.last, Count: agg.count, Message: msg, Evidence: agg.evidence}
		if rule == RuleRoleViolation {
			alert.Operations = sortedSet(agg.ops)
		}
		alerts = append(alerts, alert)
	}
	return alerts
}

func sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}
