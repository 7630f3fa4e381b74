package oracle

import (
	"fmt"
	"testing"
)

// bigScript is one table of 2,500 numbered rows.
const bigScript = `
CREATE TABLE big (n INTEGER);
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 2500)
INSERT INTO big SELECT n FROM c;`

func TestFetchSizeSetsTheRoundTripsOnTheWire(t *testing.T) {
	for _, tc := range []struct {
		fetchSize, min, max int // round trips, the execute included
	}{
		{100, 25, 26},
		{1000, 3, 4},
	} {
		t.Run(fmt.Sprintf("fetch_size %d", tc.fetchSize), func(t *testing.T) {
			srv, db, o := serveSQLite(t, bigScript)
			o.FetchSize = tc.fetchSize
			rows, err := openPool(t, db, o).Query("SELECT n FROM big ORDER BY n")
			if err != nil {
				t.Fatal(err)
			}
			if n, err := drain(rows); n != 2500 || err != nil {
				t.Fatalf("read %d rows, %v", n, err)
			}
			st := srv.Record().Statements()
			last := st[len(st)-1]
			trips, carried := 1, last.FirstBatch
			for _, f := range srv.Record().Fetches() {
				if f.Session == last.Session && f.Cursor == last.Cursor {
					trips++
					carried += f.Rows
					if f.Requested != tc.fetchSize {
						t.Errorf("a fetch asked for %d rows, want fetch_size %d", f.Requested, tc.fetchSize)
					}
				}
			}
			if last.Prefetch != tc.fetchSize || trips < tc.min || trips > tc.max || carried != 2500 {
				t.Errorf("execute asked %d rows; %d round trips carried %d rows; want %d and %d–%d carrying 2500",
					last.Prefetch, trips, carried, tc.fetchSize, tc.min, tc.max)
			}
		})
	}
}
