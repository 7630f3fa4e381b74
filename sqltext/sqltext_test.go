package sqltext

import (
	"reflect"
	"strings"
	"testing"
)

// TestCheckReadOnlySQL is the SQL corpus: every construct the check must
// refuse or let through, in each driver's dialect. A case lists the
// dialects it is run in; want is a substring of the first problem, and
// "" means the file is acceptable.
func TestCheckReadOnlySQL(t *testing.T) {
	all := []Dialect{DialectOracle, DialectMySQL, DialectSQLite}
	oracle, mysql, sqlite := []Dialect{DialectOracle}, []Dialect{DialectMySQL}, []Dialect{DialectSQLite}
	cases := []struct {
		name     string
		dialects []Dialect
		sql      string
		want     string
	}{
		// Accepted.
		{"plain select", all, "SELECT * FROM t WHERE d >= :start_date", ""},
		{"upper-case parameter and trailing semicolon", all, "select * from t where d >= :START_DATE;", ""},
		{"comments and a CTE", all, "-- header ; DELETE\n/* DROP TABLE t; */ WITH x AS (SELECT 1 FROM dual) SELECT * FROM x", ""},
		{"keywords inside strings", all, "SELECT 'a;b', ':not_a_param', 'INTO OUTFILE' FROM t", ""},
		{"names that look like keywords", all, "SELECT t.update, x AS delete FROM t", ""},
		{"cast and time format", all, "SELECT CAST(d AS DATE), TO_CHAR(d, 'HH24:MI:SS') FROM t", ""},
		{"a column named comment", all, "SELECT comment, update_time FROM t WHERE update_time >= :start_date", ""},
		{"a column named sleep", mysql, "SELECT sleep, t.get_lock FROM t", ""},
		{"replace the function", all, "SELECT REPLACE(name, 'a', 'b') FROM t", ""},
		{"oracle q literal", oracle, "SELECT q'[it's; DELETE :x]' FROM dual", ""},
		{"oracle nq literal", oracle, "SELECT nq'{x;y}' FROM dual", ""},
		{"oracle identifiers with # and $", oracle, "SELECT obj#, name FROM sys.obj$ WHERE ctime >= :start_date", ""},
		{"oracle database link", oracle, "SELECT * FROM audit_log@remote_db WHERE ts >= :start_date", ""},
		{"oracle optimizer hint", oracle, "SELECT /*+ INDEX(t t_idx) */ * FROM t", ""},
		{"mysql use index", mysql, "SELECT * FROM t USE INDEX (idx_ts) WHERE ts >= :start_date", ""},
		{"mysql force index for join", mysql, "SELECT * FROM t FORCE INDEX FOR JOIN (idx_ts) IGNORE KEY (k) WHERE ts >= :start_date", ""},
		{"mysql cast character set", mysql, "SELECT CAST(x AS CHAR CHARACTER SET utf8mb4) FROM t", ""},
		{"mysql convert using", mysql, "SELECT CONVERT(x USING utf8mb4) COLLATE utf8mb4_bin FROM t", ""},
		{"mysql backslash escapes", mysql, "SELECT 'it\\'s' AS a, name LIKE 'a\\_%' FROM t", ""},
		{"mysql system variable", mysql, "SELECT @@session.time_zone, @@version FROM dual", ""},
		{"mysql optimizer hint", mysql, "SELECT /*+ MAX_EXECUTION_TIME(1000) */ * FROM t", ""},
		{"mysql hash comment", mysql, "SELECT 1 # DELETE FROM t; :x\n", ""},
		{"mysql dash comment", mysql, "SELECT 1 -- DELETE; :x\nFROM t", ""},
		{"sqlite bracket identifier", sqlite, "SELECT [select;drop] FROM t", ""},
		{"backtick identifier", []Dialect{DialectMySQL, DialectSQLite}, "SELECT `a;b`, `insert` FROM t", ""},

		// Not one read-only statement.
		{"empty file", all, "", "no SQL statement"},
		{"only a comment", all, "-- only a comment", "no SQL statement"},
		{"delete", all, "DELETE FROM t", "must start with SELECT or WITH"},
		{"second statement", all, "SELECT 1 FROM dual; DROP TABLE t", "only one statement"},
		{"empty second statement", all, "SELECT 1 FROM dual;;", "only one statement"},
		{"delete after a cte", all, "WITH d AS (SELECT 1 FROM t) DELETE FROM t", "DELETE deletes rows"},
		{"update after a cte", all, "WITH d AS (SELECT 1 FROM t) UPDATE t SET a = 1", "UPDATE writes rows"},
		{"q literal is not sqlite", sqlite, "SELECT q'[x' FROM t; ATTACH DATABASE '/tmp/x.db' AS x; SELECT ']' FROM t", "only one statement"},
		{"q literal is not mysql", mysql, "SELECT q'[x' FROM t; DROP TABLE t; SELECT ']' FROM t", "only one statement"},
		{"mysql dash needs a space", mysql, "SELECT 1--1; DROP TABLE t\n", "only one statement"},
		{"oracle has no backtick identifiers", oracle, "SELECT `x; DELETE FROM t` FROM dual", "only one statement"},

		// Writes, files and locks.
		{"into outfile", all, "SELECT * FROM t INTO OUTFILE '/tmp/x'", "INTO OUTFILE writes a file"},
		{"into dumpfile", all, "SELECT * FROM t INTO DUMPFILE '/tmp/x'", "INTO DUMPFILE writes a file"},
		{"into variable", mysql, "SELECT name INTO @v FROM t", "INTO @v writes a session variable"},
		{"into a table", oracle, "SELECT * INTO t2 FROM t", "INTO stores the result"},
		{"for update", all, "SELECT * FROM t FOR UPDATE", "FOR UPDATE locks"},
		{"for update nowait", oracle, "SELECT * FROM t FOR UPDATE OF a NOWAIT", "FOR UPDATE locks"},
		{"for share", mysql, "SELECT * FROM t FOR SHARE", "FOR SHARE locks"},
		{"lock in share mode", mysql, "SELECT * FROM t LOCK IN SHARE MODE", "LOCK IN SHARE MODE locks"},
		{"attach", sqlite, "SELECT 1; ATTACH DATABASE 'x.db' AS x", "only one statement"},
		{"attach after cte", sqlite, "WITH a AS (SELECT 1) ATTACH 'x' AS y", "ATTACH opens another database file"},
		{"detach", sqlite, "WITH a AS (SELECT 1) DETACH y", "DETACH changes"},
		{"pragma", sqlite, "WITH a AS (SELECT 1) PRAGMA writable_schema = 1", "PRAGMA changes"},
		{"pragma statement", sqlite, "PRAGMA query_only = 0", "must start with SELECT or WITH"},

		// MySQL executable comments are code.
		{"executable into outfile", mysql, "SELECT * FROM t /*!50000 INTO OUTFILE '/tmp/x' */", "INTO OUTFILE writes a file"},
		{"executable for update", mysql, "SELECT * FROM t /*! FOR UPDATE */", "FOR UPDATE locks"},
		{"mariadb executable comment", mysql, "SELECT * FROM t /*M!100100 LOCK IN SHARE MODE */", "LOCK IN SHARE MODE locks"},
		{"executable second statement", mysql, "SELECT 1 /*!; DROP TABLE t */", "only one statement"},
		{"executable sleep", mysql, "SELECT /*!SLEEP(10)*/ 1", "SLEEP() sleeps"},
		{"executable comment then code", mysql, "SELECT 1 /*!50000 , 2 */ FROM t INTO OUTFILE '/x'", "INTO OUTFILE"},
		{"comment inside executable comment", mysql, "SELECT 1 /*! /* x */ INTO OUTFILE '/x' */", "a comment inside an executable comment"},
		{"string hiding under no_backslash_escapes", mysql, "SELECT 'a\\' ; DROP TABLE t; SELECT '' FROM t", "only one statement"},
		{"double quotes under ansi_quotes", mysql, "SELECT \"a\\\" FROM t; DROP TABLE t -- \"", "only one statement"},

		// Bind parameters other than :start_date.
		{"named parameter", all, "SELECT * FROM t WHERE id = :user_id", "bind parameter :user_id"},
		{"repeated named parameter", all, "SELECT * FROM t WHERE id = :a AND b = :a", "bind parameter :a"},
		{"question mark", all, "SELECT * FROM t WHERE id = ?", "bind parameter ?"},
		{"numbered question mark", all, "SELECT * FROM t WHERE id = ?1", "bind parameter ?1"},
		{"oracle positional", all, "SELECT * FROM t WHERE id = :1", "bind parameter :1"},
		{"dollar number", all, "SELECT * FROM t WHERE id = $1", "bind parameter $1"},
		{"at name", all, "SELECT * FROM t WHERE id = @name", "bind parameter @name"},
		{"sqlite dollar name", sqlite, "SELECT * FROM t WHERE id = $name", "bind parameter $name"},
		{"sqlite hash name", sqlite, "SELECT * FROM t WHERE id = #name", "bind parameter #name"},
		{"mysql quoted user variable", mysql, "SELECT @'v' FROM t", "bind parameter @'v'"},

		// Calls acting outside the query.
		{"dbms_lock.sleep", oracle, "SELECT DBMS_LOCK.SLEEP(10) FROM dual", "DBMS_LOCK.SLEEP sleeps"},
		{"utl_http", oracle, "SELECT sys.utl_http.request('http://x') FROM dual", "UTL_HTTP.REQUEST reaches the network"},
		{"quoted utl_file", oracle, "SELECT \"UTL_FILE\".fopen('D', 'f', 'w') FROM dual", "UTL_FILE.FOPEN reads and writes"},
		{"dbms_pipe", oracle, "SELECT DBMS_PIPE.RECEIVE_MESSAGE('x', 10) FROM dual", "DBMS_PIPE.RECEIVE_MESSAGE talks"},
		{"dbms_scheduler", oracle, "SELECT 1 FROM dual WHERE DBMS_SCHEDULER.x = 1", "DBMS_SCHEDULER.X schedules"},
		{"dbms_sql", oracle, "SELECT DBMS_SQL.OPEN_CURSOR FROM dual", "DBMS_SQL.OPEN_CURSOR runs other SQL"},
		{"mysql sleep", mysql, "SELECT SLEEP (5) FROM t", "SLEEP() sleeps"},
		{"mysql get_lock", mysql, "SELECT GET_LOCK('x', 10)", "GET_LOCK() takes a named lock"},
		{"mysql load_file", mysql, "SELECT LOAD_FILE('/etc/passwd')", "LOAD_FILE() reads the server's files"},
		{"sqlite load_extension", sqlite, "SELECT load_extension('/tmp/x.so')", "LOAD_EXTENSION() loads native code"},
	}
	for _, c := range cases {
		for _, d := range c.dialects {
			t.Run(d.String()+"/"+c.name, func(t *testing.T) {
				got := CheckReadOnlySQL(c.sql, d)
				switch {
				case c.want == "" && len(got) > 0:
					t.Errorf("%q: unexpected problems %v", c.sql, got)
				case c.want != "" && !anyContains(got, c.want):
					t.Errorf("%q: got %v, want %q", c.sql, got, c.want)
				}
			})
		}
	}
}

func anyContains(list []string, want string) bool {
	for _, s := range list {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}

func TestCheckNamesTheLineAndTheConstruct(t *testing.T) {
	sql := "SELECT *\nFROM t\nWHERE a = 1 /*!50000 INTO OUTFILE '/tmp/x' */"
	got := CheckReadOnlySQL(sql, DialectMySQL)
	if len(got) != 1 || !strings.HasPrefix(got[0], "line 3: INTO OUTFILE ") {
		t.Errorf("got %q, want one problem starting \"line 3: INTO OUTFILE \"", got)
	}
}

func TestAllowFunctionsPermitsOnlyWhatItNames(t *testing.T) {
	cases := []struct {
		name  string
		d     Dialect
		sql   string
		allow []string
		ok    bool
	}{
		{"package allowed", DialectOracle, "SELECT DBMS_LOCK.SLEEP(1) FROM dual", []string{"dbms_lock"}, true},
		{"procedure allowed", DialectOracle, "SELECT DBMS_LOCK.SLEEP(1) FROM dual", []string{"DBMS_LOCK.SLEEP"}, true},
		{"other procedure of the package", DialectOracle, "SELECT DBMS_LOCK.REQUEST(1) FROM dual", []string{"DBMS_LOCK.SLEEP"}, false},
		{"other package", DialectOracle, "SELECT UTL_HTTP.REQUEST('x') FROM dual", []string{"DBMS_LOCK"}, false},
		{"mysql sleep allowed", DialectMySQL, "SELECT SLEEP(1)", []string{"SLEEP"}, true},
		{"mysql get_lock not allowed by sleep", DialectMySQL, "SELECT GET_LOCK('x', 1)", []string{"SLEEP"}, false},
		{"allowing a function never allows a write", DialectMySQL, "SELECT SLEEP(1) INTO OUTFILE '/x'", []string{"SLEEP"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := CheckQuerySQL(c.sql, c.d, c.allow)
			if (len(got) == 0) != c.ok {
				t.Errorf("%q with allow_functions %v: problems %v, want ok=%v", c.sql, c.allow, got, c.ok)
			}
		})
	}
}

func TestRewriteParams(t *testing.T) {
	sql := "SELECT ':start_date' /* :start_date */ FROM t WHERE a >= :start_date -- :x\n AND b < :start_date"
	got, names := RewriteParams(sql, DialectStandard, func(string) string { return "?" })
	want := "SELECT ':start_date' /* :start_date */ FROM t WHERE a >= ? -- :x\n AND b < ?"
	if got != want || !reflect.DeepEqual(names, []string{"start_date", "start_date"}) {
		t.Errorf("got %q %v", got, names)
	}
}

func TestBindPositionalPassesTheValueOncePerPlaceholder(t *testing.T) {
	got, args, err := BindPositional("SELECT 1 FROM t WHERE a >= :start_date AND b < :START_DATE # :start_date\n", DialectMySQL, "v")
	if err != nil || got != "SELECT 1 FROM t WHERE a >= ? AND b < ? # :start_date\n" || !reflect.DeepEqual(args, []any{"v", "v"}) {
		t.Errorf("got %q %v %v", got, args, err)
	}
	if _, _, err := BindPositional("SELECT :start_date, :user_id", DialectStandard, "v"); err == nil || !strings.Contains(err.Error(), ":user_id") {
		t.Errorf("an unknown parameter: err = %v, want one naming :user_id", err)
	}
}

func TestMySQLDialectCommentsAndBackslashEscapes(t *testing.T) {
	sql := "SELECT 'it\\'s :start_date' AS a, \"x\\\" :start_date\" # :start_date here\nFROM t WHERE ts >= :start_date"
	got, names := RewriteParams(sql, DialectMySQL, func(string) string { return "?" })
	want := "SELECT 'it\\'s :start_date' AS a, \"x\\\" :start_date\" # :start_date here\nFROM t WHERE ts >= ?"
	if got != want || len(names) != 1 {
		t.Errorf("mysql rewrite:\n got %q %v\nwant %q", got, names, want)
	}
	// A DELETE hidden after a MySQL comment is still found; one inside a
	// '#' comment is not SQL at all.
	if p := CheckReadOnlySQL("SELECT 1 # DELETE FROM t\n", DialectMySQL); len(p) != 0 {
		t.Errorf("comment taken for SQL: %v", p)
	}
	// After 'it\'s' the string has ended: what follows is SQL.
	if p := CheckReadOnlySQL("SELECT 'it\\'s' AS a; DELETE FROM t", DialectMySQL); len(p) == 0 {
		t.Error("a statement after a backslash-escaped quote was missed")
	}
}

func FuzzCheckReadOnlySQL(f *testing.F) {
	for _, s := range []string{"SELECT 1", "q'[x]'", "'unterminated", "/* open", "SELECT :start_date;", ":", "q'",
		"SELECT 1 /*!50000 INTO OUTFILE '/x' */", "/*M!", "/*!", "SELECT 'a\\' ; DROP", "nq'", "@'", "[", "SELECT 1--1;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		for _, d := range []Dialect{DialectOracle, DialectMySQL, DialectSQLite} {
			problems := CheckReadOnlySQL(sql, d)
			for _, p := range problems {
				if !strings.HasPrefix(p, "line ") {
					t.Fatalf("%s: problem %q names no line", d, p)
				}
			}
			// A semicolon the lexer sees before the last token is always
			// refused, in every dialect: what it reads as code is code.
			toks := lexSQL(sql, d)
			for i, tok := range toks {
				if tok.kind == tokSemicolon && i != len(toks)-1 && !anyContains(problems, "only one statement") {
					t.Fatalf("%s: %q has a second statement the check let through", d, sql)
				}
			}
			text, _ := RewriteParams(sql, d, func(string) string { return ":start_date" })
			if text != sql && !strings.Contains(sql, ":") {
				t.Fatalf("%s: rewrite changed %q without a parameter", d, sql)
			}
		}
	})
}

// FuzzMySQLExecutableComments: whatever an executable comment holds is
// checked as code, so hiding a construct the check refuses inside one
// never makes a file pass.
func FuzzMySQLExecutableComments(f *testing.F) {
	for _, s := range []string{"INTO OUTFILE '/x'", "FOR UPDATE", "; DROP TABLE t", ", SLEEP(5)", "LOCK IN SHARE MODE", ", @v", "INTO @v"} {
		f.Add(s, "50000")
	}
	f.Fuzz(func(t *testing.T, code, version string) {
		if strings.Contains(code, "*/") || strings.Contains(code, "/*") || strings.ContainsAny(code, "#'\"`\\-") {
			return // comments and quotes of the code's own are another test's business
		}
		version = strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, version)
		plain := CheckReadOnlySQL("SELECT a FROM t "+code, DialectMySQL)
		if len(plain) == 0 {
			return
		}
		for _, opener := range []string{"/*!", "/*!" + version, "/*M!", "/*M!" + version} {
			hidden := "SELECT a FROM t " + opener + " " + code + " */"
			if len(CheckReadOnlySQL(hidden, DialectMySQL)) == 0 {
				t.Fatalf("%q is refused (%v) but passes inside %q", code, plain, hidden)
			}
		}
	})
}

// FuzzOracleQuotingOnlyInOracle: text after a q'[ that SQLite and MySQL
// read as code is checked as code in those dialects: a construct refused
// in plain sight is refused behind what Oracle would read as a literal.
func FuzzOracleQuotingOnlyInOracle(f *testing.F) {
	f.Add("; ATTACH DATABASE x AS y")
	f.Add("; DELETE FROM t")
	f.Add("FOR UPDATE")
	f.Fuzz(func(t *testing.T, tail string) {
		if strings.ContainsAny(tail, "'\"`[]#-/\\") {
			return // quotes and comments of the tail's own are another test's business
		}
		for _, d := range []Dialect{DialectSQLite, DialectMySQL} {
			if len(CheckReadOnlySQL("SELECT a FROM t WHERE b = 1 "+tail, d)) == 0 {
				continue
			}
			hidden := "SELECT q'[x' FROM t WHERE b = 1 " + tail + " -- ]'"
			if len(CheckReadOnlySQL(hidden, d)) == 0 {
				t.Fatalf("%s: %q hides %q behind an Oracle literal", d, hidden, tail)
			}
		}
	})
}

func TestWithoutComments(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		d              Dialect
	}{
		{"line comment", "-- it's\nSELECT 1", "\nSELECT 1", DialectOracle},
		{"block comment", "SELECT /* it's */ 1", "SELECT 1", DialectOracle},
		{"trailing line comment", "SELECT 1 FROM t -- don't", "SELECT 1 FROM t ", DialectOracle},
		{"comment markers in strings stay", "SELECT '--x', '/*y*/', \"a--b\" FROM t", "SELECT '--x', '/*y*/', \"a--b\" FROM t", DialectOracle},
		{"q-quoted literal stays", "SELECT q'[--]' FROM t -- z", "SELECT q'[--]' FROM t ", DialectOracle},
		{"white space stays", "SELECT a,\n  b\tFROM t", "SELECT a,\n  b\tFROM t", DialectSQLite},
		{"unterminated block comment", "SELECT 1 /* open", "SELECT 1 ", DialectOracle},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := WithoutComments(tc.in, tc.d); got != tc.want {
				t.Errorf("WithoutComments(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
