package engine

import (
	"strconv"
	"testing"
	"time"

	"cam/config"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The DST rule is java.time's: a wall clock in a gap moves forward by the
// gap, one in an overlap is the earlier instant. The expected instants are
// written out in UTC, not computed with the code under test.
func TestWallClockResolvesGapsAndOverlapsByOneRule(t *testing.T) {
	ny, london, kolkata, lordHowe := zone(t, "America/New_York"), zone(t, "Europe/London"), zone(t, "Asia/Kolkata"), zone(t, "Australia/Lord_Howe")
	cases := []struct {
		name string
		loc  *time.Location
		wall [6]int // y m d h m s
		want time.Time
	}{
		{"New York, ordinary winter day", ny, [6]int{2026, 11, 3, 10, 0, 0}, time.Date(2026, 11, 3, 15, 0, 0, 0, time.UTC)},
		{"New York, ordinary summer day", ny, [6]int{2026, 7, 3, 10, 0, 0}, time.Date(2026, 7, 3, 14, 0, 0, 0, time.UTC)},
		{"New York, just before the spring gap", ny, [6]int{2026, 3, 8, 1, 59, 59}, time.Date(2026, 3, 8, 6, 59, 59, 0, time.UTC)},
		{"New York, in the spring gap", ny, [6]int{2026, 3, 8, 2, 30, 0}, time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)}, // 03:30 EDT
		{"New York, just after the spring gap", ny, [6]int{2026, 3, 8, 3, 0, 0}, time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC)},
		{"New York, in the autumn overlap", ny, [6]int{2026, 11, 1, 1, 30, 0}, time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)}, // 01:30 EDT
		{"New York, after the autumn overlap", ny, [6]int{2026, 11, 1, 2, 0, 0}, time.Date(2026, 11, 1, 7, 0, 0, 0, time.UTC)},
		{"London, in the spring gap", london, [6]int{2026, 3, 29, 1, 30, 0}, time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)}, // 02:30 BST
		{"London, in the autumn overlap", london, [6]int{2026, 10, 25, 1, 30, 0}, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)},
		{"Kolkata, half-hour offset", kolkata, [6]int{2026, 11, 3, 10, 0, 0}, time.Date(2026, 11, 3, 4, 30, 0, 0, time.UTC)},
		{"Lord Howe, half-hour DST gap", lordHowe, [6]int{2026, 10, 4, 2, 15, 0}, time.Date(2026, 10, 3, 15, 45, 0, 0, time.UTC)}, // 02:45 +11
		{"UTC", time.UTC, [6]int{2026, 3, 8, 2, 30, 0}, time.Date(2026, 3, 8, 2, 30, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := c.wall
			got := WallClock(w[0], time.Month(w[1]), w[2], w[3], w[4], w[5], 0, c.loc)
			if !got.Equal(c.want) {
				t.Errorf("got %s (%s), want %s", got.UTC(), got, c.want)
			}
		})
	}
}

func TestParseTimestampForms(t *testing.T) {
	ny := zone(t, "America/New_York")
	ten := time.Date(2026, 11, 3, 15, 0, 0, 0, time.UTC) // 10:00 in New York
	cases := []struct {
		in      string
		want    time.Time
		problem timeProblem
	}{
		{"2026-11-03 10:00:00", ten, timeOK},
		{" 2026-11-03T10:00:00 ", ten, timeOK},
		{"2026-11-03 10:00", ten, timeOK},
		{"2026-11-03 10:00:00.250", ten.Add(250 * time.Millisecond), timeOK},
		{"2026-11-03 10:00:00.123456789123", ten.Add(123456789), timeOK},
		{"2026-11-03", time.Date(2026, 11, 3, 5, 0, 0, 0, time.UTC), timeOK},
		{"2026-11-03T15:00:00Z", ten, timeOK},
		{"2026-11-03 15:00:00 UTC", ten, timeOK},
		{"2026-11-03 20:30:00+05:30", ten, timeOK},
		{"2026-11-03 20:30:00 +0530", ten, timeOK},
		{"2026-11-03T10:00:00-05", ten, timeOK},
		{"2026-02-29 10:00:00", time.Time{}, timeUnparseable},
		{"2028-02-29 10:00:00", time.Date(2028, 2, 29, 15, 0, 0, 0, time.UTC), timeOK},
		{"2026-11-03 24:00:00", time.Time{}, timeUnparseable},
		{"2026-13-03 10:00:00", time.Time{}, timeUnparseable},
		{"2026-11-03 10:00:00 EST", time.Time{}, timeUnparseable},
		{"2026-11-03 10:00:00+25:00", time.Time{}, timeUnparseable},
		{"03/11/2026 10:00", time.Time{}, timeUnparseable},
		{"not a date", time.Time{}, timeUnparseable},
		{"", time.Time{}, timeUnparseable},
		{"1762182000", time.Time{}, timeNumeric},
		{"1762182000000", time.Time{}, timeNumeric},
		{"-1.5", time.Time{}, timeNumeric},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, problem := parseTimestamp(c.in, newZoneResolver(ny))
			if problem != c.problem || (problem == timeOK && !got.Equal(c.want)) {
				t.Errorf("got %s problem %d, want %s problem %d", got.UTC(), problem, c.want, c.problem)
			}
		})
	}
}

// Every shape of value a driver may hand over, for a time column.
func TestTimeReaderReasons(t *testing.T) {
	ny := zone(t, "America/New_York")
	ten := time.Date(2026, 11, 3, 15, 0, 0, 0, time.UTC)
	epoch := ten.Unix()
	cases := []struct {
		name   string
		format config.TimeFormat
		zoned  bool
		v      any
		want   time.Time
		reason RejectReason
	}{
		{"text wall clock", config.TimeText, false, "2026-11-03 10:00:00", ten, 0},
		{"bytes wall clock", config.TimeText, false, []byte("2026-11-03 10:00:00"), ten, 0},
		{"driver time labelled UTC is a wall clock", config.TimeText, false, time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC), ten, 0},
		{"zoned column keeps its instant", config.TimeText, true, ten.In(zone(t, "Asia/Tokyo")), ten, 0},
		{"NULL", config.TimeText, false, nil, time.Time{}, RejectNullTime},
		{"garbage", config.TimeText, false, "yesterday", time.Time{}, RejectUnparseableTime},
		{"epoch integer without time_format", config.TimeText, false, epoch, time.Time{}, RejectNotTextTime},
		{"epoch text without time_format", config.TimeText, false, "1762182000", time.Time{}, RejectNotTextTime},
		{"epoch real without time_format", config.TimeText, false, float64(epoch), time.Time{}, RejectNotTextTime},
		{"unix integer", config.TimeUnix, false, epoch, ten, 0},
		{"unix text", config.TimeUnix, false, strconv.FormatInt(epoch, 10), ten, 0},
		{"unix real with fraction", config.TimeUnix, false, float64(epoch) + 0.5, ten.Add(500 * time.Millisecond), 0},
		{"unix_ms integer", config.TimeUnixMs, false, epoch * 1000, ten, 0},
		{"unix text that is not a number", config.TimeUnix, false, "2026-11-03", time.Time{}, RejectUnparseableTime},
		{"unix far future", config.TimeUnix, false, int64(1) << 62, time.Time{}, RejectOutOfRangeTime},
		{"year 1", config.TimeText, false, "0001-01-01 00:00:00", time.Time{}, RejectOutOfRangeTime},
		{"year 1899", config.TimeText, false, "1899-12-31 12:00:00", time.Time{}, RejectOutOfRangeTime},
		{"year 1900", config.TimeText, false, "1900-01-02 00:00:00", time.Date(1900, 1, 2, 5, 0, 0, 0, time.UTC), 0},
		{"year 2200", config.TimeText, false, "2200-06-01 00:00:00", time.Date(2200, 6, 1, 4, 0, 0, 0, time.UTC), 0},
		{"year 2261", config.TimeText, false, "2261-01-01 00:00:00", time.Time{}, RejectOutOfRangeTime},
		{"year 2263", config.TimeText, false, "2263-01-01 00:00:00", time.Time{}, RejectOutOfRangeTime},
		{"year 9999", config.TimeText, false, "9999-12-31 23:59:59", time.Time{}, RejectOutOfRangeTime},
		{"driver time in 9999", config.TimeText, false, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), time.Time{}, RejectOutOfRangeTime},
		{"boolean", config.TimeText, false, true, time.Time{}, RejectNotTextTime},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, reason, ok := timeReader{zone: newZoneResolver(ny), format: c.format, zoned: c.zoned}.read(c.v)
			if ok != (c.reason == 0) || reason != c.reason || (ok && !got.Equal(c.want)) {
				t.Errorf("got %s %s ok=%v, want %s %s", got.UTC(), reason, ok, c.want, c.reason)
			}
		})
	}
}

func BenchmarkParseTimestamp(b *testing.B) {
	z := newZoneResolver(zone(b, "America/New_York"))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, p := parseTimestamp("2026-11-03 10:00:00.250", z); p != timeOK {
			b.Fatal(p)
		}
	}
}

// The resolver's cache must give WallClock's answer for every wall clock,
// also when consecutive rows straddle a DST change in either direction.
func TestZoneResolverCacheAgreesWithWallClock(t *testing.T) {
	for _, name := range []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"} {
		t.Run(name, func(t *testing.T) {
			loc := zone(t, name)
			z := newZoneResolver(loc)
			wall := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for i := 0; i < 24*365*2; i++ { // every 30 minutes of 2026, forward then back
				w := wall.Add(time.Duration(i%(24*365)) * 30 * time.Minute)
				if i >= 24*365 {
					w = wall.Add(time.Duration(24*365-i%(24*365)) * 30 * time.Minute)
				}
				got := z.at(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0)
				want := WallClock(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc)
				if !got.Equal(want) {
					t.Fatalf("wall %s: cached %s, WallClock %s", w.Format("2006-01-02 15:04"), got.UTC(), want.UTC())
				}
			}
		})
	}
}

// unixOfCivil stands in for time.Date(...).Unix() on every date a
// timestamp's four-digit year can name.
func TestUnixOfCivilAgreesWithTimeDate(t *testing.T) {
	for year := 0; year <= 9999; year++ {
		for month := time.January; month <= time.December; month++ {
			for _, day := range []int{1, 15, 28, daysIn(month, year)} {
				want := time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix()
				if got := unixOfCivil(year, int(month), day); got != want {
					t.Fatalf("%04d-%02d-%02d: %d, time.Date says %d", year, month, day, got, want)
				}
			}
		}
	}
}
