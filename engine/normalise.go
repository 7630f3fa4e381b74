package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"cam/config"
	"cam/engine/detect"
)

// columnIndex maps each column role of a query to its position in the
// result set, matching names case-insensitively (Oracle returns upper case).
type columnIndex map[string]int

// required column roles per query kind; other roles are optional.
var requiredRoles = map[config.QueryKind][]string{
	config.KindChange:   {config.ColUser, config.ColTime},
	config.KindActivity: {config.ColUser, config.ColTime, config.ColOperation, config.ColStatus},
}

func indexColumns(q config.Query, names []string) (columnIndex, error) {
	pos := map[string]int{}
	for i, n := range names {
		pos[strings.ToLower(n)] = i
	}
	idx := columnIndex{}
	for role, col := range q.Columns {
		if i, ok := pos[strings.ToLower(col)]; ok {
			idx[role] = i
		}
	}
	for _, role := range requiredRoles[q.Kind] {
		if _, ok := idx[role]; !ok {
			return nil, fmt.Errorf("column %s not in the result (have: %s) — set columns.%s for this query in databases.yaml",
				q.Columns[role], strings.Join(names, ", "), role)
		}
	}
	return idx, nil
}

// textOf returns a value as trimmed text: user ids arrive as TEXT, NUMBER
// (go-ora gives strings), INTEGER or REAL depending on the database, and
// must compare equal across databases.
func textOf(v any) (string, bool) {
	switch t := v.(type) {
	case nil:
		return "", false
	case string:
		s := strings.TrimSpace(t)
		return s, s != ""
	case []byte:
		s := strings.TrimSpace(string(t))
		return s, s != ""
	case int64:
		return strconv.FormatInt(t, 10), true
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1<<53 {
			return strconv.FormatInt(int64(t), 10), true
		}
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(t), true
	case time.Time:
		return t.Format(time.RFC3339), true
	}
	s := strings.TrimSpace(fmt.Sprint(v))
	return s, s != ""
}

// RejectReason says why a row did not reach the rules. The strings are the
// keys of cam run --json's "rejected" object.
type RejectReason uint8

// Reasons a row is rejected, in the order they are checked.
const (
	RejectUnreadable RejectReason = iota // the driver could not scan the row
	RejectNullUser
	RejectEmptyUser
	RejectNullTime
	RejectNotTextTime     // a number where a timestamp was expected
	RejectUnparseableTime // text that is not a timestamp
	RejectOutOfRangeTime  // before MinTime or after MaxTime (1900–2200)
	rejectReasons         // the count of reasons
)

var rejectNames = [rejectReasons]string{
	RejectUnreadable:      "unreadable_row",
	RejectNullUser:        "null_user",
	RejectEmptyUser:       "empty_user",
	RejectNullTime:        "null_time",
	RejectNotTextTime:     "not_text_time",
	RejectUnparseableTime: "unparseable_time",
	RejectOutOfRangeTime:  "out_of_range_time",
}

// rejectWhy explains each reason to the analyst; %s is the column.
var rejectWhy = [rejectReasons]string{
	RejectUnreadable:      "the driver could not read them (%s)",
	RejectNullUser:        "%s is NULL",
	RejectEmptyUser:       "%s is empty",
	RejectNullTime:        "%s is NULL",
	RejectNotTextTime:     "%s holds numbers; set columns.time_format (unix or unix_ms) if they are epoch times",
	RejectUnparseableTime: "%s is not a timestamp cam reads (YYYY-MM-DD HH:MM:SS[.fff], optionally with Z or an offset)",
	RejectOutOfRangeTime:  "%s is outside the years 1900–2200",
}

// String is the reason's JSON key.
func (r RejectReason) String() string {
	if r < rejectReasons {
		return rejectNames[r]
	}
	return "unknown"
}

// timeReader turns one query's time column into instants.
type timeReader struct {
	zone   *zoneResolver // the database's zone
	format config.TimeFormat
	// zoned is set when the driver says the column's type carries its own
	// zone (Oracle TIMESTAMP WITH TIME ZONE): its time.Time values keep
	// their instant. Otherwise a time.Time is a wall clock (go-ora's DATE).
	zoned bool
}

// read converts a time column value to an instant within detect's range.
func (r timeReader) read(v any) (time.Time, RejectReason, bool) {
	var at time.Time
	switch t := v.(type) {
	case nil:
		return time.Time{}, RejectNullTime, false
	case time.Time:
		if r.zoned {
			at = t
		} else {
			at = r.zone.at(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond())
		}
	case string:
		return r.text(t)
	case []byte:
		return r.text(string(t))
	case int64:
		return r.epoch(float64(t), true)
	case float64:
		return r.epoch(t, true)
	default:
		return time.Time{}, RejectNotTextTime, false
	}
	return inRange(at)
}

func (r timeReader) text(s string) (time.Time, RejectReason, bool) {
	if r.format != config.TimeText {
		f, err := strconv.ParseFloat(trimSpace(s), 64)
		return r.epoch(f, err == nil)
	}
	at, problem := parseTimestamp(s, r.zone)
	switch problem {
	case timeNumeric:
		return time.Time{}, RejectNotTextTime, false
	case timeUnparseable:
		return time.Time{}, RejectUnparseableTime, false
	}
	return inRange(at)
}

// epoch reads a number as Unix seconds or milliseconds (UTC instants) when
// the query's columns.time_format says so.
func (r timeReader) epoch(f float64, ok bool) (time.Time, RejectReason, bool) {
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return time.Time{}, RejectUnparseableTime, false
	}
	var seconds float64
	switch r.format {
	case config.TimeUnix:
		seconds = f
	case config.TimeUnixMs:
		seconds = f / 1000
	default:
		return time.Time{}, RejectNotTextTime, false
	}
	// Range-check before converting: past ±2^63 ns a time.Time would wrap.
	if seconds < float64(detect.MinTime.Unix()) || seconds > float64(detect.MaxTime.Unix()) {
		return time.Time{}, RejectOutOfRangeTime, false
	}
	whole := math.Floor(seconds)
	return time.Unix(int64(whole), int64((seconds-whole)*1e9)).UTC(), 0, true
}

func inRange(at time.Time) (time.Time, RejectReason, bool) {
	if !detect.InRange(at) {
		return time.Time{}, RejectOutOfRangeTime, false
	}
	return at, 0, true
}
