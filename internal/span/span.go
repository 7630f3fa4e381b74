// Package span words a duration as an analyst writes it. It is a leaf:
// the rules' messages, the screens and the reports all say spans the same
// way.
package span

import (
	"strconv"
	"time"
)

// Format prints a duration as an analyst writes it: "24h", "3h 12m", "45m",
// "4m 30s", "12s"; whole days beyond three days as "30d". Hours and
// minutes drop their seconds: a window is read at a glance, not to the
// second.
func Format(d time.Duration) string {
	if d < 0 {
		return "-" + Format(-d)
	}
	const day = 24 * time.Hour
	switch {
	case d == 0:
		return "0s"
	case d > 72*time.Hour && d%day == 0:
		return strconv.Itoa(int(d/day)) + "d"
	case d >= time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return strconv.Itoa(h) + "h"
		}
		return strconv.Itoa(h) + "h " + strconv.Itoa(m) + "m"
	case d >= time.Minute:
		m, s := int(d/time.Minute), int(d%time.Minute/time.Second)
		if s == 0 {
			return strconv.Itoa(m) + "m"
		}
		return strconv.Itoa(m) + "m " + strconv.Itoa(s) + "s"
	case d >= time.Second:
		return strconv.Itoa(int(d.Round(time.Second)/time.Second)) + "s"
	}
	return strconv.Itoa(int(d/time.Millisecond)) + "ms"
}
