package config

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

var sidPattern = regexp.MustCompile(`^[A-Za-z0-9]{5,10}$`)

// ValidateSID checks an analyst SID: 5 to 10 letters and digits.
// PlaceholderSID is what cam init writes when it cannot guess the
// analyst's SID. It has a SID's shape, so ValidateSID refuses it by name:
// a report or audit line must never carry it.
const PlaceholderSID = "CHANGEME"

func ValidateSID(sid string) error {
	if sid == "" {
		return fmt.Errorf("is required (your SID, 5-10 letters and digits)")
	}
	if strings.EqualFold(sid, PlaceholderSID) {
		return fmt.Errorf("%q is the placeholder cam init wrote: set user_settings.sid in %s to your SID (5-10 letters and digits)", sid, SettingsFileName)
	}
	if !sidPattern.MatchString(sid) {
		return fmt.Errorf("%q is not a SID: use 5-10 letters and digits", sid)
	}
	return nil
}

// ValidateEmail checks one recipient address: a bare address, no display
// name, since it goes into a mailto: URL.
func ValidateEmail(addr string) error {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr || !strings.Contains(addr[strings.LastIndex(addr, "@")+1:], ".") {
		return fmt.Errorf("%q is not an email address", addr)
	}
	return nil
}

// ValidateEmails checks every recipient and names the first bad one.
func ValidateEmails(addrs []string) error {
	for _, a := range addrs {
		if err := ValidateEmail(a); err != nil {
			return err
		}
	}
	return nil
}

// ParseDuration reads a Go duration ("720h", "5m") or whole days ("30d").
// A value too long for a time.Duration (about 292 years) is an error, not
// a wrapped-around one.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseInt(days, 10, 64)
		if ne, isNum := err.(*strconv.NumError); (isNum && ne.Err == strconv.ErrRange) || n > maxDays {
			return 0, fmt.Errorf("%q is too long to be a duration", s)
		}
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a duration (use e.g. 30d, 720h, 5m)", s)
		}
		return time.Duration(n) * Day, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		if strings.Contains(err.Error(), "invalid duration") && isDurationShape(s) {
			return 0, fmt.Errorf("%q is too long to be a duration", s)
		}
		return 0, fmt.Errorf("%q is not a duration (use e.g. 30d, 720h, 5m)", s)
	}
	return d, nil
}

// isDurationShape reports whether s is digits and unit letters only, so
// that time.ParseDuration refusing it means it overflowed.
func isDurationShape(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || strings.ContainsRune("nsuµmh", r)) {
			return false
		}
	}
	return true
}

// ValidateDuration checks a positive duration.
func ValidateDuration(s string) error {
	d, err := ParseDuration(s)
	if err != nil {
		return err
	}
	if d <= 0 {
		return fmt.Errorf("%q must be longer than zero", s)
	}
	return nil
}

// ParseClock reads "HH:MM" as an offset from midnight.
func ParseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a time of day (use HH:MM, e.g. 09:00)", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// ValidateClock checks an "HH:MM" time of day.
func ValidateClock(s string) error {
	_, err := ParseClock(s)
	return err
}

// LoadZone resolves an IANA zone name; "" and "Local" are the machine's
// zone.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || strings.EqualFold(name, "local") {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%q is not a time zone (use an IANA name such as Europe/London, or Local)", name)
	}
	return loc, nil
}

// ValidateZone checks a zone name.
func ValidateZone(name string) error {
	_, err := LoadZone(name)
	return err
}

// changeTypeName is the shape of a change type: a lower-case word, such as
// mfa_device.
var changeTypeName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// parseTakeoverTypes reads detection.takeover_types and
// detection.takeover_min_types: names lower-cased, each a word, no
// duplicates, at most MaxChangeTypes; the minimum between 1 and the list's
// length, all of them by default.
func parseTakeoverTypes(s *section) ([]ChangeType, int) {
	var types []ChangeType
	for i, name := range s.strings("takeover_types", nil) {
		ct := ChangeType(strings.ToLower(name))
		switch {
		case !changeTypeName.MatchString(string(ct)):
			s.bad(fmt.Sprintf("takeover_types[%d]", i), "%q is not a change type name (a lower-case word of letters, digits and _, such as mfa_device)", name)
		case slices.Contains(types, ct):
			s.bad(fmt.Sprintf("takeover_types[%d]", i), "%q is listed twice", name)
		default:
			types = append(types, ct)
		}
	}
	if _, set := s.get("takeover_types"); !set {
		types = slices.Clone(ChangeTypes)
	} else if len(types) == 0 {
		s.bad("takeover_types", "must list at least one change type (the default is password, email, phone, token)")
		types = slices.Clone(ChangeTypes)
	} else if len(types) > MaxChangeTypes {
		s.bad("takeover_types", "lists %d change types; the most is %d", len(types), MaxChangeTypes)
		types = types[:MaxChangeTypes]
	}
	n := s.integer("takeover_min_types", len(types))
	if n < 1 || n > len(types) {
		s.bad("takeover_min_types", "%d is outside 1–%d (the number of takeover_types)", n, len(types))
		n = len(types)
	}
	return types, n
}

// checkChangeTypes reports every change query whose change_type is not
// one of detection.takeover_types, at the query's change_type field.
func checkChangeTypes(dbs []Database, types []ChangeType, probs *Problems) {
	names := make([]string, len(types))
	for i, ct := range types {
		names[i] = string(ct)
	}
	for i, db := range dbs {
		entry := fmt.Sprintf("databases[%d]", i)
		if db.Name != "" {
			entry += fmt.Sprintf(" %q", db.Name)
		}
		for k, q := range db.Queries {
			if q.Kind != KindChange || q.ChangeType == "" || slices.Contains(types, q.ChangeType) {
				continue
			}
			field := fmt.Sprintf("sql_queries[%d]", k)
			if q.Name != "" {
				field += fmt.Sprintf(" %q", q.Name)
			}
			probs.add(DatabasesFileName, entry, field+": change_type",
				"%q is not a change type (use one of detection.takeover_types: %s)", q.ChangeType, strings.Join(names, ", "))
		}
	}
}
