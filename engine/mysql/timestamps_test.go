package mysql

import (
	"fmt"
	"testing"
	"time"

	"cam/config"
	"cam/engine"
	"cam/engine/mysql/mariadbtest"
	"cam/internal/wallclocks"
)

// TestDateTimeAndTimestampColumnsReadInTheDatabaseZone stores wall clocks
// in DATETIME, DATETIME(6) and TIMESTAMP columns of a real MariaDB, reads
// them through the engine with the database configured in three zones, and
// checks the instants the rules receive. TIMESTAMP is read as the session
// returns it (in the server's time_zone, UTC here), as the README says.
func TestDateTimeAndTimestampColumnsReadInTheDatabaseZone(t *testing.T) {
	srv := damServer(t)
	rows := wallclocks.Cases
	for _, column := range []string{"DATETIME", "DATETIME(6)", "TIMESTAMP(6)"} {
		table := fmt.Sprintf("ts_%d", len(column))
		script := fmt.Sprintf("SET time_zone = '+00:00'; DROP TABLE IF EXISTS %s; CREATE TABLE %s (u VARCHAR(40), t %s NULL);", table, table, column)
		for _, r := range rows {
			script += fmt.Sprintf("INSERT INTO %s VALUES ('%s', '%s');", table, r.User, r.Wall)
		}
		if err := srv.Exec(script); err != nil {
			t.Fatal(err)
		}
		for _, zoneName := range wallclocks.Zones {
			t.Run(column+"/"+zoneName, func(t *testing.T) {
				loc := mustZone(t, zoneName)
				db := srv.Database("ts", mariadbtest.User, loc)
				for _, ct := range config.ChangeTypes {
					db.Queries = append(db.Queries, config.Query{Name: string(ct), Kind: config.KindChange, ChangeType: ct,
						SQL:     "SELECT u AS user_id, t AS change_timestamp FROM " + table,
						Columns: map[string]string{config.ColUser: "user_id", config.ColTime: "change_timestamp"}})
				}
				res := start(t, newEngine(engine.Options{}), settings(loc, 1), db).Wait()
				if !res.Complete {
					t.Fatalf("incomplete: %+v", res.Queries)
				}
				got := map[string]time.Time{}
				for _, tk := range res.Findings.Takeovers {
					got[tk.User] = tk.WindowStart
				}
				for _, r := range rows {
					want := r.Want[zoneName]
					if column == "DATETIME" {
						want = want.Truncate(time.Second) // no fractional seconds stored
					}
					if !got[r.User].Equal(want) {
						t.Errorf("%s %q: instant %s, want %s", r.User, r.Wall, got[r.User].UTC(), want)
					}
				}
			})
		}
	}
}

// An epoch INT column is refused unless columns.time_format says unix.
func TestEpochIntegerColumnOnMariaDB(t *testing.T) {
	srv := damServer(t)
	want := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if err := srv.Exec(fmt.Sprintf("DROP TABLE IF EXISTS epochs; CREATE TABLE epochs (u VARCHAR(40), t BIGINT); INSERT INTO epochs VALUES ('e', %d);", want.Unix())); err != nil {
		t.Fatal(err)
	}
	for _, format := range []config.TimeFormat{config.TimeText, config.TimeUnix} {
		t.Run("time_format "+string(format), func(t *testing.T) {
			db := srv.Database("epochs", mariadbtest.User, time.UTC)
			for _, ct := range config.ChangeTypes {
				db.Queries = append(db.Queries, config.Query{Name: string(ct), Kind: config.KindChange, ChangeType: ct,
					SQL: "SELECT u AS user_id, t AS change_timestamp FROM epochs", TimeFormat: format,
					Columns: map[string]string{config.ColUser: "user_id", config.ColTime: "change_timestamp"}})
			}
			res := start(t, newEngine(engine.Options{}), settings(time.UTC, 1), db).Wait()
			q := res.Queries[0]
			if format == config.TimeText {
				if q.Class != engine.ClassData || res.Complete || q.RejectedBy["not_text_time"] != 1 {
					t.Errorf("class %s complete %v rejected %v: want a data failure for epoch numbers", q.Class, res.Complete, q.RejectedBy)
				}
				return
			}
			if len(res.Findings.Takeovers) != 1 || !res.Findings.Takeovers[0].WindowStart.Equal(want) {
				t.Errorf("takeovers %+v, want one at %s", res.Findings.Takeovers, want)
			}
		})
	}
}
