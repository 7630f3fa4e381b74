package sqlite

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"cam/config"
	"cam/engine"
)

func TestOnlyRead(t *testing.T) {
	names := []string{"USER_ID", "phone_type", "change_timestamp", "extra"}
	cases := []struct {
		name string
		read []string
		want []string
	}{
		{"the columns cam reads, in the result's order, matched without case", []string{"change_timestamp", "user_id"}, []string{"USER_ID", "change_timestamp"}},
		{"every column read: the whole result", []string{"user_id", "phone_type", "change_timestamp", "extra"}, nil},
		{"one read column missing: the whole result, for the engine's message", []string{"user_id", "client_id"}, nil},
		{"nothing said: the whole result", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := onlyRead(names, c.read); !slices.Equal(got, c.want) {
				t.Errorf("onlyRead(%q) = %q, want %q", c.read, got, c.want)
			}
		})
	}
}

// A change query may return columns cam has no use for; SQLite is not
// asked for them, so one that cannot even be computed does not fail the
// run, and a missing one is still named beside every column the query
// returns.
func TestOnlyTheColumnsCamReadsAreSelected(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	makeDB(t, path, "CREATE TABLE c (u TEXT, t TEXT)", []any{"7", "2026-11-20 10:00:00"}, []any{"8", "2026-11-20 11:00:00"})
	query := func(name, sql string) config.Query {
		return config.Query{Name: name, Kind: config.KindChange, ChangeType: config.ChangeEmail, SQL: sql,
			Columns: map[string]string{config.ColUser: "user_id", config.ColTime: "change_timestamp"}}
	}
	db := config.Database{Name: "c", Driver: "sqlite", Path: path, Location: time.UTC, MaxConnections: 2, Queries: []config.Query{
		// json_extract of text that is not JSON fails when SQLite computes it.
		query("unread column", "SELECT u AS user_id, json_extract('not json', '$.a') AS detail, t AS change_timestamp FROM c WHERE t >= :start_date"),
		query("missing column", "SELECT u AS uid, t AS change_timestamp, 'x' AS detail FROM c WHERE t >= :start_date"),
	}}
	res := run(t, db)
	got := map[string]engine.QueryResult{}
	for _, q := range res.Queries {
		got[q.Query] = q
	}
	if q := got["unread column"]; q.Status != engine.StatusOK || q.Rows != 2 {
		t.Errorf("a column cam does not read failed the query: %+v", q)
	}
	if q := got["missing column"]; q.Status != engine.StatusFailed || !strings.Contains(q.Err, "have: uid, change_timestamp, detail") {
		t.Errorf("the missing column's message does not list the query's columns: %+v", q)
	}
}
