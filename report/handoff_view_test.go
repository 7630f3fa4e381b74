package report

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"

	"cam/engine/detect"
	"cam/report/reporttest"
)

// TestMailSaysWhatTheViewHolds: with a filter on, the subject, the body,
// the mailto link and the .eml draft all count the filtered rows and name
// the filter; without one they count the whole run.
func TestMailSaysWhatTheViewHolds(t *testing.T) {
	res := fixture()
	meta := fixtureMeta()
	var takeover detect.Alert
	for _, a := range res.Findings.Alerts {
		if a.Rule == detect.RuleTakeover {
			takeover = a
			break
		}
	}
	cases := []struct {
		name, subject string
		view          View
		bodyHas       []string
		bodyLacks     []string
	}{
		{"unfiltered", "2 suspicious users, 5 alerts", FullView(res), []string{"Suspicious user IDs (2)"}, []string{"Shown:"}},
		{"filtered", "1 suspicious user, 1 of 5 alerts, filter: rule:takeover",
			FilteredView(res, []detect.Alert{takeover}, "rule:takeover"),
			[]string{"Shown: 1 of 5 alerts, filter: rule:takeover", "Suspicious user IDs (1)", "  " + takeover.User + "\n", "takeover: 1\n", "brute force: 0\n"}, []string{"Suspicious user IDs (2)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			subject := MailSubject(res, tc.view, meta)
			if !strings.HasSuffix(subject, ": "+tc.subject) {
				t.Errorf("subject %q does not end with %q", subject, tc.subject)
			}
			body := MailBody(res, tc.view, meta, "/r/x.xlsx")
			for _, want := range tc.bodyHas {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q:\n%s", want, body)
				}
			}
			for _, not := range tc.bodyLacks {
				if strings.Contains(body, not) {
					t.Errorf("body has %q:\n%s", not, body)
				}
			}
			_, linkSubject, linkBody := decodeMailto(t, Mailto(meta.Recipients, res, tc.view, meta, "/r/x.xlsx"))
			if linkSubject != subject || linkBody != strings.ReplaceAll(body, "\n", "\r\n") {
				t.Errorf("the mailto link says %q, the subject is %q", linkSubject, subject)
			}
			var buf bytes.Buffer
			if err := WriteEML(&buf, []string{"soc@example.org"}, res, tc.view, meta, "/r/x.xlsx"); err != nil {
				t.Fatal(err)
			}
			msg, err := mail.ReadMessage(&buf)
			if err != nil {
				t.Fatal(err)
			}
			emlSubject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			emlBody, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
			if emlSubject != subject || string(emlBody) != strings.ReplaceAll(body, "\n", "\r\n") {
				t.Errorf("the .eml says %q, the subject is %q", emlSubject, subject)
			}
		})
	}
}

// TestMailDraftNamesTheEarlierReport: a mail-only export names the report
// the caller gives (the workbook exported before), as the mailto link does.
func TestMailDraftNamesTheEarlierReport(t *testing.T) {
	dir := t.TempDir()
	res := fixture()
	meta := fixtureMeta()
	meta.Recipients = []string{"soc@example.org"}
	meta.ReportPath = "/r/client_activity_20261122_150307.xlsx"
	paths, err := Export(dir, []string{FormatEML}, res, FullView(res), meta)
	if err != nil {
		t.Fatal(err)
	}
	_, body := reporttest.ReadDraft(t, paths[0])
	if !strings.Contains(body, "Report: /r/client_activity_20261122_150307.xlsx") {
		t.Errorf("the draft does not name the report:\n%s", body)
	}
}
