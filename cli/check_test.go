package cli

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"cam/internal/integration"
)

// oracleConfig writes a starter config whose first database points at
// 127.0.0.1:port with the given connect_timeout, and a credential cache
// path that does not exist, so the host's own ticket is never read.
func oracleConfig(t *testing.T, port int, timeout string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cam")
	if code, _, stderr := runCam(t, "init", dir, "--sid", "A12345"); code != ExitOK {
		t.Fatalf("init: %s", stderr)
	}
	path := filepath.Join(dir, "databases.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(raw), "host: oracle.client.example.com\n    port: 6036",
		"host: 127.0.0.1\n    port: "+strconv.Itoa(port)+"\n    connect_timeout: "+timeout, 1)
	// The second database is not part of these tests: point it at the
	// same place.
	text = strings.Replace(text, "host: oracle.account.example.com\n    port: 6036",
		"host: 127.0.0.1\n    port: "+strconv.Itoa(port)+"\n    connect_timeout: "+timeout, 1)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KRB5CCNAME", "FILE:"+filepath.Join(t.TempDir(), "no-cache"))
	return dir
}

func TestCheckDemoPassesWithATable(t *testing.T) {
	code, stdout, stderr := runCam(t, "check", "--demo")
	if code != ExitOK {
		t.Fatalf("exit %d: %s\n%s", code, stderr, stdout)
	}
	for _, want := range []string{"DATABASE", "client_activity_analysis", "database_activity", "all 3 database(s) answered"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	// Addresses are whole, however long: the demo's are paths under its
	// directory, which the first line names.
	first, _, _ := strings.Cut(stdout, "\n")
	dir := strings.TrimPrefix(first, "configuration OK: ")
	if want := filepath.Join(dir, "data", "client.db"); !strings.Contains(stdout, want) {
		t.Errorf("the address is not whole (want %s):\n%s", want, stdout)
	}
}

func TestCheckClosedPortFailsWithExit4AndJSON(t *testing.T) {
	dir := oracleConfig(t, integration.ClosedPort(t), "2s")
	began := time.Now()
	code, stdout, stderr := runCam(t, "check", "--config-dir", dir, "--json")
	if code != ExitCheckFail {
		t.Fatalf("exit %d, want %d; stderr %s", code, ExitCheckFail, stderr)
	}
	if took := time.Since(began); took > 2*time.Second {
		t.Errorf("a closed port took %s to report", took)
	}
	var doc checkDocument
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not one JSON document: %v\n%s", err, stdout)
	}
	if doc.OK || len(doc.Databases) != 2 {
		t.Fatalf("doc: %+v", doc)
	}
	d := doc.Databases[0]
	if d.OK || d.Class != "connection" || d.Driver != "oracle" || d.Auth != "kerberos" ||
		!strings.Contains(d.Message, "nothing listens at 127.0.0.1:") || d.RTTMs != nil {
		t.Errorf("database: %+v", d)
	}
	if doc.Ticket == nil || doc.Ticket.Problem != "missing" || !strings.Contains(doc.Ticket.Message, "run kinit") {
		t.Errorf("ticket: %+v", doc.Ticket)
	}
}

func TestCheckSilentListenerTimesOutWithinConnectTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c) // accept and never answer
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	dir := oracleConfig(t, l.Addr().(*net.TCPAddr).Port, "1s")
	began := time.Now()
	code, stdout, _ := runCam(t, "check", "--config-dir", dir)
	took := time.Since(began)
	if code != ExitCheckFail || !strings.Contains(stdout, "FAIL timeout") {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
	if took > 3*time.Second {
		t.Errorf("took %s with connect_timeout 1s", took)
	}
	if !strings.Contains(stdout, "connect_timeout") {
		t.Errorf("the message does not point at connect_timeout:\n%s", stdout)
	}
}
