package report

import (
	"bytes"
	"cam/internal/display"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"cam/engine/detect"
)

// decodeMailto parses a mailto URL back with net/url, as a mail client would.
func decodeMailto(t *testing.T, link string) (to []string, subject, body string) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("mailto does not parse: %v", err)
	}
	if u.Scheme != "mailto" {
		t.Fatalf("scheme %q", u.Scheme)
	}
	addrs, err := url.PathUnescape(u.Opaque)
	if err != nil {
		t.Fatal(err)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(addrs, ","), q.Get("subject"), q.Get("body")
}

func TestMailtoRoundTrip(t *testing.T) {
	res, meta := fixture(), fixtureMeta()
	recips := []string{"soc+alerts@example.org", "lead@example.org"}
	link := Mailto(recips, res, FullView(res), meta, "/home/a/reports/client_activity_20261122_150307.xlsx")
	if strings.ContainsAny(link, " \n\r") {
		t.Errorf("link holds raw spaces or line breaks: %q", link)
	}
	to, subject, body := decodeMailto(t, link)
	if !reflect.DeepEqual(to, recips) {
		t.Errorf("to = %v, want %v", to, recips)
	}
	if subject != MailSubject(res, FullView(res), meta) || !strings.Contains(subject, "AUDITOR1") || !strings.Contains(subject, "2 suspicious users") {
		t.Errorf("subject = %q", subject)
	}
	if want := strings.ReplaceAll(MailBody(res, FullView(res), meta, "/home/a/reports/client_activity_20261122_150307.xlsx"), "\n", "\r\n"); body != want {
		t.Errorf("body =\n%q\nwant\n%q", body, want)
	}
	for _, want := range []string{"10042", "20077", "takeover: 2", "brute force: 1", "SID: AUDITOR1", "client_activity_20261122_150307.xlsx", "24h", "2026-10-23"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
}

func TestMailtoCutsLongBodies(t *testing.T) {
	res := fixture()
	res.Findings.Takeovers = nil
	for i := 0; i < 500; i++ {
		res.Findings.Takeovers = append(res.Findings.Takeovers, takeover(fmt.Sprintf("user%05d", i), t0))
	}
	link := Mailto([]string{"soc@example.org"}, res, FullView(res), fixtureMeta(), "/r/x.xlsx")
	if len(link) > MaxMailtoLength {
		t.Errorf("link is %d characters, cap %d", len(link), MaxMailtoLength)
	}
	_, _, body := decodeMailto(t, link)
	listed := strings.Count(body, "  user")
	if listed == 0 || listed == 500 {
		t.Fatalf("listed %d ids", listed)
	}
	if want := fmt.Sprintf("... and %d more IDs", 500-listed); !strings.Contains(body, want) {
		t.Errorf("body lacks %q:\n%s", want, body)
	}
	// The ids kept are the first ones, in order.
	if !strings.Contains(body, "  user00000\r\n") {
		t.Error("first id missing")
	}
}

func TestWriteEMLHasAllIDsAndHeaders(t *testing.T) {
	res := fixture()
	res.Findings.Takeovers = append(res.Findings.Takeovers, takeover("Zoë", t0))
	var buf bytes.Buffer
	if err := WriteEML(&buf, []string{"soc@example.org", "lead@example.org"}, res, FullView(res), fixtureMeta(), "/r/x.xlsx"); err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(&buf)
	if err != nil {
		t.Fatal(err)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 2 || to[1].Address != "lead@example.org" {
		t.Errorf("To = %v, %v", to, err)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subj != MailSubject(res, FullView(res), fixtureMeta()) {
		t.Errorf("Subject = %q, %v", subj, err)
	}
	if msg.Header.Get("X-Unsent") != "1" {
		t.Error("not marked as a draft")
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	for _, want := range []string{"10042", "20077", "Zoë", "/r/x.xlsx"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("eml body lacks %q", want)
		}
	}
	if err := WriteEML(io.Discard, []string{"a@b.c\r\nBcc: evil@x.y"}, res, FullView(res), fixtureMeta(), ""); err == nil {
		t.Error("header injection through a recipient accepted")
	}
}

func TestPasteSummaryParsesAsTheSameTable(t *testing.T) {
	res := fixture()
	view := FullView(res)
	text := PasteSummary(res, view, fixtureMeta())
	title, table, ok := strings.Cut(text, "\n\n")
	if !ok {
		t.Fatalf("no blank line between metadata and table:\n%s", text)
	}
	if !strings.HasPrefix(title, "Client activity monitor: 2 suspicious users, 5 alerts") || !strings.Contains(title, "AUDITOR1") {
		t.Errorf("title/metadata = %q", title)
	}
	// Parse the table the way OneNote or Excel splits a paste.
	var rows [][]string
	for _, ln := range strings.Split(strings.TrimSuffix(table, "\n"), "\n") {
		rows = append(rows, strings.Split(ln, "\t"))
	}
	if !reflect.DeepEqual(rows[0], PasteHeader) {
		t.Errorf("header = %v", rows[0])
	}
	if len(rows)-1 != len(view.Alerts) {
		t.Fatalf("got %d rows, want %d", len(rows)-1, len(view.Alerts))
	}
	for i, a := range view.Alerts {
		r := rows[i+1]
		if len(r) != len(PasteHeader) {
			t.Fatalf("row %d has %d cells: %q", i, len(r), r)
		}
		if r[0] != display.Rule(a.Rule) || r[2] != a.User || r[6] != fmt.Sprint(a.Count) {
			t.Errorf("row %d = %v, want alert %s %s", i, r, a.Rule, a.User)
		}
	}
	if rows[3][7] != "12 failed logins, 3 addresses" || rows[5][7] != "Guest wrote" {
		t.Errorf("messages = %q / %q", rows[3][7], rows[5][7])
	}

	filtered := PasteSummary(res, FilteredView(res, []detect.Alert{res.Findings.Alerts[2]}, "crm"), fixtureMeta())
	_, ftable, _ := strings.Cut(filtered, "\n\n")
	if !strings.Contains(filtered, "1 of 5 alerts, filter: crm") || strings.Count(ftable, "\n") != 2 {
		t.Errorf("filtered summary:\n%s", filtered)
	}
}

func TestHyperlink(t *testing.T) {
	got := Hyperlink("mailto:a@b.c?subject=x", "mail the team")
	if want := "\x1b]8;;mailto:a@b.c?subject=x\x1b\\mail the team\x1b]8;;\x1b\\"; got != want {
		t.Errorf("Hyperlink = %q, want %q", got, want)
	}
	evil := Hyperlink("http://x\x1b\\\x1b]0;pwned\x07", "t\x1b[31m")
	if strings.Count(evil, "\x1b") != 4 {
		t.Errorf("control characters got through: %q", evil)
	}
}
