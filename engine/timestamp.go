package engine

import (
	"math"
	"time"
)

// Timestamps: cam reads every zone-less value itself, the same way for
// every driver. A value without zone information is a wall clock in the
// database's configured zone; a value with an offset or Z keeps its
// instant. Drivers hand the engine text (SQLite, MySQL) or wall-clock parts
// (Oracle DATE/TIMESTAMP as go-ora decodes them), never an instant they
// guessed.
//
// A wall clock that a zone skips or repeats resolves by one rule, the one
// java.time and PostgreSQL use:
//   - in a gap (02:30 on a spring-forward day) it is read with the offset
//     before the change, which moves it forward by the gap's length
//     (02:30 → 03:30 EDT);
//   - in an overlap (01:30 on a fall-back day) it is the earlier of the two
//     instants (01:30 EDT, not 01:30 EST).

// WallClock returns the instant at which loc's clocks show the given wall
// clock, resolving gaps and overlaps by the rule above. Go's time.Date
// leaves the choice unspecified, so the candidates are checked here.
func WallClock(year int, month time.Month, day, hour, min, sec, nsec int, loc *time.Location) time.Time {
	asUTC := time.Date(year, month, day, hour, min, sec, nsec, time.UTC)
	if loc == time.UTC {
		return asUTC
	}
	// A zone changes offset at most once within a day either side of any
	// real wall clock, so the offsets a day before and after are the only
	// candidates.
	_, before := asUTC.Add(-24 * time.Hour).In(loc).Zone()
	_, after := asUTC.Add(24 * time.Hour).In(loc).Zone()
	fits := func(offset int) (time.Time, bool) {
		at := asUTC.Add(-time.Duration(offset) * time.Second)
		_, got := at.In(loc).Zone()
		return at, got == offset
	}
	atBefore, okBefore := fits(before)
	atAfter, okAfter := fits(after)
	switch {
	case okBefore && okAfter:
		if atAfter.Before(atBefore) {
			return atAfter.In(loc)
		}
		return atBefore.In(loc)
	case okBefore:
		return atBefore.In(loc)
	case okAfter:
		return atAfter.In(loc)
	}
	// In the gap: no offset fits; read it with the offset before the change.
	return atBefore.In(loc)
}

// timeProblem says why a time value was rejected.
type timeProblem uint8

const (
	timeOK timeProblem = iota
	timeUnparseable
	timeNumeric // digits only: an epoch number where text was expected
)

// zoneResolver turns wall clocks of one zone into instants, remembering the
// zone period of the last one: rows of one query mostly share a period, and
// a wall clock more than a day inside that period has exactly one reading,
// so most rows need no zone lookup at all.
type zoneResolver struct {
	loc        *time.Location
	from, till int64 // Unix seconds where the cached offset is unambiguous
	offset     int64
	cached     bool
}

func newZoneResolver(loc *time.Location) *zoneResolver {
	if loc == nil {
		loc = time.Local
	}
	return &zoneResolver{loc: loc}
}

// at is WallClock(..., z.loc).
func (z *zoneResolver) at(year int, month time.Month, day, hour, min, sec, nsec int) time.Time {
	asUTC := unixOfCivil(year, int(month), day) + int64(hour*3600+min*60+sec)
	if z.cached {
		if u := asUTC - z.offset; u >= z.from && u < z.till {
			return time.Unix(u, int64(nsec)).In(z.loc)
		}
	}
	t := WallClock(year, month, day, hour, min, sec, nsec, z.loc)
	_, offset := t.Zone()
	start, end := t.ZoneBounds()
	z.offset, z.from, z.till, z.cached = int64(offset), math.MinInt64, math.MaxInt64, true
	const oneDay = 24 * 60 * 60
	if !start.IsZero() {
		z.from = start.Unix() + oneDay
	}
	if !end.IsZero() {
		z.till = end.Unix() - oneDay
	}
	return t
}

// parseTimestamp reads the text forms databases store, without allocating:
//
//	YYYY-MM-DD
//	YYYY-MM-DD[ T]HH:MM[:SS[.fraction]]
//
// optionally followed (after an optional space) by Z, UTC, or an offset
// ±HH, ±HHMM or ±HH:MM. Without a zone the wall clock is read in the
// resolver's zone.
// Surrounding white space is ignored.
func parseTimestamp(s string, zone *zoneResolver) (time.Time, timeProblem) {
	s = trimSpace(s)
	at, problem := parseTimestampText(s, zone)
	// A plain number never parses (a date needs its '-'), so it is told
	// apart only when parsing failed, not at a scan per row.
	if problem == timeUnparseable && isNumeric(s) {
		return time.Time{}, timeNumeric
	}
	return at, problem
}

// parseTimestampText is parseTimestamp on trimmed text.
func parseTimestampText(s string, zone *zoneResolver) (time.Time, timeProblem) {
	if s == "" {
		return time.Time{}, timeUnparseable
	}
	p := scanner{s: s}
	year, ok1 := p.digits(4)
	ok2 := p.lit('-')
	month, ok3 := p.digits(2)
	ok4 := p.lit('-')
	day, ok5 := p.digits(2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) || month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) {
		return time.Time{}, timeUnparseable
	}
	var hour, min, sec, nsec int
	if p.more() && (p.peek() == ' ' || p.peek() == 'T') && p.at(1) >= '0' && p.at(1) <= '9' {
		p.i++
		var okH, okC, okM bool
		hour, okH = p.digits(2)
		okC = p.lit(':')
		min, okM = p.digits(2)
		if !(okH && okC && okM) || hour > 23 || min > 59 {
			return time.Time{}, timeUnparseable
		}
		if p.more() && p.peek() == ':' {
			p.i++
			var okS bool
			if sec, okS = p.digits(2); !okS || sec > 59 {
				return time.Time{}, timeUnparseable
			}
			if p.more() && (p.peek() == '.' || p.peek() == ',') {
				p.i++
				var okF bool
				if nsec, okF = p.fraction(); !okF {
					return time.Time{}, timeUnparseable
				}
			}
		}
	}
	if !p.more() {
		return zone.at(year, time.Month(month), day, hour, min, sec, nsec), timeOK
	}
	offset, ok := p.zone()
	if !ok {
		return time.Time{}, timeUnparseable
	}
	at := time.Unix(unixOfCivil(year, month, day)+int64(hour*3600+min*60+sec-offset), int64(nsec)).UTC()
	return at, timeOK
}

// unixOfCivil is the Unix time of 00:00 UTC on a proleptic Gregorian date
// (year from 0, month 1–12, day valid for the month), as
// time.Date(...).Unix() gives it but without its normalisation, which cost
// about a fifth of a parse (56 against 44 ns): the days are counted in
// 400-year eras from 0000-03-01, the year starting in March so that the
// leap day falls at its end.
func unixOfCivil(year, month, day int) int64 {
	// Counted from year -400 so that the arithmetic stays unsigned (and
	// its divisions cheap) for every year from 0 on.
	y := uint64(year + 400)
	if month <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400                     // [0, 399]
	mp := uint64(month+9) % 12             // March = 0
	doy := (153*mp+2)/5 + uint64(day) - 1  // [0, 365]
	doe := yoe*365 + yoe/4 - yoe/100 + doy // [0, 146096]
	const toEpoch = 719468 + 146097        // 0000-03-01 to 1970-01-01, plus the era added
	return (int64(era*146097+doe) - toEpoch) * 86400
}

// scanner walks a timestamp's bytes.
type scanner struct {
	s string
	i int
}

func (p *scanner) more() bool { return p.i < len(p.s) }
func (p *scanner) peek() byte { return p.s[p.i] }

// at returns the byte k places ahead, or 0 past the end.
func (p *scanner) at(k int) byte {
	if p.i+k < len(p.s) {
		return p.s[p.i+k]
	}
	return 0
}

func (p *scanner) lit(c byte) bool {
	if p.more() && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// digits reads exactly n decimal digits.
func (p *scanner) digits(n int) (int, bool) {
	if p.i+n > len(p.s) {
		return 0, false
	}
	v := 0
	for k := 0; k < n; k++ {
		c := p.s[p.i+k]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	p.i += n
	return v, true
}

// fraction reads 1 to 9 digits of a second (more are read and dropped).
func (p *scanner) fraction() (int, bool) {
	start, v, scale := p.i, 0, 100000000
	for p.more() && p.peek() >= '0' && p.peek() <= '9' {
		if scale > 0 {
			v += int(p.peek()-'0') * scale
			scale /= 10
		}
		p.i++
	}
	return v, p.i > start
}

// zone reads the rest as Z, UTC or ±HH[[:]MM] and returns the offset east
// of UTC in seconds.
func (p *scanner) zone() (int, bool) {
	if p.peek() == ' ' {
		p.i++
	}
	rest := p.s[p.i:]
	if rest == "Z" || rest == "z" || rest == "UTC" {
		return 0, true
	}
	if len(rest) < 3 || (rest[0] != '+' && rest[0] != '-') {
		return 0, false
	}
	sign := 1
	if rest[0] == '-' {
		sign = -1
	}
	p.i++
	h, ok := p.digits(2)
	if !ok || h > 23 {
		return 0, false
	}
	m := 0
	if p.more() {
		p.lit(':')
		if m, ok = p.digits(2); !ok || m > 59 || p.more() {
			return 0, false
		}
	}
	return sign * (h*3600 + m*60), true
}

func daysIn(m time.Month, year int) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// isNumeric reports whether s is a plain number (an epoch value stored
// where a timestamp was expected).
func isNumeric(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case (c == '-' || c == '+') && i == 0, c == '.':
		default:
			return false
		}
	}
	return digits > 0
}

func trimSpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t' || s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}
