// Package sqltext reads SQL text the way each database does: a lexer per
// dialect (comments, strings, quoted identifiers, bind parameters), the
// check that a query file is one read-only statement, and the rewrites
// drivers need (bind parameters, a trailing ";", comments). It knows no
// driver by name: each driver declares its Dialect.
package sqltext

import (
	"fmt"
	"strings"
	"unicode"
)

// sqlToken is one lexical piece of a SQL text: a word, a quoted
// identifier, a bind parameter, a string, a semicolon, or one other byte.
// Comments are skipped, and strings and quoted identifiers are single
// tokens, so a keyword or a ":x" inside them is never mistaken for SQL.
type sqlToken struct {
	kind  tokenKind
	text  string // a word as written; a quoted identifier without its quotes; a parameter with its sigil
	start int    // byte offsets in the source
	end   int
}

type tokenKind int

const (
	tokWord tokenKind = iota
	tokIdent
	tokParam
	tokString
	tokSemicolon
	tokOther
)

// Dialect is the lexical flavour of a query file: where comments, strings
// and identifiers end, and which bind parameter forms a driver accepts,
// differ between Oracle, MySQL and SQLite. A file is lexed in its own
// driver's dialect only: what is a literal to one is code to another.
type Dialect int

// Dialects.
const (
	// DialectStandard is SQLite's: -- and /* */ comments, quotes doubled to
	// escape them, "", `` and [] quoted identifiers, and ?, ?NNN, :name,
	// @name, $name and #name parameters.
	DialectStandard Dialect = iota
	// DialectMySQL adds '#' comments, "-- " comments only when a space
	// follows, backslash escapes in strings, and executable comments
	// (/*! ... */, /*!50000 ... */, /*M! ... */) whose content is code.
	DialectMySQL
	// DialectOracle adds q'[...]' strings; '#' and '$' are identifier
	// bytes (SYS.OBJ$, OBJ#).
	DialectOracle
)

// DialectSQLite is DialectStandard under its driver's name.
const DialectSQLite = DialectStandard

// String names the dialect by its driver.
func (d Dialect) String() string {
	switch d {
	case DialectMySQL:
		return "mysql"
	case DialectOracle:
		return "oracle"
	}
	return "sqlite"
}

// lexMode is how a MySQL server reads strings, which depends on its
// sql_mode: cam cannot know it, so the check lexes a file every way.
type lexMode struct {
	noBackslash bool // NO_BACKSLASH_ESCAPES: \ is an ordinary byte in strings
	ansiQuotes  bool // ANSI_QUOTES: "x" is an identifier, not a string
}

// lexed is a lexed file: its tokens, and constructs the lexer itself
// refuses (a comment inside an executable comment).
type lexed struct {
	toks     []sqlToken
	problems []sqlProblem
}

// lexSQL splits sql into tokens in dialect d as a server with the default
// sql_mode reads it.
func lexSQL(sql string, d Dialect) []sqlToken { return lex(sql, d, lexMode{}).toks }

// lex splits sql into tokens, skipping comments. In MySQL the text of an
// executable comment is lexed as the code it is.
func lex(sql string, d Dialect, mode lexMode) lexed {
	var out lexed
	add := func(k tokenKind, text string, start, end int) {
		out.toks = append(out.toks, sqlToken{k, text, start, end})
	}
	inExec := false // inside a MySQL executable comment
	i := 0
	for i < len(sql) {
		c := sql[i]
		next := byte(0)
		if i+1 < len(sql) {
			next = sql[i+1]
		}
		switch {
		case d == DialectMySQL && c == '#', c == '-' && next == '-' && (d != DialectMySQL || mysqlDashComment(sql, i)):
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
		case d == DialectMySQL && inExec && c == '*' && next == '/':
			inExec = false
			i += 2
		case c == '/' && next == '*':
			if d == DialectMySQL {
				if n := execCommentMarker(sql[i:]); n > 0 {
					if inExec {
						out.problems = append(out.problems, sqlProblem{i, "an executable comment inside another", "is not read the same way by every server; remove the nesting"})
					}
					inExec = true
					i += n
					continue
				}
				if inExec {
					// MySQL ends the executable comment at this comment's */.
					out.problems = append(out.problems, sqlProblem{i, "a comment inside an executable comment", "is not read the same way by every server; remove it"})
				}
			}
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				i = len(sql)
			} else {
				i += end + 4
			}
		case d == DialectOracle && isQQuote(sql, i):
			start := i
			if c == 'n' || c == 'N' {
				i++
			}
			i = skipQQuote(sql, i)
			add(tokString, sql[start:i], start, i)
		case c == '\'':
			end := skipQuoted(sql, i, c, d == DialectMySQL && !mode.noBackslash)
			add(tokString, sql[i:end], i, end)
			i = end
		case c == '"' && d == DialectMySQL && !mode.ansiQuotes:
			end := skipQuoted(sql, i, c, !mode.noBackslash)
			add(tokString, sql[i:end], i, end)
			i = end
		case c == '"', c == '`' && d != DialectOracle:
			end := skipQuoted(sql, i, c, false)
			add(tokIdent, unquote(sql[i:end], c), i, end)
			i = end
		case c == '[' && d == DialectSQLite:
			end := strings.IndexByte(sql[i:], ']')
			if end < 0 {
				add(tokIdent, sql[i+1:], i, len(sql))
				i = len(sql)
				continue
			}
			add(tokIdent, sql[i+1:i+end], i, i+end+1)
			i += end + 1
		case c == ';':
			add(tokSemicolon, ";", i, i+1)
			i++
		case isParamStart(sql, i, d):
			j := paramEnd(sql, i, d)
			add(tokParam, sql[i:j], i, j)
			i = j
		case isWordStart(c):
			j := i
			for j < len(sql) && isWordByteIn(sql[j], d) {
				j++
			}
			add(tokWord, sql[i:j], i, j)
			i = j
		case unicode.IsSpace(rune(c)):
			i++
		default:
			add(tokOther, sql[i:i+1], i, i+1)
			i++
		}
	}
	return out
}

// mysqlDashComment reports whether the "--" at i starts a comment: MySQL
// needs a space or control character (or the end) after it; "1--1" is
// arithmetic, and what follows is code.
func mysqlDashComment(s string, i int) bool {
	return i+2 >= len(s) || s[i+2] <= ' '
}

// execCommentMarker returns the length of a MySQL or MariaDB executable
// comment opener at the start of s ("/*!", "/*!50000", "/*M!", "/*M!100100"),
// or 0.
func execCommentMarker(s string) int {
	n := 0
	switch {
	case strings.HasPrefix(s, "/*!"):
		n = 3
	case strings.HasPrefix(s, "/*M!"):
		n = 4
	default:
		return 0
	}
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// isQQuote reports whether an Oracle alternative-quoting literal
// (q'X...X' or nq'X...X') starts at i.
func isQQuote(s string, i int) bool {
	if isWordByteIn(prevByte(s, i), DialectOracle) {
		return false
	}
	j := i
	if s[j] == 'n' || s[j] == 'N' {
		j++
	}
	return j+2 < len(s) && (s[j] == 'q' || s[j] == 'Q') && s[j+1] == '\'' && !unicode.IsSpace(rune(s[j+2]))
}

// isParamStart reports whether a bind parameter starts at i: :name and :1
// in every dialect, ? and ?1 in every dialect (no driver of cam reads them
// as anything else), @name (not a MySQL @@system variable, not an Oracle
// table@dblink), $name and $1 where $ does not continue a word, and
// SQLite's #name.
func isParamStart(s string, i int, d Dialect) bool {
	c := s[i]
	next := byte(0)
	if i+1 < len(s) {
		next = s[i+1]
	}
	prev := prevByte(s, i)
	switch c {
	case '?':
		return true
	case ':':
		return prev != ':' && next != ':' && next != '=' && (isWordStart(next) || isDigit(next))
	case '@':
		if d == DialectMySQL && (next == '@' || prev == '@') {
			return false // @@session.x reads a system variable
		}
		if d == DialectOracle && (isWordByteIn(prev, d) || prev == '"') {
			return false // table@dblink
		}
		return isWordStart(next) || isDigit(next) || next == '\'' || next == '"' || next == '`'
	case '$':
		return !isWordByteIn(prev, d) && (isWordStart(next) || isDigit(next))
	case '#':
		return d == DialectSQLite && (isWordStart(next) || isDigit(next))
	}
	return false
}

// paramEnd is the end of the parameter starting at i.
func paramEnd(s string, i int, d Dialect) int {
	j := i + 1
	if j < len(s) && s[i] == '@' && (s[j] == '\'' || s[j] == '"' || s[j] == '`') {
		return skipQuoted(s, j, s[j], d == DialectMySQL && s[j] != '`')
	}
	for j < len(s) && isWordByteIn(s[j], d) {
		j++
	}
	return j
}

func prevByte(s string, i int) byte {
	if i == 0 {
		return ' '
	}
	return s[i-1]
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// isWordByteIn reports whether c continues an unquoted identifier in d.
func isWordByteIn(c byte, d Dialect) bool {
	return isWordStart(c) || isDigit(c) || c == '$' || (c == '#' && d == DialectOracle)
}

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

// unquote is a quoted identifier's name: quotes removed, doubled quotes
// halved.
func unquote(s string, q byte) string {
	s = strings.TrimPrefix(s, string(q))
	s = strings.TrimSuffix(s, string(q))
	return strings.ReplaceAll(s, string([]byte{q, q}), string(q))
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

// StartDateParam is the one bind parameter a query may use.
const StartDateParam = "start_date"

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
	for _, t := range lexSQL(sql, d) {
		if t.kind == tokParam && t.text[0] != ':' {
			return "", nil, fmt.Errorf("bind parameter %s is not supported (only :start_date)", t.text)
		}
	}
	return text, args, nil
}

// WithoutComments returns Oracle or SQLite text with its comments taken
// out: each stretch between two tokens that holds more than white space
// becomes one space, or one newline if it held one. go-ora v2.9.0 takes a
// quote inside a -- comment for the start of a string and then misses the
// bind parameters after it, so the Oracle driver sends its queries
// without comments. Not for MySQL, whose executable comments are code.
func WithoutComments(sql string, d Dialect) string {
	var b strings.Builder
	last := 0
	for _, t := range lexSQL(sql, d) {
		b.WriteString(commentFree(sql[last:t.start]))
		b.WriteString(sql[t.start:t.end])
		last = t.end
	}
	b.WriteString(commentFree(sql[last:]))
	return b.String()
}

// commentFree returns the text between two tokens with any comment in it
// reduced to one space or newline.
func commentFree(gap string) string {
	switch {
	case strings.TrimSpace(gap) == "":
		return gap
	case strings.Contains(gap, "\n"):
		return "\n"
	}
	return " "
}

// RewriteParams replaces every :name bind parameter outside strings,
// quoted identifiers and comments with repl(name), and returns the new text
// and the names in order of appearance. Drivers without named parameters
// (MySQL, SQLite) use it to turn :start_date into "?". Other parameter
// forms (?, :1, @x, $x) are left as written.
func RewriteParams(sql string, d Dialect, repl func(name string) string) (string, []string) {
	var b strings.Builder
	var names []string
	last := 0
	for _, t := range lexSQL(sql, d) {
		if t.kind != tokParam || t.text[0] != ':' || !isWordStart(t.text[1]) {
			continue
		}
		b.WriteString(sql[last:t.start])
		b.WriteString(repl(t.text[1:]))
		names = append(names, t.text[1:])
		last = t.end
	}
	b.WriteString(sql[last:])
	return b.String(), names
}
