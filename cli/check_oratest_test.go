package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"cam/oracle/oratest"
)

func TestCheckOverOracleWireIsOKWithARoundTripTime(t *testing.T) {
	dir, srv := demoOverOracle(t, "", oratest.Options{})
	code, stdout, stderr := runCam(t, "check", "--config-dir", dir, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s\n%s", code, stderr, stdout)
	}
	var doc checkDocument
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not one JSON document: %v\n%s", err, stdout)
	}
	if !doc.OK || len(doc.Databases) != 3 || doc.Ticket != nil {
		t.Fatalf("doc: %+v", doc)
	}
	for _, d := range doc.Databases {
		if !d.OK || d.Driver != "oracle" || d.Auth != "password" || d.RTTMs == nil || *d.RTTMs < 0 {
			t.Errorf("database %s: %+v", d.Name, d)
		}
	}
	checks := 0
	for _, st := range srv.Record().Statements() {
		if st.SQL == "SELECT 1 FROM DUAL" {
			checks++
			if st.ErrCode != 0 {
				t.Errorf("the check query failed on the server: ORA-%05d", st.ErrCode)
			}
		}
	}
	if checks != 3 {
		t.Errorf("the server saw the check query %d times, want once per database (3)", checks)
	}

	code, stdout, _ = runCam(t, "check", "--config-dir", dir)
	if code != ExitOK || !strings.Contains(stdout, "all 3 database(s) answered") || !strings.Contains(stdout, "ok ") {
		t.Errorf("text output, exit %d:\n%s", code, stdout)
	}
}

func TestCheckOverOracleWireWithAWrongPasswordFails(t *testing.T) {
	dir, _ := demoOverOracle(t, "", oratest.Options{})
	t.Setenv(oraPWEnv, "not-the-password")
	code, stdout, _ := runCam(t, "check", "--config-dir", dir, "--json")
	if code != ExitCheckFail {
		t.Fatalf("exit %d, want %d:\n%s", code, ExitCheckFail, stdout)
	}
	var doc checkDocument
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	for _, d := range doc.Databases {
		if d.OK || d.Class != "auth" || !strings.Contains(d.Message, "ORA-01017") || d.RTTMs != nil {
			t.Errorf("database %s: %+v", d.Name, d)
		}
	}
	if strings.Contains(stdout, "not-the-password") || strings.Contains(stdout, oraPW) {
		t.Error("a password appears in the check output")
	}
}
