package session

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"cam/engine"
	"cam/engine/detect"
	"cam/journal"
	"cam/report"
	"cam/report/reporttest"
)

// TestHandOffsAgreeOnAFilteredView: with a filter on, the export, the
// mail (link and .eml draft) and the paste summary say the same thing —
// the shown count of the total and the filter — and the trail records the
// same counts for each, the filter only as its length.
func TestHandOffsAgreeOnAFilteredView(t *testing.T) {
	rec := &memRecorder{}
	s, fe := newSession(t, rec)
	run, err := s.Start(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	res := result(run.ID())
	res.Findings.Takeovers = append(res.Findings.Takeovers, detect.Takeover{User: "200077"})
	for _, u := range []string{"bob", "carol", "dave"} {
		res.Findings.Alerts = append(res.Findings.Alerts, detect.Alert{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh, User: u, Count: 9})
	}
	res.Findings.Alerts = append(res.Findings.Alerts, detect.Alert{Rule: detect.RuleTakeover, Severity: detect.SeverityCritical, User: "200077", Count: 4})
	fe.runs[0].ch <- engine.RunFinished{RunID: 1, Result: res}
	run.Finish(res, "")

	const filter = "failed"
	view := report.FilteredView(res, res.Findings.Alerts[1:3], filter)
	const said = "2 of 5 alerts, filter: failed"
	dir := t.TempDir()
	exported, err := s.Export(dir, []string{report.FormatXLSX}, res, view, s.Meta())
	if err != nil {
		t.Fatal(err)
	}
	emls, link, err := s.Mail(dir, res, view, s.Meta())
	if err != nil {
		t.Fatal(err)
	}
	summary := s.Summary(res, view)
	s.SummaryCopied(res.RunID, view)
	s.Trail().Flush()

	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	linkSubject, linkBody := u.Query().Get("subject"), u.Query().Get("body")
	if !strings.HasSuffix(linkSubject, ": 0 suspicious users, "+said) {
		t.Errorf("mailto subject %q does not say %q", linkSubject, said)
	}
	if !strings.Contains(linkBody, "Report: "+exported[0]) {
		t.Errorf("mailto body does not name the exported report %s:\n%s", exported[0], linkBody)
	}
	emlSubject, emlBody := reporttest.ReadDraft(t, emls[0])
	if emlSubject != linkSubject || emlBody != linkBody {
		t.Errorf("the .eml and the link differ:\nsubject %q / %q\nbody\n%s\n---\n%s", emlSubject, linkSubject, emlBody, linkBody)
	}
	if first := strings.SplitN(summary, "\n", 2)[0]; !strings.Contains(first, said) {
		t.Errorf("summary title %q does not say %q", first, said)
	}

	for _, action := range []string{journal.ActionExport, journal.ActionMail, journal.ActionSummaryCopy} {
		d := rec.last(action)
		if d["alerts"] != 2 || d["suspicious"] != 0 || d["filter_active"] != true || d["filter_len"] != len(filter) {
			t.Errorf("%s recorded %v, want 2 alerts, 0 suspicious, filter of %d", action, d, len(filter))
		}
	}
}
