package detect

import "time"

// zoneCache converts instants to the business zone's local day and time of
// day. Converting each event with time.In and Hour/Minute/Second looks the
// zone up every time; events of a run fall in a few offset periods, so the
// cache keeps the last two periods' offsets and bounds and does the
// arithmetic itself. Two, because rows in no time order over a clock
// change alternate between the periods either side of it.
type zoneCache struct {
	loc     *time.Location
	periods [2]zonePeriod // the last looked up first
}

// zonePeriod is one period of a zone's offset; an empty one (start ==
// end) holds no instant.
type zonePeriod struct {
	start, end int64 // [start, end) in Unix seconds
	offset     int64 // seconds east of UTC during the period
}

const secondsPerDay = 24 * 60 * 60

// local returns the local day (days since 1970-01-01 on the local
// calendar) and the time since local midnight of the instant t, given as
// Unix seconds sec and nsec.
func (z *zoneCache) local(t time.Time, sec, nsec int64) (day int64, sinceMidnight time.Duration) {
	p := &z.periods
	if sec >= p[0].start && sec < p[0].end {
		return z.split(sec+p[0].offset, nsec)
	}
	// The other period: rows out of time order over a clock change
	// alternate between the two, so it is not moved to the front.
	if sec >= p[1].start && sec < p[1].end {
		return z.split(sec+p[1].offset, nsec)
	}
	lt := t.In(z.loc)
	_, off := lt.Zone()
	from, to := lt.ZoneBounds()
	np := zonePeriod{start: -1 << 63, end: 1<<63 - 1, offset: int64(off)}
	if !from.IsZero() {
		np.start = from.Unix()
	}
	if !to.IsZero() {
		np.end = to.Unix()
	}
	p[0], p[1] = np, p[0]
	return z.split(sec+p[0].offset, nsec)
}

// split returns the local day and the time since local midnight of local
// second ls (Unix seconds plus the zone's offset) and nsec.
func (z *zoneCache) split(ls, nsec int64) (day int64, sinceMidnight time.Duration) {
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
