package report

import (
	"encoding/json"
	"strings"
	"testing"

	"cam/engine/detect"
	"cam/internal/inert/inerttest"
)

func ndjsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%v in %q", err, l)
		}
		lines = append(lines, m)
	}
	return lines
}

func field(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[k]
	}
	return v
}

func TestNDJSONOneValidLinePerAlert(t *testing.T) {
	s := loadSchema(t)
	res := fixture()
	res.Findings.Alerts[2].IPs = []string{"10.1.2.3"}
	res.Findings.Alerts[4].Evidence[0].IP = "not-an-address"
	var buf strings.Builder
	if err := WriteNDJSON(&buf, res, NDJSONOptions{SID: "AUDITOR1"}); err != nil {
		t.Fatal(err)
	}
	if n := validateNDJSON(t, s, buf.String()); n != len(res.Findings.Alerts) {
		t.Fatalf("%d lines for %d alerts (takeovers included)", n, len(res.Findings.Alerts))
	}
	lines := ndjsonLines(t, buf.String())
	byRule := map[string]map[string]any{}
	for _, l := range lines {
		if id := field(l, "rule.id").(string); byRule[id] == nil {
			byRule[id] = l // the first, worst and earliest
		}
	}
	tk := byRule["account_takeover"]
	for path, want := range map[string]any{
		"event.kind": "alert", "event.severity": 4.0, "event.risk_score": 99.0, "rule.name": "takeover",
		"labels.run_id": "7", "labels.sid": "AUDITOR1", "@timestamp": "2026-11-22T14:03:49Z",
		"event.start": "2026-11-21T18:03:07Z", "cam.severity": "critical",
	} {
		if got := field(tk, path); got != want {
			t.Errorf("takeover %s = %v, want %v", path, got, want)
		}
	}
	if got := field(tk, "related.user").([]any); len(got) != 1 || got[0] != field(tk, "user.id") {
		t.Errorf("related.user = %v, want the user", got)
	}
	bf := byRule["brute_force"]
	if got := field(bf, "source.ip"); got != "10.1.2.3" {
		t.Errorf("brute force source.ip = %v", got)
	}
	if got := field(bf, "event.category").([]any); got[0] != "authentication" {
		t.Errorf("brute force category = %v", got)
	}
	rv := byRule["role_violation"]
	if field(rv, "source") != nil || field(rv, "related.ip") != nil {
		t.Errorf("a value that is no IP address went to an ip field: %v", rv)
	}
	if got, _ := field(rv, "cam.other_addresses").([]any); len(got) != 1 || got[0] != "not-an-address" {
		t.Errorf("cam.other_addresses = %v", got)
	}
	if field(tk, "cam.new") != nil || field(tk, "cam.status") != nil {
		t.Error("triage fields without a triage lookup")
	}
}

func TestNDJSONTriageAndKeep(t *testing.T) {
	s := loadSchema(t)
	res := fixture()
	lookup := func(a *detect.Alert) (AlertTriage, bool) {
		return AlertTriage{ID: "id-" + a.User, Status: "acknowledged", New: a.Rule == detect.RuleTakeover, FirstSeenRun: 3}, true
	}
	var buf strings.Builder
	err := WriteNDJSON(&buf, res, NDJSONOptions{SID: "AUDITOR1", Triage: lookup, RunID: 31,
		Keep: func(i int) bool { return res.Findings.Alerts[i].Rule == detect.RuleTakeover }})
	if err != nil {
		t.Fatal(err)
	}
	if n := validateNDJSON(t, s, buf.String()); n != 2 {
		t.Fatalf("%d lines, want the 2 takeovers kept", n)
	}
	for _, l := range ndjsonLines(t, buf.String()) {
		if field(l, "cam.new") != true || field(l, "cam.status") != "acknowledged" || field(l, "cam.suppressed") != false ||
			field(l, "event.id") != "id-"+field(l, "user.id").(string) || field(l, "labels.run_id") != "31" {
			t.Errorf("triage fields wrong: %v %v", field(l, "cam"), field(l, "event"))
		}
	}
}

func TestNDJSONIsInert(t *testing.T) {
	s := loadSchema(t)
	for _, c := range inerttest.Corpus {
		t.Run(c.Name, func(t *testing.T) {
			res := fixture()
			res.Findings.Alerts[0].User = c.Text
			res.Findings.Alerts[0].Message = c.Text
			var buf strings.Builder
			if err := WriteNDJSON(&buf, res, NDJSONOptions{SID: c.Text}); err != nil {
				t.Fatal(err)
			}
			validateNDJSON(t, s, buf.String())
			for _, l := range ndjsonLines(t, buf.String()) {
				for _, p := range []string{"user.name", "message", "labels.sid"} {
					if v, _ := field(l, p).(string); inerttest.Active(v, false) != "" {
						t.Errorf("%s decodes to active text %q", p, v)
					}
				}
			}
		})
	}
}
