package config

import (
	"fmt"
	"net/mail"
	"regexp"
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
