package oratest

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"cam/internal/integration"
)

// nodeResult is what nodecheck/check.js prints.
type nodeResult struct {
	Thin           bool     `json:"thin"`
	ServerVersion  string   `json:"serverVersion"`
	Columns        []string `json:"columns"`
	G1             [][]any  `json:"g1"`
	G2             [][]any  `json:"g2"`
	Big            struct{ Count, Sum float64 }
	DateBind       [][]any   `json:"dateBind"`
	MissingTable   nodeError `json:"missingTable"`
	AfterError     [][]any   `json:"afterError"`
	WrongPassword  nodeError `json:"wrongPassword"`
	UnknownService nodeError `json:"unknownService"`
}

type nodeError struct {
	ErrorNum int    `json:"errorNum"`
	Message  string `json:"message"`
}

// startOraserve builds and starts the oraserve command on the fixture and
// returns the address from its first line.
func startOraserve(t *testing.T, args ...string) string {
	t.Helper()
	integration.SkipUnderRace(t)
	bin := filepath.Join(t.TempDir(), "oraserve")
	build := exec.Command("go", "build", "-o", bin, "./oraserve")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build oraserve: %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("oraserve stderr:\n%s", stderr.String())
		}
	})
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
	}()
	select {
	case line := <-lines:
		addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
		if !ok {
			t.Fatalf("oraserve's first line is %q, want \"listening on ADDR\"", line)
		}
		return addr
	case <-time.After(30 * time.Second):
		t.Fatal("oraserve printed nothing within 30s")
	}
	return ""
}

// TestNodeOracledbThinAgreesWithTheDouble runs the vendor's own client
// against oraserve, so the double is not only go-ora's mirror.
func TestNodeOracledbThinAgreesWithTheDouble(t *testing.T) {
	integration.RequireTools(t, "apt-get install nodejs npm; npm ci in oracle/oratest/nodecheck", "node")
	if _, err := os.Stat(filepath.Join("nodecheck", "node_modules", "oracledb", "package.json")); err != nil {
		msg := "node-oracledb is not installed: run npm ci in oracle/oratest/nodecheck (.ci/run does)"
		if integration.Required() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	addr := startOraserve(t, "-service", "CLIENT_AUDIT="+writeSQLite(t, "client.db", fixtureSchema),
		"-user", testUser+":"+testPassword, "-log")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	node := exec.CommandContext(ctx, "node", "check.js")
	node.Dir = "nodecheck"
	node.Env = append(os.Environ(), "TZ=UTC", "ORATEST_ADDR="+addr, "ORATEST_USER="+testUser, "ORATEST_PASSWORD="+testPassword)
	var stderr strings.Builder
	node.Stderr = &stderr
	out, err := node.Output()
	if err != nil {
		t.Fatalf("node check.js: %v\n%s", err, stderr.String())
	}
	var got nodeResult
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("check.js output: %v\n%s", err, out)
	}
	if !got.Thin || !strings.Contains(got.ServerVersion, "19") {
		t.Errorf("thin %v, server version %q", got.Thin, got.ServerVersion)
	}
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"columns", got.Columns, []string{"ID:NUMBER", "NAME:VARCHAR2", "AMOUNT:NUMBER", "D:DATE", "NOTE:VARCHAR2"}},
		{"rows of g1", got.G1, [][]any{{1.0, "one", -12.5, "2024-02-29T13:14:15.000Z", nil}, {2.0, "two", 0.01, "2024-03-31T01:30:00.000Z", "x"}}},
		{"rows of g2 (re-executed cursor)", got.G2, [][]any{{3.0, "three", 12345678901234.0, "1999-12-31T23:59:59.000Z", "y"}}},
		{"2,500 rows in batches", []float64{got.Big.Count, got.Big.Sum}, []float64{2500, 2500 * 2501 / 2}},
		{"DATE bind", got.DateBind, [][]any{{2.0}}},
		{"ORA-00942", got.MissingTable.ErrorNum, 942},
		{"the session works after an error", got.AfterError, [][]any{{"1"}}},
		{"ORA-01017", got.WrongPassword.ErrorNum, 1017},
		// node-oracledb reports the listener's ERR=12514 as its own NJS-518.
		{"ORA-12514", strings.HasPrefix(got.UnknownService.Message, "NJS-518") &&
			strings.Contains(got.UnknownService.Message, `Service "NO_SUCH_SERVICE" is not registered`), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("node-oracledb got %#v, want %#v", tc.got, tc.want)
			}
		})
	}
}
