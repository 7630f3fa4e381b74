package oracle

import (
	"database/sql"
	"strings"
	"time"

	go_ora "github.com/sijms/go-ora/v2"

	"cam/config"
)

// startDateParam is the bind name every audit query uses for its lower time
// bound.
const startDateParam = "start_date"

// bindStart rewrites each :start_date outside string literals, quoted
// identifiers and comments into CAST(:start_date AS DATE), and binds the
// start time as a go-ora TimeStamp holding the database's wall-clock time.
//
// A time.Time would go over as TIMESTAMP WITH TIME ZONE, and go-ora's own
// TimeStamp as TIMESTAMP; compared with a DATE column either makes Oracle
// convert the column (INTERNAL_FUNCTION), which defeats its index. go-ora
// v2.9 has no bind type that is sent as DATE, so the cast turns the bind
// into a DATE constant once per execution and the column stays untouched.
// Seconds are truncated first so the cast cannot round the bound upwards
// and skip rows.
func bindStart(q string, start time.Time, db config.Database) (string, []any, error) {
	rewritten, n := rewriteStartDate(q)
	if n == 0 {
		return q, nil, nil
	}
	loc := db.Location
	if loc == nil {
		loc = time.Local
	}
	wall := start.In(loc).Truncate(time.Second)
	return rewritten, []any{sql.Named(startDateParam, go_ora.TimeStamp(wall))}, nil
}

// rewriteStartDate returns q with every :start_date placeholder wrapped in
// a DATE cast, and how many it wrapped.
func rewriteStartDate(q string) (string, int) {
	const name = ":" + startDateParam
	var b strings.Builder
	count := 0
	for i := 0; i < len(q); {
		switch {
		case q[i] == '\'':
			i = copyUntil(&b, q, i, "'", 1)
		case q[i] == '"':
			i = copyUntil(&b, q, i, `"`, 1)
		case strings.HasPrefix(q[i:], "--"):
			i = copyUntil(&b, q, i, "\n", 2)
		case strings.HasPrefix(q[i:], "/*"):
			i = copyUntil(&b, q, i, "*/", 2)
		case len(q)-i >= len(name) && strings.EqualFold(q[i:i+len(name)], name) &&
			(i+len(name) == len(q) || !isIdentChar(q[i+len(name)])):
			b.WriteString("CAST(" + name + " AS DATE)")
			i += len(name)
			count++
		default:
			b.WriteByte(q[i])
			i++
		}
	}
	return b.String(), count
}

// copyUntil copies q[i:] up to and including the next end (searched from
// i+skip) into b, and returns the index after it.
func copyUntil(b *strings.Builder, q string, i int, end string, skip int) int {
	j := strings.Index(q[i+skip:], end)
	if j < 0 {
		b.WriteString(q[i:])
		return len(q)
	}
	stop := i + skip + j + len(end)
	b.WriteString(q[i:stop])
	return stop
}

func isIdentChar(c byte) bool {
	return c == '_' || c == '$' || c == '#' ||
		('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}
