package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"cam/config"
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

// optionalText is textOf for columns that may be NULL or absent.
func optionalText(v any) string {
	s, _ := textOf(v)
	return s
}

// timestampLayouts are the zone-less text forms read in the database's
// zone, then forms that carry their own offset.
var timestampLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

// timeOf converts a timestamp value to an instant. A time.Time is taken as
// the driver labelled it (drivers are configured to label zone-less values
// with the database's zone); text without a zone is read in loc.
func timeOf(v any, loc *time.Location) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, !t.IsZero()
	case []byte:
		return parseTimestamp(string(t), loc)
	case string:
		return parseTimestamp(t, loc)
	}
	return time.Time{}, false
}

func parseTimestamp(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	for _, layout := range timestampLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
