package oratest

import (
	"regexp"
	"strconv"
	"strings"

	"cam/sqltext"
)

// The translation from Oracle SQL to SQLite is small on purpose: enough
// for cam's own queries, the demo's and test fixtures to run unchanged.
//
//   - CAST(:p AS DATE) becomes :p; a zone-less date bind reaches SQLite as
//     its wall-clock text ("2006-01-02 15:04:05"), the form the fixtures
//     store, so the comparison a real server makes on DATEs is a text
//     comparison here.
//   - Named binds (:name, outside strings and comments, lexed by cam's
//     own SQL lexer) become numbered SQLite parameters. Numeric binds
//     (:1) are not supported.
//   - FROM DUAL is dropped; SYSDATE and SYSTIMESTAMP become the current
//     UTC time as text (the double's database zone is UTC).
//   - ALTER SESSION statements succeed without effect.
//   - SET TRANSACTION READ ONLY opens a read-only transaction on the
//     session and COMMIT or ROLLBACK ends it; inside one, INSERT, UPDATE,
//     DELETE and MERGE fail with ORA-01456 as on a real server (reads are
//     not given a snapshot: the double has no concurrent writers).
//   - Schema-qualified names resolve through SQLite ATTACH: every service
//     file is attached again under each name in Options.Schemas (see
//     backend.go), so event_logs.email_changes is email_changes.
//
// Anything else goes to SQLite as written, and SQLite's errors are mapped
// to ORA codes (sqliteToORA).

var (
	castDateRE     = regexp.MustCompile(`(?i)CAST\s*\(\s*(:[A-Za-z_][A-Za-z0-9_$#]*)\s+AS\s+DATE\s*\)`)
	fromDualRE     = regexp.MustCompile(`(?i)\s+FROM\s+DUAL\b`)
	sysTimestampRE = regexp.MustCompile(`(?i)\bSYSTIMESTAMP\b`)
	sysDateRE      = regexp.MustCompile(`(?i)\bSYSDATE\b`)
	alterSessionRE = regexp.MustCompile(`(?is)^\s*ALTER\s+SESSION\b`)
	readOnlyTxnRE  = regexp.MustCompile(`(?is)^\s*SET\s+TRANSACTION\s+READ\s+ONLY\s*;?\s*$`)
	endTxnRE       = regexp.MustCompile(`(?is)^\s*(COMMIT|ROLLBACK)(\s+WORK)?\s*;?\s*$`)
	dmlRE          = regexp.MustCompile(`(?is)^\s*(INSERT|UPDATE|DELETE|MERGE)\b`)
)

// txnEffect is what a statement does to the session's transaction.
type txnEffect int

const (
	txnNone txnEffect = iota
	txnReadOnly
	txnEnd
)

// translation is an Oracle statement made ready for SQLite.
type translation struct {
	sqlite string
	// params are the bind names in order of appearance; SQLite parameter
	// ?i+1 is params[i].
	params []string
	// noop: succeed without running anything.
	noop bool
	// txn is the statement's effect on the session's transaction.
	txn txnEffect
	// writes: the statement changes data (refused in a read-only transaction).
	writes bool
}

func translate(oracleSQL string) translation {
	switch {
	case alterSessionRE.MatchString(oracleSQL):
		return translation{noop: true}
	case readOnlyTxnRE.MatchString(oracleSQL):
		return translation{noop: true, txn: txnReadOnly}
	case endTxnRE.MatchString(oracleSQL):
		return translation{noop: true, txn: txnEnd}
	}
	q := castDateRE.ReplaceAllString(oracleSQL, "$1")
	q = fromDualRE.ReplaceAllString(q, "")
	q = sysTimestampRE.ReplaceAllString(q, "strftime('%Y-%m-%d %H:%M:%f', 'now')")
	q = sysDateRE.ReplaceAllString(q, "strftime('%Y-%m-%d %H:%M:%S', 'now')")
	n := 0
	q, params := sqltext.RewriteParams(q, sqltext.DialectStandard, func(string) string {
		n++
		return "?" + strconv.Itoa(n)
	})
	return translation{sqlite: strings.TrimRight(strings.TrimSpace(q), ";"), params: params, writes: dmlRE.MatchString(q)}
}

// arguments orders the bind values for SQLite. A client sends either one
// value per placeholder in order, or one per distinct name in order of
// first appearance; any other count is ORA-01008.
func (t translation) arguments(values []any) ([]any, error) {
	if len(values) == len(t.params) {
		return values, nil
	}
	first := map[string]int{}
	for _, p := range t.params {
		if _, ok := first[strings.ToUpper(p)]; !ok {
			first[strings.ToUpper(p)] = len(first)
		}
	}
	if len(values) != len(first) {
		return nil, &oraError{code: oraNotAllBound}
	}
	out := make([]any, len(t.params))
	for i, p := range t.params {
		out[i] = values[first[strings.ToUpper(p)]]
	}
	return out, nil
}
