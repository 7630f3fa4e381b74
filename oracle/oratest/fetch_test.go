package oratest

import (
	"testing"
)

func TestFetchSizeSetsTheRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fetchSize string
		min, max  int // round trips, the execute included
	}{
		{"fetch size 100", "100", 25, 26},
		{"fetch size 1000", "1000", 3, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startFixture(t)
			db := open(t, srv, "CLIENT_AUDIT", testPassword, map[string]string{"PREFETCH_ROWS": tc.fetchSize})
			rows, err := db.Query("SELECT n FROM big ORDER BY n")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				var v int64
				if err := rows.Scan(&v); err != nil {
					t.Fatal(err)
				}
				n++
				if v != int64(n) {
					t.Fatalf("row %d holds %d", n, v)
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if n != 2500 {
				t.Fatalf("got %d rows, want 2500", n)
			}
			st := findStatement(t, srv, "FROM big")
			trips, fetched := 1, st.FirstBatch
			for _, f := range srv.Record().Fetches() {
				if f.Cursor == st.Cursor && f.Session == st.Session {
					trips++
					fetched += f.Rows
				}
			}
			if trips < tc.min || trips > tc.max || fetched != 2500 {
				t.Errorf("%d round trips carrying %d rows, want %d–%d carrying 2500", trips, fetched, tc.min, tc.max)
			}
		})
	}
}
