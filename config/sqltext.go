package config

import (
	"fmt"
	"strings"
	"unicode"
)

// sqlToken is one lexical piece of a SQL text that matters to cam: a word,
// a bind parameter, a semicolon, or anything else. Strings, quoted
// identifiers and comments are skipped, so a keyword or a ":x" inside them
// is never mistaken for SQL.
type sqlToken struct {
	kind  tokenKind
	text  string
	start int // byte offsets in the source
	end   int
}

type tokenKind int

const (
	tokWord tokenKind = iota
	tokParam
	tokSemicolon
	tokOther
)

// Dialect is the lexical flavour of a query file: where comments and
// strings end differs between Oracle (and SQLite) and MySQL.
type Dialect int

// Dialects.
const (
	// DialectStandard: -- and /* */ comments, quotes doubled to escape
	// them, Oracle's q'[...]' strings; '#' and '$' are identifier bytes.
	DialectStandard Dialect = iota
	// DialectMySQL adds '#' comments and backslash escapes inside strings.
	DialectMySQL
)

// DialectOf is the dialect of a databases.yaml driver.
func DialectOf(driver string) Dialect {
	if driver == DriverMySQL {
		return DialectMySQL
	}
	return DialectStandard
}

// lexSQL splits sql into tokens, skipping comments, string literals
// (including Oracle's q'[...]' form) and quoted identifiers.
func lexSQL(sql string, d Dialect) []sqlToken {
	var toks []sqlToken
	i := 0
	for i < len(sql) {
		c := sql[i]
		switch {
		case c == '#' && d == DialectMySQL:
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				i = len(sql)
			} else {
				i += end + 4
			}
		case (c == 'q' || c == 'Q') && d == DialectStandard && i+2 < len(sql) && sql[i+1] == '\'' && !isWordByte(prevByte(sql, i)):
			i = skipQQuote(sql, i)
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(sql, i, c, d == DialectMySQL && c != '`')
		case c == ':' && i+1 < len(sql) && isWordStart(sql[i+1]) && prevByte(sql, i) != ':':
			j := i + 1
			for j < len(sql) && isWordByte(sql[j]) {
				j++
			}
			toks = append(toks, sqlToken{tokParam, sql[i+1 : j], i, j})
			i = j
		case c == ';':
			toks = append(toks, sqlToken{tokSemicolon, ";", i, i + 1})
			i++
		case isWordStart(c):
			j := i
			for j < len(sql) && isWordByte(sql[j]) {
				j++
			}
			toks = append(toks, sqlToken{tokWord, sql[i:j], i, j})
			i = j
		case unicode.IsSpace(rune(c)):
			i++
		default:
			toks = append(toks, sqlToken{tokOther, sql[i : i+1], i, i + 1})
			i++
		}
	}
	return toks
}

func prevByte(s string, i int) byte {
	if i == 0 {
		return ' '
	}
	return s[i-1]
}

func isWordStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isWordByte(c byte) bool { return isWordStart(c) || c >= '0' && c <= '9' || c == '$' || c == '#' }

// skipQuoted returns the index after the quoted run starting at i; a
// doubled quote is an escaped quote, and so, with backslash, is \'.
func skipQuoted(s string, i int, q byte, backslash bool) int {
	for j := i + 1; j < len(s); j++ {
		if backslash && s[j] == '\\' {
			j++ // the next byte is escaped, whatever it is
			continue
		}
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// skipQQuote skips Oracle's alternative quoting q'X...X' where X is a
// delimiter, and [ ( { < close with ] ) } >.
func skipQQuote(s string, i int) int {
	open := s[i+2]
	closeCh := map[byte]byte{'[': ']', '(': ')', '{': '}', '<': '>'}[open]
	if closeCh == 0 {
		closeCh = open
	}
	end := strings.Index(s[i+3:], string([]byte{closeCh, '\''}))
	if end < 0 {
		return len(s)
	}
	return i + 3 + end + 2
}

// forbiddenWords are statements or clauses that write, change schema, run
// code or lock rows. An audit query must do none of them.
var forbiddenWords = map[string]string{
	"INSERT": "writes rows", "UPDATE": "writes rows", "DELETE": "deletes rows", "MERGE": "writes rows",
	"UPSERT": "writes rows", "TRUNCATE": "deletes rows",
	"DROP": "changes the schema", "ALTER": "changes the schema", "CREATE": "changes the schema",
	"RENAME": "changes the schema", "COMMENT": "changes the schema",
	"GRANT": "changes privileges", "REVOKE": "changes privileges",
	"EXEC": "runs code", "EXECUTE": "runs code", "CALL": "runs code", "BEGIN": "runs PL/SQL",
	"DECLARE": "runs PL/SQL", "LOCK": "locks tables", "COMMIT": "ends a transaction", "ROLLBACK": "ends a transaction",
	"SET": "changes session state", "USE": "changes session state", "LOAD": "loads data", "HANDLER": "reads around locks",
}

// StartDateParam is the one bind parameter a query may use.
const StartDateParam = "start_date"

// CheckReadOnlySQL returns what is wrong with sql as an audit query: it
// must be one SELECT or WITH statement (comments and one trailing ";"
// allowed), with no DML, DDL or row locks, using no bind parameter other
// than :start_date.
func CheckReadOnlySQL(sql string, d Dialect) []string {
	toks := lexSQL(sql, d)
	if len(toks) == 0 {
		return []string{"the file holds no SQL statement"}
	}
	var problems []string
	first := strings.ToUpper(toks[0].text)
	if toks[0].kind != tokWord || (first != "SELECT" && first != "WITH") {
		problems = append(problems, "the statement must start with SELECT or WITH, not "+quoteWord(toks[0].text))
	}
	seen := map[string]bool{}
	for i, t := range toks {
		switch t.kind {
		case tokSemicolon:
			if i != len(toks)-1 {
				problems = append(problems, "only one statement is allowed (found text after ';')")
				return problems
			}
		case tokParam:
			if !strings.EqualFold(t.text, StartDateParam) && !seen[t.text] {
				seen[t.text] = true
				problems = append(problems, "bind parameter :"+t.text+" is not supported (only :start_date)")
			}
		case tokWord:
			w := strings.ToUpper(t.text)
			if w == "FOR" && i+1 < len(toks) && strings.EqualFold(toks[i+1].text, "UPDATE") {
				problems = append(problems, "FOR UPDATE locks production rows; remove it")
				return problems
			}
			if why, bad := forbiddenWords[w]; bad && !seen["kw:"+w] && !isColumnContext(toks, i) {
				seen["kw:"+w] = true
				problems = append(problems, w+" "+why+"; audit queries must be read-only")
			}
		}
	}
	return problems
}

// isColumnContext reports whether the word at i is used as a name rather
// than a keyword: right after a "." (t.update) or after AS.
func isColumnContext(toks []sqlToken, i int) bool {
	if i == 0 {
		return false
	}
	prev := toks[i-1]
	return prev.text == "." || strings.EqualFold(prev.text, "AS")
}

func quoteWord(s string) string { return "\"" + s + "\"" }

// BindPositional is Bind for drivers without named parameters (MySQL,
// SQLite): each :start_date becomes "?" and value is passed once per
// occurrence. Any other parameter is an error; loading the configuration
// refuses such files already, so this guards configurations built in code.
func BindPositional(sql string, d Dialect, value any) (string, []any, error) {
	text, names := RewriteParams(sql, d, func(string) string { return "?" })
	args := make([]any, 0, len(names))
	for _, n := range names {
		if !strings.EqualFold(n, StartDateParam) {
			return "", nil, fmt.Errorf("bind parameter :%s is not supported (only :start_date)", n)
		}
		args = append(args, value)
	}
	return text, args, nil
}

// RewriteParams replaces every :name bind parameter outside strings,
// quoted identifiers and comments with repl(name), and returns the new text
// and the names in order of appearance. Drivers without named parameters
// (MySQL, SQLite) use it to turn :start_date into "?".
func RewriteParams(sql string, d Dialect, repl func(name string) string) (string, []string) {
	var b strings.Builder
	var names []string
	last := 0
	for _, t := range lexSQL(sql, d) {
		if t.kind != tokParam {
			continue
		}
		b.WriteString(sql[last:t.start])
		b.WriteString(repl(t.text))
		names = append(names, t.text)
		last = t.end
	}
	b.WriteString(sql[last:])
	return b.String(), names
}
