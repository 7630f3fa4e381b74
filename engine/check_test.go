package engine

import (
	"context"
	"database/sql/driver"
	"testing"
	"time"

	"cam/config"
)

// oneRow is a source answering the check query.
func oneRow() *fakeSource {
	return &fakeSource{cols: []string{"1"}, rows: [][]driver.Value{{int64(1)}}}
}

func TestCheckReportsEveryDatabaseAtOnce(t *testing.T) {
	slow := oneRow()
	slow.latency = 300 * time.Millisecond
	slow2 := oneRow()
	slow2.latency = 300 * time.Millisecond
	down := oneRow()
	down.connectErr = errRefused
	denied := oneRow()
	denied.connectErr = errAuth
	sources := map[string]*fakeSource{"a": slow, "b": slow2, "down": down, "denied": denied}
	cfg := testConfig(map[string][]config.ChangeType{}, []string{"a", "b", "down", "denied"})
	cfg.Databases[0].Host, cfg.Databases[0].Port, cfg.Databases[0].ServiceName = "db.example.com", 1521, "AUDIT"
	e := New(Options{Drivers: map[string]Driver{"fake": fakeDriver{sources}}})

	began := time.Now()
	res := e.Check(context.Background(), cfg)
	// Two 300 ms checks one after the other would take 600 ms.
	if took := time.Since(began); took > 550*time.Millisecond {
		t.Errorf("checks ran one after another: %s", took)
	}
	if len(res) != 4 {
		t.Fatalf("%d results", len(res))
	}
	if !res[0].OK || res[0].RTT < 300*time.Millisecond || res[0].Address != "db.example.com:1521/AUDIT" || res[0].Auth != "kerberos" {
		t.Errorf("a: %+v", res[0])
	}
	if res[2].OK || res[2].Class != ClassConnection || res[2].Database != "down" {
		t.Errorf("down: %+v", res[2])
	}
	if res[3].OK || res[3].Class != ClassAuth {
		t.Errorf("denied: %+v", res[3])
	}
}

func TestCheckTimesOutAtConnectTimeoutPlusMargin(t *testing.T) {
	hang := oneRow()
	hang.latency = time.Hour // honours the context
	cfg := testConfig(map[string][]config.ChangeType{}, []string{"hang"})
	cfg.Databases[0].Conn.ConnectTimeout = time.Second
	e := New(Options{Drivers: map[string]Driver{"fake": fakeDriver{map[string]*fakeSource{"hang": hang}}}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	began := time.Now()
	res := e.Check(ctx, cfg)
	took := time.Since(began)
	if res[0].OK || res[0].Class != ClassTimeout {
		t.Errorf("hang: %+v", res[0])
	}
	if want := time.Second + checkMargin; took < want || took > want+time.Second {
		t.Errorf("gave up after %s, want about %s", took, want)
	}
}

func TestCheckOfAnUnknownDriverSaysSo(t *testing.T) {
	cfg := testConfig(map[string][]config.ChangeType{}, []string{"x"})
	cfg.Databases[0].Driver = "db2"
	res := New(Options{}).Check(context.Background(), cfg)
	if res[0].OK || res[0].Message != `driver "db2" is not available in this build` {
		t.Errorf("%+v", res[0])
	}
}
