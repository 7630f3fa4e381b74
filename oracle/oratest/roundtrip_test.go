package oratest

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/sijms/go-ora/v2/network"
)

func TestGoOraLogsOnBindsAndFetchesEveryType(t *testing.T) {
	srv := startFixture(t)
	db := open(t, srv, "CLIENT_AUDIT", testPassword, map[string]string{"PREFETCH_ROWS": "2", "SERVER LOCATION": "UTC"})
	rows, err := db.QueryContext(context.Background(),
		"SELECT id, name, amount, d, ts, tstz, note FROM t WHERE grp = :grp ORDER BY id", sql.Named("grp", "g1"))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type row struct {
		id, amount  float64
		name        string
		d, ts, tstz time.Time
		note        sql.NullString
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.name, &r.amount, &r.d, &r.ts, &r.tstz, &r.note); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d rows, want 2", len(got))
	}
	first := got[0]
	if first.id != 1 || first.name != "one" || first.amount != -12.5 || first.note.Valid {
		t.Errorf("row 1: %+v", first)
	}
	if want := time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC); !first.d.Equal(want) {
		t.Errorf("DATE: got %v, want %v", first.d, want)
	}
	if first.ts.Nanosecond() != 123456000 || first.ts.Second() != 15 {
		t.Errorf("TIMESTAMP: got %v", first.ts)
	}
	if _, off := first.tstz.Zone(); off != 5*3600+1800 || first.tstz.Hour() != 13 || first.tstz.Nanosecond() != 500000000 {
		t.Errorf("TIMESTAMP WITH TIME ZONE: got %v", first.tstz)
	}
	if got[1].amount != 0.01 || got[1].note.String != "x" {
		t.Errorf("row 2: %+v", got[1])
	}
	st := findStatement(t, srv, "FROM t WHERE grp")
	if len(st.Binds) != 1 || st.Binds[0].Type != "VARCHAR2" || st.Binds[0].Value != "g1" {
		t.Errorf("binds: %+v", st.Binds)
	}
	if st.Prefetch != 2 || st.FirstBatch != 2 {
		t.Errorf("first batch: asked %d, sent %d", st.Prefetch, st.FirstBatch)
	}
	logins := srv.Record().Logins()
	if len(logins) != 1 || !logins[0].OK || logins[0].User != "CAM" || logins[0].Method != "password" || logins[0].Service != "CLIENT_AUDIT" {
		t.Errorf("logins: %+v", logins)
	}
}

// findStatement returns the last statement whose text contains part.
func findStatement(t *testing.T, srv *Server, part string) Statement {
	t.Helper()
	sts := srv.Record().Statements()
	for i := len(sts) - 1; i >= 0; i-- {
		if containsFold(sts[i].SQL, part) {
			return sts[i]
		}
	}
	t.Fatalf("no statement containing %q among %d", part, len(sts))
	return Statement{}
}

func TestORAErrors(t *testing.T) {
	srv := startFixture(t, Fault{Kind: FailQuery, SQL: "secret_table", Code: 1031})
	db := open(t, srv, "CLIENT_AUDIT", testPassword, nil)
	for _, tc := range []struct {
		name, sql string
		code      int
	}{
		{"missing table", "SELECT * FROM missing_table", 942},
		{"missing column", "SELECT nope FROM t", 904},
		{"injected privilege error", "SELECT * FROM secret_table", 1031},
		{"syntax", "SELEC 1 FROM DUAL", 900},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.Query(tc.sql) //nolint:rowserrcheck,sqlclosecheck // the query must fail before any row: err is what is checked
			var oe *network.OracleError
			if !errors.As(err, &oe) || oe.ErrCode != tc.code {
				t.Fatalf("got %v, want ORA-%05d", err, tc.code)
			}
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		err := open(t, srv, "CLIENT_AUDIT", "wrong", nil).Ping()
		var oe *network.OracleError
		if !errors.As(err, &oe) || oe.ErrCode != 1017 {
			t.Fatalf("got %v, want ORA-01017", err)
		}
	})
	t.Run("unknown service", func(t *testing.T) {
		err := open(t, srv, "NOPE", testPassword, nil).Ping()
		var oe *network.OracleError
		if !errors.As(err, &oe) || oe.ErrCode != 12514 {
			t.Fatalf("got %v, want ORA-12514", err)
		}
	})
}
