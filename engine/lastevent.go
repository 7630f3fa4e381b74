package engine

import (
	"fmt"
	"strings"
	"time"

	"cam/engine/detect"
)

// ParseLastEventTime reads the analyst's "Last Event Time": RFC 3339, or
// YYYY-MM-DD HH:MM[:SS] read in loc by the same rule as database values
// (DST gaps move forward, overlaps take the earlier instant). An empty
// string means sliding mode and returns nil.
func ParseLastEventTime(s string, loc *time.Location) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	// A date alone is refused: "as of 2026-11-03" could mean its first or
	// its last second, and the analyst should say which.
	t, problem := parseTimestamp(s, newZoneResolver(loc))
	if problem != timeOK || len(s) <= len("2006-01-02") {
		return nil, fmt.Errorf("last event time %q: use RFC 3339 (2026-11-03T14:00:00Z) or YYYY-MM-DD HH:MM[:SS]", s)
	}
	if !detect.InRange(t) {
		return nil, fmt.Errorf("last event time %q: must lie between the years 1900 and 2200", s)
	}
	return &t, nil
}
