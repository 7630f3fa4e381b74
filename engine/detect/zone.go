package detect

import "time"

// zoneCache converts instants to the business zone's local day and time of
// day. Converting each event with time.In and Hour/Minute/Second looks the
// zone up every time; events of a run fall in a few offset periods, so the
// cache keeps the current period's offset and bounds and does the
// arithmetic itself.
type zoneCache struct {
	loc        *time.Location
	valid      bool
	start, end int64 // the period [start, end) in Unix seconds
	offset     int64 // seconds east of UTC during the period
}

const secondsPerDay = 24 * 60 * 60

// local returns the local day (days since 1970-01-01 on the local
// calendar) and the time since local midnight of the instant t, given as
// Unix seconds sec and nanoseconds nsec.
func (z *zoneCache) local(t time.Time, sec, nsec int64) (day int64, sinceMidnight time.Duration) {
	if !z.valid || sec < z.start || sec >= z.end {
		lt := t.In(z.loc)
		_, off := lt.Zone()
		from, to := lt.ZoneBounds()
		z.offset, z.valid = int64(off), true
		z.start, z.end = -1<<63, 1<<63-1
		if !from.IsZero() {
			z.start = from.Unix()
		}
		if !to.IsZero() {
			z.end = to.Unix()
		}
	}
	ls := sec + z.offset
	day = ls / secondsPerDay
	if ls%secondsPerDay < 0 {
		day--
	}
	return day, time.Duration(ls-day*secondsPerDay)*time.Second + time.Duration(nsec)
}

// dayString renders a local day number as YYYY-MM-DD.
func dayString(day int32) string {
	return time.Unix(int64(day)*secondsPerDay, 0).UTC().Format("2006-01-02")
}
