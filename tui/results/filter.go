package results

import (
	"strings"

	"cam/engine/detect"
	"cam/internal/display"
)

// query is a parsed `/` filter: field terms (rule:brute sev:high db:dam
// user:jdoe ip:10.0.0.7 status:open) and free text, all of which must
// match. Values are lower case and match as substrings, except sev, which
// matches a severity's beginning ("sev:crit").
type query struct {
	rule, sev, db, user, ip []string
	// status matches the triage state (the pane applies it, with triage).
	status []string
	// triage is set by the pane when the alerts have triage states.
	triage bool
	// free is the words that are not field terms, joined by one space and
	// matched as one phrase against the user, message and rule name, as
	// the filter always has.
	free string
}

// parseFilter splits a filter into field terms and free text. A word whose
// prefix is not a known field ("10:30", "http://x") stays free text, and
// so does a field with no value ("rule:").
func parseFilter(s string) query {
	var q query
	var free []string
	for _, word := range strings.Fields(strings.ToLower(s)) {
		name, value, ok := strings.Cut(word, ":")
		if !ok || value == "" {
			free = append(free, word)
			continue
		}
		switch name {
		case "rule":
			q.rule = append(q.rule, value)
		case "sev", "severity":
			q.sev = append(q.sev, value)
		case "db", "database":
			q.db = append(q.db, value)
		case "user":
			q.user = append(q.user, value)
		case "ip":
			q.ip = append(q.ip, value)
		case "status":
			q.status = append(q.status, value)
		default:
			free = append(free, word)
		}
	}
	q.free = strings.Join(free, " ")
	return q
}

// fielded reports whether the query has any field term.
func (q query) fielded() bool {
	return len(q.rule)+len(q.sev)+len(q.db)+len(q.user)+len(q.ip)+len(q.status) > 0
}

// note is what the filter line says about terms cam cannot apply.
func (q query) note() string {
	if len(q.status) > 0 && !q.triage {
		return "status: needs the triage state, which is not open; ignored"
	}
	return ""
}

// matches reports whether an alert passes every term. lower is the
// alert's pre-lowered free-text haystack (user, message, rule names).
func (q query) matches(a *detect.Alert, lower string) bool {
	if q.free != "" && !strings.Contains(lower, q.free) {
		return false
	}
	for _, v := range q.rule {
		if !strings.Contains(display.Rule(a.Rule), v) && !strings.Contains(string(a.Rule), v) {
			return false
		}
	}
	for _, v := range q.sev {
		if !strings.HasPrefix(a.Severity.String(), v) {
			return false
		}
	}
	for _, v := range q.user {
		if !strings.Contains(strings.ToLower(a.User), v) {
			return false
		}
	}
	for _, v := range q.db {
		if !anyContains(v, a.Database, func(yield func(string) bool) {
			for _, e := range a.Evidence {
				if !yield(e.Database) {
					return
				}
			}
		}) {
			return false
		}
	}
	for _, v := range q.ip {
		if !anyContains(v, "", func(yield func(string) bool) {
			for _, ip := range a.IPs {
				if !yield(ip) {
					return
				}
			}
			for _, e := range a.Evidence {
				if !yield(e.IP) {
					return
				}
			}
		}) {
			return false
		}
	}
	return true
}

// anyContains reports whether first or any value of rest holds needle,
// compared in lower case.
func anyContains(needle, first string, rest func(func(string) bool)) bool {
	if first != "" && strings.Contains(strings.ToLower(first), needle) {
		return true
	}
	found := false
	rest(func(s string) bool {
		found = s != "" && strings.Contains(strings.ToLower(s), needle)
		return !found
	})
	return found
}

// haystack is an alert's free-text target: user, message and the rule's
// display name, so `/brute` finds brute-force alerts.
func haystack(a *detect.Alert) string {
	return strings.ToLower(a.User) + "\n" + strings.ToLower(a.Message) + "\n" + display.Rule(a.Rule)
}
