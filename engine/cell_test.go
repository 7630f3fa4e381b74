package engine

import (
	"context"
	"database/sql/driver"
	"fmt"
	"testing"
	"time"

	"cam/config"
)

// A driver that hands text over in one buffer, overwritten by every row
// (the MySQL driver does), must not garble the ids and addresses of the
// rows a batch holds: each of 1,000 padded text ids changing all four
// types is one takeover under its own name, and a burst of failed logins
// keeps its user and addresses.
func TestDriverBuffersAreCopiedPerBatch(t *testing.T) {
	at := func(i int) string {
		return testNow.Add(-time.Duration(i%50) * time.Minute).Format("2006-01-02 15:04:05")
	}
	sources := map[string]*fakeSource{}
	dbs := map[string][]config.ChangeType{}
	var order []string
	const users = 1000
	for _, ct := range config.ChangeTypes {
		var rows [][]driver.Value
		for i := range users {
			rows = append(rows, []driver.Value{fmt.Sprintf(" user-%04d ", i), at(i)})
		}
		name := string(ct)
		sources[name] = &fakeSource{cols: []string{"user_id", "change_timestamp"}, rows: rows, sharedBytes: true}
		dbs[name] = []config.ChangeType{ct}
		order = append(order, name)
	}
	cfg := testConfig(dbs, order)
	var logins [][]driver.Value
	for i := range 600 {
		user, ip, when := fmt.Sprintf("other-%03d", i), fmt.Sprintf("10.1.%d.%d", i/256, i%256), time.Duration(i)*time.Second
		if i%100 == 0 { // six failures 10s apart
			user, ip, when = "target", fmt.Sprintf("192.168.0.%d", i/100), time.Duration(i/10)*time.Second
		}
		logins = append(logins, []driver.Value{user, testNow.Add(-2*time.Hour + when).Format("2006-01-02 15:04:05"), "LOGIN", "FAILED", ip})
	}
	sources["dam"] = &fakeSource{cols: []string{"username", "access_timestamp", "operation_type", "status", "ip_address"}, rows: logins, sharedBytes: true}
	cfg.Databases = append(cfg.Databases, config.Database{Name: "dam", Driver: "fake", Location: time.UTC, MaxConnections: 1,
		Queries: []config.Query{{Name: "activity", Kind: config.KindActivity, Columns: map[string]string{config.ColUser: "username",
			config.ColTime: "access_timestamp", config.ColOperation: "operation_type", config.ColStatus: "status", config.ColIP: "ip_address"}}}})

	res := start(t, context.Background(), sources, cfg, func(o *Options) { o.KeepUserEvents = true }).Wait()
	if !res.Complete {
		t.Fatalf("incomplete: %+v", res.Queries)
	}
	if len(res.Findings.Takeovers) != users {
		t.Fatalf("%d takeovers, want %d", len(res.Findings.Takeovers), users)
	}
	for i, tk := range res.Findings.Takeovers {
		if want := fmt.Sprintf("user-%04d", i); tk.User != want {
			t.Fatalf("takeover %d is %q, want %q", i, tk.User, want)
		}
	}
	var brute []string
	for _, a := range res.Findings.Alerts {
		if a.Rule == "brute_force" {
			brute = append(brute, fmt.Sprintf("%s %d %v", a.User, a.Count, a.IPs))
		}
	}
	if fmt.Sprint(brute) != "[target 6 [192.168.0.0 192.168.0.1 192.168.0.2 192.168.0.3 192.168.0.4 192.168.0.5]]" {
		t.Errorf("brute force alerts %v", brute)
	}
	// The timelines keep their own copies too.
	var ips []string
	for _, e := range res.UserEvents.Of("target") {
		ips = append(ips, e.IP+" "+e.Status)
	}
	if fmt.Sprint(ips) != "[192.168.0.0 FAILED 192.168.0.1 FAILED 192.168.0.2 FAILED 192.168.0.3 FAILED 192.168.0.4 FAILED 192.168.0.5 FAILED]" {
		t.Errorf("target's timeline %v", ips)
	}
	if got := res.UserEvents.Of("user-0007"); len(got) != len(config.ChangeTypes) {
		t.Errorf("user-0007's timeline has %d events, want one per change type: %+v", len(got), got)
	}
}
