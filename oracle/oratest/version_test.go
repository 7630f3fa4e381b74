package oratest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkedGoOra is the go-ora version the double was written and checked
// against. When go.mod moves to another version, re-run the whole suite
// and the node-oracledb cross-check, compare the protocol paths named in
// the package comment with the new go-ora source, then update this.
const checkedGoOra = "v2.9.0"

func TestGoOraVersion(t *testing.T) {
	mod := filepath.Join("..", "..", "go.mod")
	data, err := os.ReadFile(mod)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) >= 2 && fields[0] == "github.com/sijms/go-ora/v2" {
			if fields[1] != checkedGoOra {
				t.Fatalf("%s has go-ora %s; oratest was checked against %s — re-check the double (see version_test.go)", mod, fields[1], checkedGoOra)
			}
			return
		}
	}
	t.Fatalf("%s does not require github.com/sijms/go-ora/v2", mod)
}
