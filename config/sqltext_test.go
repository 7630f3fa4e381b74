package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestCheckReadOnlySQL(t *testing.T) {
	cases := []struct {
		sql  string
		want string // substring of the first problem; "" means acceptable
	}{
		{"SELECT * FROM t WHERE d >= :start_date", ""},
		{"select * from t where d >= :START_DATE;", ""},
		{"-- header ; DELETE\n/* DROP TABLE t; */ WITH x AS (SELECT 1 FROM dual) SELECT * FROM x", ""},
		{"SELECT 'a;b', ':not_a_param', \"DELETE\" FROM t", ""},
		{"SELECT q'[it's; DELETE :x]' FROM dual", ""},
		{"SELECT t.update, x AS delete FROM t", ""},
		{"SELECT CAST(d AS DATE), TO_CHAR(d, 'HH24:MI:SS') FROM t", ""},
		{"", "no SQL statement"},
		{"-- only a comment", "no SQL statement"},
		{"DELETE FROM t", "must start with SELECT or WITH"},
		{"SELECT 1 FROM dual; DROP TABLE t", "only one statement"},
		{"SELECT 1 FROM dual;;", "only one statement"},
		{"WITH d AS (SELECT 1 FROM t) DELETE FROM t", "DELETE deletes rows"},
		{"SELECT * FROM t FOR UPDATE", "FOR UPDATE locks"},
		{"SELECT * FROM t WHERE id = :user_id", "bind parameter :user_id"},
		{"SELECT * FROM t WHERE id = :a AND b = :a", "bind parameter :a"},
	}
	for _, c := range cases {
		got := CheckReadOnlySQL(c.sql, DialectStandard)
		switch {
		case c.want == "" && len(got) > 0:
			t.Errorf("%q: unexpected problems %v", c.sql, got)
		case c.want != "" && (len(got) == 0 || !strings.Contains(got[0], c.want)):
			t.Errorf("%q: got %v, want %q", c.sql, got, c.want)
		}
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
	// Oracle keeps '#' as an identifier byte (SYS.OBJ#).
	if p := CheckReadOnlySQL("SELECT obj# FROM sys.obj$", DialectStandard); len(p) != 0 {
		t.Errorf("oracle identifier with #: %v", p)
	}
}

func FuzzCheckReadOnlySQL(f *testing.F) {
	for _, s := range []string{"SELECT 1", "q'[x]'", "'unterminated", "/* open", "SELECT :start_date;", ":", "q'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		for _, d := range []Dialect{DialectStandard, DialectMySQL} {
			CheckReadOnlySQL(sql, d)
			RewriteParams(sql, d, func(string) string { return "?" })
		}
	})
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(goodDatabases), []byte("user_settings:\n  sid: A12345\n"))
	f.Add([]byte("databases: 3"), []byte("detection: [1, 2]"))
	f.Add([]byte("databases:\n  - sql_queries: {a: 1}\n"), []byte("app_settings:\n  email_recipients: 5\n"))
	f.Fuzz(func(t *testing.T, databases, settings []byte) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "databases.yaml"), databases, 0o600)
		os.WriteFile(filepath.Join(dir, "app_settings.yaml"), settings, 0o600)
		cfg, err := Load(dir)
		if err == nil && cfg == nil {
			t.Fatal("nil config without error")
		}
	})
}
