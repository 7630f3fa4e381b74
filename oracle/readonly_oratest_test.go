package oracle

import (
	"strings"
	"testing"
)

// Every query cam runs on Oracle runs inside a read-only transaction: the
// session opens one at logon, and a pooled session handed out again ends
// the old one and opens a fresh one before the next query. Inside it the
// server refuses DML (ORA-01456), which the double does as a real server.
func TestQueriesRunInReadOnlyTransactionsOnTheWire(t *testing.T) {
	srv, db, o := serveSQLite(t, "CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1);")
	pool := openPool(t, db, o)
	pool.SetMaxOpenConns(1) // the second query reuses the session
	for i := 0; i < 2; i++ {
		rows, err := pool.Query("SELECT n FROM t")
		if err != nil {
			t.Fatal(err)
		}
		if n, err := drain(rows); n != 1 || err != nil {
			t.Fatalf("query %d: %d rows, %v", i+1, n, err)
		}
	}
	var texts []string
	for _, st := range srv.Record().Statements() {
		text := strings.ToUpper(strings.TrimSpace(st.SQL))
		if len(texts) == 0 && text != "SET TRANSACTION READ ONLY" {
			continue // go-ora's own session setup (its NLS query) comes first
		}
		texts = append(texts, text)
	}
	want := []string{"SET TRANSACTION READ ONLY", "SELECT N FROM T", "COMMIT", "SET TRANSACTION READ ONLY", "SELECT N FROM T"}
	if strings.Join(texts, " | ") != strings.Join(want, " | ") {
		t.Errorf("statements on the wire:\n  %s\nwant:\n  %s", strings.Join(texts, " | "), strings.Join(want, " | "))
	}
	_, err := pool.Exec("DELETE FROM t")
	if err == nil || !strings.Contains(err.Error(), "ORA-01456") {
		t.Errorf("DELETE in cam's session: %v, want ORA-01456 (read-only transaction)", err)
	}
}
