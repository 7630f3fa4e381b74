package detect

import "time"

// The instants cam accepts. Rows outside this range are rejected by the
// engine (counted as out_of_range_time) before they reach the rules, and
// the accumulator ignores any that are added directly, so a row dated
// 9999-12-31 can never wrap into the past: the rules compare Unix
// nanoseconds, which hold only 1678–2262.
var (
	MinTime = time.Date(1900, time.January, 1, 0, 0, 0, 0, time.UTC)
	MaxTime = time.Date(2200, time.December, 31, 23, 59, 59, 999999999, time.UTC)
)

// minSec and maxSec bound the whole seconds inside [MinTime, MaxTime].
var minSec, maxSec = MinTime.Unix(), MaxTime.Unix()

// inRange is InRange for millions of events: one conversion to Unix
// seconds decides all but the instants within a second of a bound.
func inRange(t time.Time) bool {
	if s := t.Unix(); s > minSec && s < maxSec {
		return true
	}
	return InRange(t)
}

// InRange reports whether t lies within [MinTime, MaxTime].
func InRange(t time.Time) bool {
	return !t.Before(MinTime) && !t.After(MaxTime)
}
