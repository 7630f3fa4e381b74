package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"cam/config"
	"cam/engine"
	"cam/report"
)

// Change types of your own, end to end (issue #21): five types, the fifth
// (address) from a second database, three of them enough. Read from the
// configuration files, fetched from SQLite files, detected and written as
// JSON and CSV: user 1 changed all five (critical), user 2 three (high,
// naming the two that did not change), user 3 only two (nothing).
func TestFiveTypesFromTwoDatabasesThreeNeeded(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	const ddl = "CREATE TABLE c (u TEXT, t TEXT)"
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	rows := map[string][][]any{
		"password": {{"1", "2026-11-20 10:00:00"}, {"2", "2026-11-20 10:00:00"}, {"3", "2026-11-20 10:00:00"}},
		"email":    {{"1", "2026-11-20 10:10:00"}},
		"phone":    {{"1", "2026-11-20 10:20:00"}, {"2", "2026-11-20 11:00:00"}},
		"token":    {{"1", "2026-11-20 10:30:00"}},
		"address":  {{"1", "2026-11-20 10:40:00"}, {"2", "2026-11-20 12:00:00"}, {"3", "2026-11-20 12:00:00"}},
	}
	var queries strings.Builder
	for _, ct := range []string{"password", "email", "phone", "token"} {
		makeDB(t, filepath.Join(dir, "data", ct+".db"), ddl, rows[ct]...)
		write("queries/"+ct+".sql", "SELECT u AS user_id, t AS change_timestamp FROM c WHERE t >= :start_date")
	}
	makeDB(t, filepath.Join(dir, "data", "crm.db"), ddl, rows["address"]...)
	write("queries/address.sql", "SELECT u AS user_id, t AS change_timestamp FROM c WHERE t >= :start_date")
	queries.WriteString("databases:\n")
	for _, ct := range []string{"password", "email", "phone", "token"} {
		queries.WriteString("  - name: " + ct + "\n    driver: sqlite\n    path: data/" + ct + ".db\n    timezone: UTC\n" +
			"    sql_queries:\n      - name: " + ct + " changes\n        query_location: queries/" + ct + ".sql\n        change_type: " + ct + "\n")
	}
	queries.WriteString("  - name: crm\n    driver: sqlite\n    path: data/crm.db\n    timezone: UTC\n" +
		"    sql_queries:\n      - name: address changes\n        query_location: queries/address.sql\n        change_type: Address\n")
	write("databases.yaml", queries.String())
	write("app_settings.yaml", "user_settings:\n  sid: A12345\ndetection:\n  business_timezone: UTC\n"+
		"  takeover_types: [password, email, phone, token, address]\n  takeover_min_types: 3\n")

	cfg, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := engine.New(engine.Options{Drivers: map[string]engine.Driver{"sqlite": New()}}).
		Start(context.Background(), engine.Request{Config: cfg, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	res := r.Wait()
	if !res.Complete {
		t.Fatalf("incomplete: %+v", res.Queries)
	}

	var buf bytes.Buffer
	if err := report.WriteJSON(&buf, res, "A12345", nil, ""); err != nil {
		t.Fatal(err)
	}
	var doc report.Document
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if want := []string{"password", "email", "phone", "token", "address"}; !reflect.DeepEqual(doc.Run.TakeoverTypes, want) {
		t.Errorf("run.takeover_types = %v, want %v", doc.Run.TakeoverTypes, want)
	}
	type finding struct {
		User, Severity  string
		Changed, Absent []string
	}
	var got []finding
	for _, su := range doc.SuspiciousUsers {
		got = append(got, finding{su.UserID, su.Severity, su.ChangedTypes, su.MissingTypes})
	}
	want := []finding{
		{"1", "critical", []string{"password", "email", "phone", "token", "address"}, []string{}},
		{"2", "high", []string{"password", "phone", "address"}, []string{"email", "token"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("suspicious users\n got %+v\nwant %+v", got, want)
	}
	var severities []string
	for _, a := range doc.Alerts {
		severities = append(severities, a.User+":"+a.Severity+":"+a.Message)
	}
	if want := []string{"1:critical:password, email, phone, token and address changed within 40m",
		"2:high:password, phone and address changed within 2h; email or token did not"}; !reflect.DeepEqual(severities, want) {
		t.Errorf("alerts\n got %q\nwant %q", severities, want)
	}

	var csv bytes.Buffer
	if err := report.WriteSuspiciousCSV(&csv, res.Findings.Takeovers, res.TakeoverTypes); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(csv.String(), "\r\n")
	if lines[0] != "user_id,window_start,window_end,password_changed,email_changed,phone_changed,token_changed,address_changed" ||
		lines[2] != "2,2026-11-20T10:00:00Z,2026-11-20T12:00:00Z,2026-11-20T10:00:00Z,,2026-11-20T11:00:00Z,,2026-11-20T12:00:00Z" {
		t.Errorf("CSV:\n%s", csv.String())
	}
}
