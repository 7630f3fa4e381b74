package config

import (
	"fmt"
	"math"
	"time"
)

// Day is 24 hours, the unit of ParseDuration's "30d".
const Day = 24 * time.Hour

// durationRange is the accepted span of one duration setting.
type durationRange struct{ min, max time.Duration }

// DurationRanges are the accepted ranges of every duration setting, by
// key. The README's table is written from these values.
var DurationRanges = map[string]durationRange{
	"lookback":           {time.Hour, 3660 * Day},
	"takeover_window":    {time.Minute, 366 * Day},
	"brute_force_window": {time.Second, Day},
	"query_timeout":      {time.Second, Day},
	"connect_timeout":    {time.Second, 10 * time.Minute},
}

// countRange is the accepted span of one count setting.
type countRange struct{ min, max int }

// CountRanges are the accepted ranges of every count setting, by key.
var CountRanges = map[string]countRange{
	"max_concurrency":       {1, 256},
	"max_attempts":          {1, 10},
	"brute_force_threshold": {1, 1000000},
	"max_connections":       {1, 100},
	"fetch_size":            {1, 100000},
	"trace_level":           {0, 16},
	"port":                  {1, 65535},
}

// Size limits on what cam reads: a file that is larger is refused before
// it is read in full.
const (
	MaxDatabasesFileSize = 10 << 20 // databases.yaml
	MaxSettingsFileSize  = 1 << 20  // app_settings.yaml
	MaxQueryFileSize     = 1 << 20  // one query file
)

// durationIn reads a duration setting and checks it against its range;
// outside it, the problem names the field and the range.
func (s *section) durationIn(key string, def time.Duration) time.Duration {
	d := s.duration(key, def)
	if r, ok := DurationRanges[key]; ok && (d < r.min || d > r.max) {
		s.bad(key, "%s is outside %s–%s", human(d), human(r.min), human(r.max))
		return def
	}
	return d
}

// integerIn reads a count setting and checks it against its range.
func (s *section) integerIn(key string, def int) int {
	n := s.integer(key, def)
	if r, ok := CountRanges[key]; ok && (n < r.min || n > r.max) {
		s.bad(key, "%d is outside %d–%d", n, r.min, r.max)
		return def
	}
	return n
}

// human writes d the way the settings are written: whole days as "30d".
func human(d time.Duration) string {
	if d >= Day && d%Day == 0 {
		return fmt.Sprintf("%dd", d/Day)
	}
	return d.String()
}

// maxDays is the most whole days a time.Duration holds.
const maxDays = math.MaxInt64 / int64(Day)
