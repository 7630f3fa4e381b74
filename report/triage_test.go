package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/tealeg/xlsx/v3"

	"cam/engine/detect"
)

// fixtureTriage gives the fixture's alerts a state: the brute force is
// resolved, the off-hours alert suppressed, the rest open; the role
// violation is unknown to the state.
func fixtureTriage(a *detect.Alert) (AlertTriage, bool) {
	switch a.Rule {
	case detect.RuleBruteForce:
		return AlertTriage{ID: "aaaaaaaaaaaa", Status: "resolved", Reason: "false_positive", ResolvedBy: "A1",
			Note: "=pen test", FirstSeenRun: 3}, true
	case detect.RuleOffHours:
		return AlertTriage{ID: "bbbbbbbbbbbb", Status: "new", FirstSeenRun: 7, New: true, Suppressed: true}, true
	case detect.RuleTakeover:
		return AlertTriage{ID: "t-" + a.User, Status: "escalated", FirstSeenRun: 5}, true
	}
	return AlertTriage{}, false
}

func TestWriteJSONTriage(t *testing.T) {
	res := fixture()
	decode := func(all bool) Document {
		var buf bytes.Buffer
		if err := WriteJSONTriage(&buf, res, "A1", nil, "", fixtureTriage, all); err != nil {
			t.Fatal(err)
		}
		var doc Document
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, buf.String())
		}
		return doc
	}
	t.Run("open only", func(t *testing.T) {
		doc := decode(false)
		var rules []string
		for _, a := range doc.Alerts {
			rules = append(rules, a.Rule)
		}
		// Resolved brute force and suppressed off-hours are left out.
		if want := []string{"account_takeover", "account_takeover", "role_violation"}; !reflect.DeepEqual(rules, want) {
			t.Fatalf("alerts %v, want %v", rules, want)
		}
		if tr := doc.Alerts[0].TriageInfo; tr == nil || tr.ID != "t-10042" || tr.Status != "escalated" || tr.FirstSeenRun != 5 || tr.New {
			t.Errorf("takeover triage: %+v", tr)
		}
		if doc.Alerts[2].TriageInfo != nil {
			t.Errorf("an alert the state does not know carries triage fields: %+v", doc.Alerts[2].TriageInfo)
		}
	})
	t.Run("all", func(t *testing.T) {
		doc := decode(true)
		if len(doc.Alerts) != len(res.Findings.Alerts) {
			t.Fatalf("%d alerts with --all, want %d", len(doc.Alerts), len(res.Findings.Alerts))
		}
		for _, a := range doc.Alerts {
			if a.Rule == "off_hours" && (a.TriageInfo == nil || !a.Suppressed || !a.New || a.ID != "bbbbbbbbbbbb") {
				t.Errorf("suppressed alert: %+v", a.TriageInfo)
			}
		}
	})
	t.Run("without a lookup the document is unchanged", func(t *testing.T) {
		var plain, triaged bytes.Buffer
		if err := WriteJSON(&plain, res, "A1", nil, ""); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSONTriage(&triaged, res, "A1", nil, "", func(*detect.Alert) (AlertTriage, bool) { return AlertTriage{}, false }, false); err != nil {
			t.Fatal(err)
		}
		if plain.String() != triaged.String() {
			t.Errorf("a lookup that knows no alert changed the document")
		}
	})
}

func TestExportsCarryTriageColumns(t *testing.T) {
	res := fixture()
	view := FullView(res)
	view.Triage = fixtureTriage
	paths := exportAll(t, t.TempDir(), view)

	al := readCSV(t, paths[2])
	if want := append(append([]string{}, AlertsCSVHeader...), TriageCSVHeader...); !reflect.DeepEqual(al[0], want) {
		t.Fatalf("csv header %v", al[0])
	}
	if bf := al[3]; !reflect.DeepEqual(bf[8:], []string{"resolved", "false_positive", "A1", "'=pen test"}) {
		t.Errorf("csv brute-force triage cells %q", bf[8:])
	}
	if rv := al[5]; !reflect.DeepEqual(rv[8:], []string{"", "", "", ""}) {
		t.Errorf("csv cells of an alert the state does not know: %q", rv[8:])
	}

	wb, err := xlsx.OpenFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	sh := wb.Sheet[SheetAlerts]
	if want := append(append([]string{}, AlertsHeader...), TriageHeader...); !reflect.DeepEqual(rowStrings(t, sh, 0), want) {
		t.Errorf("workbook header %v", rowStrings(t, sh, 0))
	}
	if got := rowStrings(t, sh, 3)[8:]; !reflect.DeepEqual(got, []string{"resolved", "false_positive", "A1", "=pen test"}) {
		t.Errorf("workbook brute-force triage cells %q", got)
	}
}
