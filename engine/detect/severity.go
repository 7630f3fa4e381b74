package detect

import (
	"fmt"
	"strings"
)

var severityNames = map[Severity]string{
	SeverityLow: "low", SeverityMedium: "medium", SeverityHigh: "high", SeverityCritical: "critical",
}

// String is the severity's report and JSON name.
func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads a severity name, case-insensitively.
func ParseSeverity(name string) (Severity, error) {
	for s, n := range severityNames {
		if strings.EqualFold(n, strings.TrimSpace(name)) {
			return s, nil
		}
	}
	return 0, fmt.Errorf("%q is not a severity (critical, high, medium, low)", name)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
