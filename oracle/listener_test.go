package oracle

import (
	"context"
	"encoding/binary"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"cam/config"
	"cam/engine"
	"cam/internal/integration"
)

const testPassword = "s3cret-Pass-word"

// loopbackDB points a database at a loopback port, with password auth so
// the test does not depend on a Kerberos cache.
func loopbackDB(t *testing.T, port int) (config.Database, Options) {
	t.Helper()
	t.Setenv("CAM_TEST_ORACLE_PW", testPassword)
	db := config.Database{Name: "loop", Driver: "oracle", Host: "127.0.0.1", Port: port,
		ServiceName: "CLIENT_AUDIT", Timezone: "UTC", Location: time.UTC}
	o := DefaultOptions(config.Settings{})
	o.Auth, o.User, o.PasswordEnv = AuthPassword, "auditor", "CAM_TEST_ORACLE_PW"
	o.ConnectTimeout = time.Second
	return db, o
}

// listen starts a loopback listener that hands each accepted connection
// to serve, and closes everything in Cleanup.
func listen(t *testing.T, serve func(net.Conn)) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); serve(c) }()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return l.Addr().(*net.TCPAddr).Port
}

// connect opens one connection through the same path as a run.
func connect(ctx context.Context, t *testing.T, db config.Database, o Options) error {
	t.Helper()
	d := NewWithOptions(func(config.Database, config.Settings) Options { return o })
	pool, err := d.Open(ctx, db, config.Settings{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer pool.Close()
	return pool.PingContext(ctx)
}

func assertNoPassword(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(s, testPassword) {
			t.Errorf("password leaked into %q", s)
		}
	}
}

func TestClosedPortIsAConnectionErrorAndFast(t *testing.T) {
	port := integration.ClosedPort(t)
	db, o := loopbackDB(t, port)

	began := time.Now()
	err := connect(context.Background(), t, db, o)
	if err == nil {
		t.Fatal("connected to a closed port")
	}
	if took := time.Since(began); took > 500*time.Millisecond {
		t.Errorf("took %s to report a closed port", took)
	}
	class, msg := New().Classify(err, db)
	if class != engine.ClassConnection {
		t.Errorf("class = %q (%s), want connection", class, msg)
	}
	if !strings.Contains(msg, "127.0.0.1:") || !strings.Contains(msg, "port") {
		t.Errorf("message %q should name the address and say to check the port", msg)
	}
	assertNoPassword(t, err.Error(), msg)
}

func TestSilentListenerTimesOutWithinConnectTimeout(t *testing.T) {
	port := listen(t, func(c net.Conn) {
		buf := make([]byte, 4096)
		for {
			if _, err := c.Read(buf); err != nil {
				return // never answer
			}
		}
	})
	db, o := loopbackDB(t, port)
	o.ConnectTimeout = time.Second

	began := time.Now()
	err := connect(context.Background(), t, db, o)
	took := time.Since(began)
	if err == nil {
		t.Fatal("connected to a listener that never answers")
	}
	if took < 900*time.Millisecond || took > 3*time.Second {
		t.Errorf("gave up after %s, want about the 1s connect_timeout", took)
	}
	class, msg := New().Classify(err, db)
	if class != engine.ClassTimeout {
		t.Errorf("class = %q (%s), want timeout", class, msg)
	}
	if !strings.Contains(msg, "connect_timeout") || !strings.Contains(msg, "127.0.0.1:") {
		t.Errorf("message %q should name the address and connect_timeout", msg)
	}
	assertNoPassword(t, err.Error(), msg)
}

func TestCancelWhileConnectingEndsWithinASecond(t *testing.T) {
	port := listen(t, func(c net.Conn) {
		buf := make([]byte, 4096)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	})
	db, o := loopbackDB(t, port)
	o.ConnectTimeout = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)

	began := time.Now()
	err := connect(ctx, t, db, o)
	if took := time.Since(began); took > time.Second {
		t.Errorf("cancel took %s to end the connect", took)
	}
	if class, msg := New().Classify(err, db); class != engine.ClassCancelled {
		t.Errorf("class = %q (%s), want cancelled", class, msg)
	}
}

// refusePacket is a TNS REFUSE packet (type 4) as a listener sends it for
// an unknown service.
func refusePacket(reason string) []byte {
	data := []byte(reason)
	pkt := make([]byte, 12+len(data))
	binary.BigEndian.PutUint16(pkt[0:], uint16(len(pkt))) // packet length
	pkt[4] = 4                                            // REFUSE
	pkt[8] = 1                                            // user reason
	pkt[9] = 0                                            // system reason
	binary.BigEndian.PutUint16(pkt[10:], uint16(len(data)))
	copy(pkt[12:], data)
	return pkt
}

func TestListenerRefusalGivesORACodeAndHint(t *testing.T) {
	port := listen(t, func(c net.Conn) {
		buf := make([]byte, 4096)
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Read(buf); err != nil {
			return
		}
		_, _ = c.Write(refusePacket("(DESCRIPTION=(TMP=)(VSNNUM=0)(ERR=12514)(ERROR_STACK=(ERROR=(CODE=12514)(EMFI=4))))"))
	})
	db, o := loopbackDB(t, port)

	err := connect(context.Background(), t, db, o)
	if err == nil {
		t.Fatal("connected although the listener refused")
	}
	class, msg := New().Classify(err, db)
	if class != engine.ClassConnection {
		t.Errorf("class = %q, want connection", class)
	}
	for _, want := range []string{"ORA-12514", "CLIENT_AUDIT", "service_name", "databases.yaml", "127.0.0.1:"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	assertNoPassword(t, err.Error(), msg)
}

func TestMissingPasswordVariableIsReportedAtOpen(t *testing.T) {
	db, o := loopbackDB(t, 1521)
	o.PasswordEnv = "CAM_TEST_UNSET_PASSWORD_VAR"
	_, err := NewWithOptions(func(config.Database, config.Settings) Options { return o }).
		Open(context.Background(), db, config.Settings{})
	if err == nil || !strings.Contains(err.Error(), "CAM_TEST_UNSET_PASSWORD_VAR") {
		t.Fatalf("err = %v, want it to name the unset variable", err)
	}
	if class, _ := classify(err, db); class != engine.ClassAuth {
		t.Errorf("an unset password variable is class %s, want auth (no retry)", class)
	}
}

// TestCheckUsesTheRunPathAndReportsFailure is `cam check` through the
// real driver: the same connector a run uses, classified by the driver.
func TestCheckUsesTheRunPathAndReportsFailure(t *testing.T) {
	port := integration.ClosedPort(t)
	db, o := loopbackDB(t, port)
	d := NewWithOptions(func(config.Database, config.Settings) Options { return o })
	e := engine.New(engine.Options{Drivers: map[string]engine.Driver{"oracle": d}})
	res := e.Check(context.Background(), &config.Config{Databases: []config.Database{db}})
	if len(res) != 1 || res[0].OK || res[0].Class != engine.ClassConnection || res[0].Address != "127.0.0.1:"+strconv.Itoa(port)+"/CLIENT_AUDIT" {
		t.Errorf("check of a closed port: %+v", res)
	}
}

func TestTraceWritesPerDatabaseFilesWithoutPassword(t *testing.T) {
	port := listen(t, func(c net.Conn) {
		buf := make([]byte, 4096)
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Read(buf); err != nil {
			return
		}
		_, _ = c.Write(refusePacket("(ERR=12514)"))
	})
	db, o := loopbackDB(t, port)
	o.TraceLevel, o.TraceDir = 1, t.TempDir()
	if err := connect(context.Background(), t, db, o); err == nil {
		t.Fatal("connected although the listener refused")
	}
	dir := TraceDir(o.TraceDir, db.Name)
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no trace file in %s: %v", dir, err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if len(data) == 0 {
			t.Errorf("trace file %s is empty", e.Name())
		}
		assertNoPassword(t, string(data))
	}
}
