package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// pkg is what `go list -json` says of one package.
type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func listPackages(t *testing.T, args ...string) []pkg {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list", "-json"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func under(path, prefix string) bool { return path == prefix || strings.HasPrefix(path, prefix+"/") }

// TestImportDirections enforces the import directions ARCHITECTURE.md
// draws, so a shortcut through the layers fails here, not in review.
func TestImportDirections(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	drivers := []string{"cam/engine/sqlite", "cam/engine/mysql", "cam/oracle"}
	configMay := []string{"cam/internal/inert", "cam/queries", "cam/sqltext"}
	terminal := []string{"github.com/charmbracelet/bubbletea", "github.com/charmbracelet/bubbles", "github.com/charmbracelet/lipgloss"}
	for _, p := range listPackages(t, "./...") {
		front := under(p.ImportPath, "cam/tui") || under(p.ImportPath, "cam/cli") || p.ImportPath == "cam"
		for _, imp := range p.Imports {
			switch {
			case under(imp, "cam/tui") && !front:
				t.Errorf("%s imports %s: only the front ends may use the TUI", p.ImportPath, imp)
			case under(imp, "cam/cli") && p.ImportPath != "cam":
				t.Errorf("%s imports %s: the command line is a front end, nothing builds on it", p.ImportPath, imp)
			case !front && hasPrefixIn(imp, terminal):
				t.Errorf("%s imports %s: domain code knows nothing of terminals", p.ImportPath, imp)
			case p.ImportPath == "cam/engine" && hasPrefixIn(imp, drivers):
				t.Errorf("engine imports the driver %s: drivers plug in through engine.Driver", imp)
			case under(p.ImportPath, "cam/engine/detect") && imp != "cam/config" && imp != "cam/internal/plural" && imp != "cam/internal/span" && strings.HasPrefix(imp, "cam/"):
				t.Errorf("engine/detect imports %s: the rules are pure (events in, findings out)", imp)
			case under(p.ImportPath, "cam/engine/detect") && imp == "database/sql":
				t.Errorf("engine/detect imports database/sql: the rules never see a database")
			case p.ImportPath == "cam/config" && strings.HasPrefix(imp, "cam/") && !hasPrefixIn(imp, configMay):
				t.Errorf("config imports %s: configuration is the base every layer reads; drivers register their rules with it", imp)
			case p.ImportPath == "cam/krb5" && strings.HasPrefix(imp, "cam/"):
				t.Errorf("krb5 imports %s: it reads a credential cache and knows nothing else of cam", imp)
			case p.ImportPath == "cam/sqltext" && strings.HasPrefix(imp, "cam/") && imp != "cam/internal/inert":
				t.Errorf("sqltext imports %s: the lexer knows no configuration and no driver", imp)
			case imp == "cam/krb5" && !front && p.ImportPath != "cam/oracle" && !under(p.ImportPath, "cam/session"):
				t.Errorf("%s imports krb5: of the domain, only the Oracle driver uses Kerberos, to authenticate", p.ImportPath)
			case front && hasPrefixIn(imp, drivers):
				t.Errorf("%s imports the driver %s: front ends reach drivers through the session (session.Drivers, its ticket checks)", p.ImportPath, imp)
			case front && imp == "cam/journal":
				t.Errorf("%s imports journal: front ends record actions and open the log through the session", p.ImportPath)
			case under(p.ImportPath, "cam/session") && (hasPrefixIn(imp, terminal) || under(imp, "cam/tui") || under(imp, "cam/cli")):
				t.Errorf("session imports %s: the application layer serves every front end and knows none", imp)
			}
		}
	}
}

// Test helpers (servers, corpora, generators) are never linked into cam.
func TestTestHelpersStayOutOfTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	helpers := []string{"cam/oracle/oratest", "cam/engine/mysql/mariadbtest", "cam/report/reporttest",
		"cam/internal/inert/inerttest", "cam/internal/integration", "cam/internal/wallclocks", "cam/internal/benchdata",
		"cam/krb5/krb5test"}
	for _, p := range listPackages(t, "-deps", ".") {
		if hasPrefixIn(p.ImportPath, helpers) {
			t.Errorf("the cam binary links the test helper %s", p.ImportPath)
		}
	}
}

func hasPrefixIn(path string, prefixes []string) bool {
	for _, pre := range prefixes {
		if under(path, pre) {
			return true
		}
	}
	return false
}
