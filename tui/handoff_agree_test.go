package tui

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"cam/journal"
	"cam/report/reporttest"
)

// TestHandOffsSayWhatTheScreenShows: with a filter on, e, m and o all
// hand on the filtered rows and say so in the results pane's own words
// ("1 of 2 alerts, filter: bob"): the export's toast, the mail's subject
// (link and .eml draft alike), the summary's title; the trail records the
// same counts for each.
func TestHandOffsSayWhatTheScreenShows(t *testing.T) {
	dir := t.TempDir()
	m, audit := handoffModel(t, dir)
	m.cfg.Settings.App.EmailRecipients = []string{"soc@example.com"}
	m, _ = press(t, m, "5", "/", "b", "o", "b", "enter")
	said := m.results.VisibleSummary()
	if said != "1 of 2 alerts, filter: bob" {
		t.Fatalf("the results pane says %q", said)
	}

	m, cmd := press(t, m, "e")
	m = runCmd(t, m, cmd)
	if !strings.Contains(m.toast.Text(), said) {
		t.Errorf("export toast %q does not say %q", m.toast.Text(), said)
	}
	m, cmd = press(t, m, "m")
	m = runCmd(t, m, cmd)
	u, err := url.Parse(m.toast.Link())
	if err != nil {
		t.Fatal(err)
	}
	subject := u.Query().Get("subject")
	if !strings.HasSuffix(subject, ", "+said) {
		t.Errorf("mail subject %q does not end with %q", subject, said)
	}
	workbooks, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	drafts, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(workbooks) != 1 || len(drafts) != 1 {
		t.Fatalf("workbooks %v, drafts %v", workbooks, drafts)
	}
	if !strings.Contains(u.Query().Get("body"), "Report: "+workbooks[0]) {
		t.Errorf("the mailto body does not name %s", workbooks[0])
	}
	emlSubject, emlBody := reporttest.ReadDraft(t, drafts[0])
	if emlSubject != subject || emlBody != u.Query().Get("body") {
		t.Errorf("the .eml draft and the mailto link differ:\n%q\n%q\n%s", emlSubject, subject, emlBody)
	}
	summary := m.sess.Summary(*m.lastRun(), m.view())
	if title := strings.SplitN(summary, "\n", 2)[0]; !strings.Contains(title, said) {
		t.Errorf("summary title %q does not say %q", title, said)
	}
	next, _ := m.Update(summaryCopiedMsg{runID: m.lastRun().RunID, view: m.view()})
	m = next.(Model)

	audit.flush()
	for _, action := range []string{journal.ActionExport, journal.ActionMail, journal.ActionSummaryCopy} {
		d := audit.last(action)
		if d == nil || d["alerts"] != 1 || d["filter_active"] != true || d["filter_len"] != 3 {
			t.Errorf("%s recorded %v, want 1 alert under a filter of 3 characters", action, d)
		}
	}
}
