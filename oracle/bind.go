package oracle

import (
	"database/sql"
	"strings"
	"time"

	go_ora "github.com/sijms/go-ora/v2"

	"cam/config"
	"cam/sqltext"
)

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
// and skip rows. The text is sent without its comments (see
// sqltext.WithoutComments).
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
	// Comments go: go-ora would read a quote in a -- comment as a string
	// and send no bind for the :start_date after it.
	rewritten = sqltext.WithoutComments(rewritten, sqltext.DialectOracle)
	return rewritten, []any{sql.Named(sqltext.StartDateParam, go_ora.TimeStamp(wall))}, nil
}

// rewriteStartDate returns q with every :start_date placeholder outside
// literals, quoted identifiers and comments wrapped in a DATE cast, and how
// many it wrapped. It lexes with sqltext's lexer, the one that checked
// the file when the configuration was loaded (Oracle's q'[...]' strings
// included); any other parameter is left as written.
func rewriteStartDate(q string) (string, int) {
	count := 0
	text, _ := sqltext.RewriteParams(q, sqltext.DialectOracle, func(name string) string {
		if !strings.EqualFold(name, sqltext.StartDateParam) {
			return ":" + name
		}
		count++
		return "CAST(:" + sqltext.StartDateParam + " AS DATE)"
	})
	return text, count
}
