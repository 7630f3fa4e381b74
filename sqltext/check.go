package sqltext

import (
	"fmt"
	"sort"
	"strings"

	"cam/internal/inert"
)

// sqlProblem is one construct a query file may not hold, at byte pos.
type sqlProblem struct {
	pos       int
	construct string // what was found, as the admin would search for it: "INTO OUTFILE", "?1"
	why       string // what it does and what to do
}

// writeWords are keywords that write, change schema or session state,
// run code or lock. In a single SELECT or WITH statement they can only
// appear as keywords after a CTE list (WITH x AS (...) DELETE ...) or in
// a MySQL executable comment, but they are refused wherever they are
// used as keywords.
var writeWords = map[string]string{
	"INSERT": "writes rows", "UPDATE": "writes rows", "DELETE": "deletes rows", "MERGE": "writes rows",
	"UPSERT": "writes rows", "REPLACE": "writes rows", "TRUNCATE": "deletes rows",
	"DROP": "changes the schema", "ALTER": "changes the schema", "CREATE": "changes the schema",
	"RENAME": "changes the schema", "GRANT": "changes privileges", "REVOKE": "changes privileges",
	"EXEC": "runs code", "EXECUTE": "runs code", "CALL": "runs code", "PREPARE": "runs code",
	"DEALLOCATE": "runs code", "BEGIN": "runs PL/SQL", "DECLARE": "runs PL/SQL",
	"LOCK": "locks tables", "UNLOCK": "unlocks tables",
	"COMMIT": "ends a transaction", "ROLLBACK": "ends a transaction", "SAVEPOINT": "changes the transaction",
	"SET": "changes session state", "USE": "changes session state", "LOAD": "loads data",
	"HANDLER": "reads around locks", "ATTACH": "opens another database file", "DETACH": "changes the attached databases",
	"PRAGMA": "changes SQLite's settings", "VACUUM": "rewrites the database file", "REINDEX": "rewrites indexes",
	"ANALYZE": "writes statistics", "OPTIMIZE": "rewrites tables", "FLUSH": "changes server state",
	"KILL": "stops sessions", "SHUTDOWN": "stops the server", "PURGE": "deletes logs", "RESET": "changes server state",
	"INSTALL": "changes the server", "UNINSTALL": "changes the server",
}

// statementWords start statements that are not queries; a file starting
// with one is named by it in the problem.
var statementWords = map[string]bool{"EXPLAIN": true, "SHOW": true, "DESCRIBE": true, "DESC": true, "VALUES": true,
	"TABLE": true, "DO": true, "END": true, "WHERE": true, "FROM": true}

// outsideCalls are, per dialect, the functions and packages that act
// outside the query: sleep or take locks (holding a connection or rows),
// reach the network or the server's files, or run other SQL. A database
// entry's allow_functions may name them.
var outsideCalls = map[Dialect]map[string]string{
	DialectOracle: {
		"DBMS_LOCK": "sleeps or takes locks", "DBMS_SESSION": "sleeps or changes the session",
		"UTL_HTTP": "reaches the network", "HTTPURITYPE": "reaches the network", "UTL_TCP": "reaches the network",
		"UTL_SMTP": "sends mail", "UTL_MAIL": "sends mail", "UTL_INADDR": "reaches the network",
		"DBMS_LDAP": "reaches the network", "UTL_FILE": "reads and writes the server's files",
		"DBMS_PIPE": "talks to other sessions", "DBMS_ALERT": "talks to other sessions", "DBMS_AQ": "queues messages",
		"DBMS_SCHEDULER": "schedules jobs", "DBMS_JOB": "schedules jobs", "DBMS_SQL": "runs other SQL",
		"DBMS_JAVA": "runs Java",
	},
	DialectMySQL: {
		"SLEEP": "sleeps, holding a connection", "BENCHMARK": "burns server CPU",
		"GET_LOCK": "takes a named lock", "RELEASE_LOCK": "releases a named lock", "RELEASE_ALL_LOCKS": "releases named locks",
		"LOAD_FILE": "reads the server's files", "MASTER_POS_WAIT": "waits on replication",
		"SOURCE_POS_WAIT": "waits on replication", "WAIT_FOR_EXECUTED_GTID_SET": "waits on replication",
		"WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS": "waits on replication",
	},
	DialectSQLite: {
		"LOAD_EXTENSION": "loads native code", "FTS3_TOKENIZER": "registers native code",
		"READFILE": "reads files", "WRITEFILE": "writes files", "EDIT": "starts an editor",
	},
}

// OutsideCalls lists, sorted, the function and package names a query in
// dialect d may only call when allow_functions names them.
func OutsideCalls(d Dialect) []string {
	var out []string
	for name := range outsideCalls[d] {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// IsOutsideCall reports whether name (upper case; PKG or PKG.PROC for
// Oracle) is one that allow_functions may name in dialect d.
func IsOutsideCall(d Dialect, name string) bool {
	pkg, _, _ := strings.Cut(name, ".")
	if d != DialectOracle && pkg != name {
		return false
	}
	_, ok := outsideCalls[d][pkg]
	return ok
}

// CheckReadOnlySQL returns what is wrong with sql as an audit query in
// dialect d, each problem naming its line and construct: it must be one
// SELECT or WITH statement (comments and one trailing ";" allowed), with
// no writes, row locks, INTO, second statement or call acting outside the
// query, using no bind parameter other than :start_date.
func CheckReadOnlySQL(sql string, d Dialect) []string { return CheckQuerySQL(sql, d, nil) }

// CheckQuerySQL is CheckReadOnlySQL for a database whose allow_functions
// lists allow (names as OutsideCalls gives them, or PKG.PROC for Oracle).
func CheckQuerySQL(sql string, d Dialect, allow []string) []string {
	allowed := map[string]bool{}
	for _, a := range allow {
		allowed[strings.ToUpper(strings.TrimSpace(a))] = true
	}
	modes := []lexMode{{}}
	if d == DialectMySQL {
		// The server's sql_mode decides how strings end; a file must be
		// safe however it is read.
		modes = []lexMode{{}, {noBackslash: true}, {ansiQuotes: true}, {noBackslash: true, ansiQuotes: true}}
	}
	first := map[string]int{} // problem text -> earliest position
	for _, mode := range modes {
		l := lex(sql, d, mode)
		for _, p := range append(l.problems, checkTokens(l.toks, d, allowed)...) {
			text := strings.TrimSpace(p.construct + " " + p.why)
			if pos, seen := first[text]; !seen || p.pos < pos {
				first[text] = p.pos
			}
		}
	}
	type located struct {
		pos  int
		text string
	}
	var list []located
	for text, pos := range first {
		list = append(list, located{pos, text})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].pos != list[j].pos {
			return list[i].pos < list[j].pos
		}
		return list[i].text < list[j].text
	})
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = fmt.Sprintf("line %d: %s", lineOf(sql, p.pos), p.text)
	}
	return out
}

func lineOf(s string, pos int) int { return 1 + strings.Count(s[:min(pos, len(s))], "\n") }

// checkTokens finds the refused constructs in one lexing of a file.
func checkTokens(toks []sqlToken, d Dialect, allowed map[string]bool) []sqlProblem {
	if len(toks) == 0 {
		return []sqlProblem{{0, "", "the file holds no SQL statement"}}
	}
	var out []sqlProblem
	add := func(t sqlToken, construct, why string) { out = append(out, sqlProblem{t.start, construct, why}) }
	word := func(i int) string { // upper-case keyword at i, "" when none
		if i < 0 || i >= len(toks) || toks[i].kind != tokWord {
			return ""
		}
		return strings.ToUpper(toks[i].text)
	}
	text := func(i int) string {
		if i < 0 || i >= len(toks) {
			return ""
		}
		return toks[i].text
	}
	if w := word(0); w != "SELECT" && w != "WITH" {
		// A file that is not a query may be anything (a credentials file
		// named by mistake): say only that, and quote its first word only
		// when it is an SQL keyword.
		what := "a word that is not SQL (the file's text is not shown)"
		if _, known := writeWords[w]; known || statementWords[w] {
			what = quoteWord(w)
		}
		add(toks[0], "", "the statement must start with SELECT or WITH, not "+what)
		return out
	}
	for i, t := range toks {
		switch t.kind {
		case tokSemicolon:
			if i != len(toks)-1 {
				add(t, "", "only one statement is allowed (found text after ';')")
			}
		case tokParam:
			if !strings.EqualFold(t.text, ":"+StartDateParam) {
				add(t, "bind parameter "+excerpt(t.text), "is not supported (only :start_date)")
			}
		case tokWord, tokIdent:
			w := strings.ToUpper(t.text)
			if t.kind == tokWord {
				if construct, why := keywordProblem(w, word(i-1), word(i+1), word(i+2), word(i+3), text(i-1), text(i+1)); why != "" {
					add(t, construct, why)
				}
			}
			if name, why := outsideCall(d, w, text(i+1), toks, i); why != "" && !allowed[name] && !allowed[w] {
				shown := name
				if d != DialectOracle {
					shown += "()"
				}
				add(t, shown, why+"; audit queries must not act outside the query (allow_functions: ["+name+"] in the database entry permits it)")
			}
		}
	}
	return out
}

// keywordProblem is what is wrong with keyword w, given the words and
// texts around it; why is "" when nothing is.
func keywordProblem(w, prevW, next1, next2, next3, prevText, nextText string) (string, string) {
	switch w {
	case "FOR":
		switch {
		case next1 == "UPDATE", next1 == "NO" && next2 == "KEY" && next3 == "UPDATE":
			return "FOR UPDATE", "locks production rows; remove it"
		case next1 == "SHARE", next1 == "KEY" && next2 == "SHARE":
			return "FOR SHARE", "locks production rows; remove it"
		}
		return "", ""
	case "LOCK":
		if next1 == "IN" && next2 == "SHARE" && next3 == "MODE" {
			return "LOCK IN SHARE MODE", "locks production rows; remove it"
		}
	case "INTO":
		switch {
		case next1 == "OUTFILE":
			return "INTO OUTFILE", "writes a file on the database server; audit queries only return rows"
		case next1 == "DUMPFILE":
			return "INTO DUMPFILE", "writes a file on the database server; audit queries only return rows"
		case strings.HasPrefix(nextText, "@"):
			return "INTO " + excerpt(nextText), "writes a session variable; audit queries only return rows"
		}
		return "INTO", "stores the result instead of returning it; audit queries only return rows"
	case "UPDATE":
		if prevW == "FOR" || prevW == "KEY" {
			return "", "" // reported as FOR UPDATE
		}
	case "SET":
		if prevW == "CHARACTER" || prevW == "CHAR" {
			return "", "" // CAST(x AS CHAR CHARACTER SET utf8mb4)
		}
	case "USE":
		if next1 == "INDEX" || next1 == "KEY" {
			return "", "" // a MySQL index hint
		}
	case "REPLACE":
		if nextText == "(" {
			return "", "" // the string function
		}
	}
	why, bad := writeWords[w]
	if !bad || prevText == "." || prevW == "AS" || nextText == "." {
		return "", "" // a name: t.update, x AS delete, lock.col
	}
	return w, why + "; audit queries must be read-only"
}

// outsideCall names the call at toks[i] (upper-case word w) as
// allow_functions would, and says what it does, when it is one of
// outsideCalls[d]; why is "" otherwise. MySQL and SQLite functions count
// only when called ("sleep" may be a column); an Oracle package counts
// wherever it is named, and is named PKG.PROC when a procedure follows.
func outsideCall(d Dialect, w, nextText string, toks []sqlToken, i int) (string, string) {
	why, ok := outsideCalls[d][w]
	if !ok {
		return "", ""
	}
	if d != DialectOracle {
		if nextText != "(" {
			return "", ""
		}
		return w, why
	}
	if nextText == "." && i+2 < len(toks) && (toks[i+2].kind == tokWord || toks[i+2].kind == tokIdent) {
		return w + "." + excerpt(strings.ToUpper(toks[i+2].text)), why
	}
	return w, why
}

func quoteWord(s string) string { return "\"" + s + "\"" }

// maxExcerpt is the most characters of a file's own text a problem
// quotes.
const maxExcerpt = 16

// excerpt is a short, inert piece of a file's text for a problem: at most
// maxExcerpt characters, controls escaped, "…" when cut.
func excerpt(s string) string {
	r := []rune(s)
	if len(r) > maxExcerpt {
		return inert.Text(string(r[:maxExcerpt])) + "…"
	}
	return inert.Text(s)
}
