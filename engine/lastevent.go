package engine

import (
	"fmt"
	"strings"
	"time"
)

// lastEventLayouts are the zone-less forms an analyst may type; they are
// read in the analyst's zone.
var lastEventLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
}

// ParseLastEventTime reads the analyst's "Last Event Time": RFC 3339, or
// YYYY-MM-DD HH:MM[:SS] in loc. An empty string means sliding mode and
// returns nil.
func ParseLastEventTime(s string, loc *time.Location) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return &t, nil
	}
	if loc == nil {
		loc = time.Local
	}
	for _, layout := range lastEventLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return &t, nil
		}
	}
	return nil, fmt.Errorf("last event time %q: use RFC 3339 (2026-11-03T14:00:00Z) or YYYY-MM-DD HH:MM[:SS]", s)
}
