package report

import (
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"

	"cam/engine"
	"cam/internal/display"
	"cam/internal/inert"
	"cam/internal/plural"
)

// MaxMailtoLength caps the mailto URL: several mail clients and browsers
// reject or cut longer ones.
const MaxMailtoLength = 2000

// MailSubject names the run and what the view holds: SID, start time,
// the suspicious users and the alerts shown, with the filter if one is on
// ("1 suspicious user, 2 of 10 alerts, filter: failed").
func MailSubject(res engine.Result, view View, meta Meta) string {
	return fmt.Sprintf("cam run %s %s: %s, %s",
		meta.SID, res.StartedAt.UTC().Format("2006-01-02 15:04 UTC"),
		plural.Count(len(view.Takeovers), "suspicious user", "suspicious users"), view.Headline())
}

// MailBody is the full mail text about view: run metadata, what the view
// holds, its counts per rule and every suspicious user id in it.
func MailBody(res engine.Result, view View, meta Meta, reportPath string) string {
	head, ids := mailParts(res, view, meta, reportPath)
	return head + strings.Join(ids, "")
}

// mailParts returns the body up to the id list, and one line per id.
func mailParts(res engine.Result, view View, meta Meta, reportPath string) (string, []string) {
	var b strings.Builder
	fmt.Fprintf(&b, "Client activity monitor run by %s on %s.\n\n", inert.Text(meta.SID), inert.Text(meta.Host))
	fmt.Fprintf(&b, "Run: %s to %s (%s)\n", utc(res.StartedAt), utc(res.FinishedAt), completeness(res))
	fmt.Fprintf(&b, "Data from: %s (lookback %s)\n", utc(res.StartDate), human(meta.Lookback))
	fmt.Fprintf(&b, "Takeover window: %s, mode %s", human(meta.TakeoverWindow), res.Mode)
	if res.LastEventTime != nil {
		fmt.Fprintf(&b, ", ending %s", utc(*res.LastEventTime))
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "SID: %s\n", inert.Text(meta.SID))
	if reportPath != "" {
		fmt.Fprintf(&b, "Report: %s\n", inert.Text(reportPath))
	}
	if view.Filter != "" {
		fmt.Fprintf(&b, "Shown: %s (the report holds the same rows)\n", inert.Text(view.Headline()))
	}
	b.WriteString("\nAlerts per rule:\n")
	for _, c := range countRules(view.Alerts) {
		fmt.Fprintf(&b, "  %s: %d\n", display.Rule(c.Rule), c.Count)
	}
	fmt.Fprintf(&b, "\nSuspicious user IDs (%d):\n", len(view.Takeovers))
	ids := make([]string, 0, len(view.Takeovers))
	for _, tk := range view.Takeovers {
		// An id is one line whatever it holds: its controls, line
		// breaks included, are shown as escapes.
		ids = append(ids, "  "+inert.Text(tk.User)+"\n")
	}
	return b.String(), ids
}

// Mailto builds a mailto: URL (RFC 6068) to recipients with the subject
// and body about view. When the URL would pass MaxMailtoLength, ids are left
// out from the end and a line says how many; the .eml draft (WriteEML)
// always has them all.
func Mailto(recipients []string, res engine.Result, view View, meta Meta, reportPath string) string {
	var to []string
	for _, r := range recipients {
		to = append(to, mailtoEscape(strings.TrimSpace(r), "@"))
	}
	head, ids := mailParts(res, view, meta, reportPath)
	prefix := "mailto:" + strings.Join(to, ",") + "?subject=" + mailtoEscape(MailSubject(res, view, meta), "") + "&body="
	url := prefix + mailtoEscape(head, "")
	for i, id := range ids {
		enc := mailtoEscape(id, "")
		left := len(ids) - i
		// Room must remain for the "left out" line should a later id not fit.
		more := mailtoEscape(moreLine(left-1), "")
		if i == len(ids)-1 {
			more = ""
		}
		if len(url)+len(enc)+len(more) > MaxMailtoLength {
			return url + mailtoEscape(moreLine(left), "")
		}
		url += enc
	}
	return url
}

func moreLine(n int) string { return fmt.Sprintf("  ... and %d more IDs (see the report)\n", n) }

// mailtoEscape percent-encodes s for a mailto URL: everything but RFC 3986
// unreserved characters and keep is encoded, line breaks become CRLF as
// RFC 6068 asks, and text is UTF-8.
func mailtoEscape(s, keep string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("-._~", c) >= 0 || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// WriteEML writes an unsent mail draft (RFC 5322, UTF-8 quoted-printable)
// with the full body about view, for mail clients that do not handle
// mailto links.
// Outlook opens it as a new message because of X-Unsent.
func WriteEML(w io.Writer, recipients []string, res engine.Result, view View, meta Meta, reportPath string) error {
	var to []string
	for _, r := range recipients {
		r = strings.TrimSpace(r)
		if !inert.IsPlain(r) || strings.ContainsAny(r, ",<>\"") {
			return fmt.Errorf("mail recipient %q is not one plain address", r)
		}
		if r != "" {
			to = append(to, r)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "To: %s\r\n", strings.Join(to, ", "))
	// Every header value is one line: the subject is Q-encoded after its
	// controls are escaped, so no value can end it and start a header.
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", inert.Text(MailSubject(res, view, meta))))
	fmt.Fprintf(&b, "Date: %s\r\n", res.FinishedAt.Format(time.RFC1123Z))
	b.WriteString("X-Unsent: 1\r\nMIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	qp := quotedprintable.NewWriter(w)
	body := strings.ReplaceAll(MailBody(res, view, meta, reportPath), "\n", "\r\n")
	if _, err := io.WriteString(qp, body); err != nil {
		return err
	}
	return qp.Close()
}
