package report

import (
	"bytes"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tealeg/xlsx/v3"

	"cam/engine"
	"cam/engine/detect"
	"cam/internal/inert"
	"cam/internal/inert/inerttest"
)

// hostileRun is the fixture with s as a suspicious user id, and inside an
// alert's user, message and database.
func hostileRun(s string) engine.Result {
	res := fixture()
	tk := takeover(s, t0.Add(-3*60*60*1e9))
	res.Findings.Takeovers = append(res.Findings.Takeovers, tk)
	res.Findings.Alerts = append(res.Findings.Alerts, detect.Alert{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh,
		User: s, Database: "db" + s, FirstSeen: t0, LastSeen: t0, Count: 9, Message: "9 failed logins for " + s,
		Evidence: []detect.Evidence{{Type: "LOGIN" + s, Time: t0, Database: "db" + s, Query: "q" + s, IP: s}}})
	return res
}

// TestMailNeverGainsLinesOrHeaders: in the .eml draft and the mailto link
// each id is one line, shown inert, and no value adds a header.
func TestMailNeverGainsLinesOrHeaders(t *testing.T) {
	for _, c := range inerttest.Corpus {
		t.Run(c.Name, func(t *testing.T) {
			res, meta := hostileRun(c.Text), fixtureMeta()
			var buf bytes.Buffer
			if err := WriteEML(&buf, meta.Recipients, res, FullView(res), meta, "/r/"+c.Text+".xlsx"); err != nil {
				t.Fatal(err)
			}
			msg, err := mail.ReadMessage(&buf)
			if err != nil {
				t.Fatalf("the draft does not parse: %v", err)
			}
			var headers []string
			for h := range msg.Header {
				headers = append(headers, h)
			}
			sort.Strings(headers)
			want := []string{"Content-Transfer-Encoding", "Content-Type", "Date", "Mime-Version", "Subject", "To", "X-Unsent"}
			if !reflect.DeepEqual(headers, want) {
				t.Errorf("headers %v, want %v", headers, want)
			}
			raw, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
			body := strings.ReplaceAll(string(raw), "\r\n", "\n")
			plain := MailBody(fixture(), FullView(fixture()), meta, "/r/x.xlsx")
			if got, want := strings.Count(body, "\n"), strings.Count(plain, "\n")+1; got != want {
				t.Errorf("the body has %d lines, want %d (one more id):\n%s", got, want, body)
			}
			if !strings.Contains(body, "\n  "+inert.Text(c.Text)+"\n") {
				t.Errorf("the id is not one inert line:\n%q", body)
			}
			if bad := inerttest.Active(body, true); bad != "" {
				t.Errorf(".eml body holds %s", bad)
			}

			_, subject, mbody := decodeMailto(t, Mailto(meta.Recipients, res, FullView(res), meta, "/r/"+c.Text+".xlsx"))
			mbody = strings.ReplaceAll(mbody, "\r\n", "\n")
			if got, want := strings.Count(mbody, "\n"), strings.Count(strings.ReplaceAll(Mailto(meta.Recipients, fixture(), FullView(fixture()), meta, "/r/x.xlsx"), "%0D%0A", "\n"), "\n")+1; got != want {
				t.Errorf("the mailto body has %d lines, want %d:\n%s", got, want, mbody)
			}
			if bad := inerttest.Active(mbody+subject, true); bad != "" {
				t.Errorf("mailto holds %s", bad)
			}
		})
	}
}

// TestPasteSummaryStaysOneInertRowPerAlert: tabs and line breaks in values
// never add cells or rows, and nothing active reaches the clipboard.
func TestPasteSummaryStaysOneInertRowPerAlert(t *testing.T) {
	for _, c := range inerttest.Corpus {
		t.Run(c.Name, func(t *testing.T) {
			res := hostileRun(c.Text)
			text := PasteSummary(res, FullView(res), fixtureMeta())
			lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
			rows := lines[len(lines)-len(res.Findings.Alerts):]
			for _, row := range rows {
				if n := len(strings.Split(row, "\t")); n != len(PasteHeader) {
					t.Errorf("row has %d cells, want %d: %q", n, len(PasteHeader), row)
				}
			}
			if bad := inerttest.Active(strings.ReplaceAll(text, "\t", " "), true); bad != "" {
				t.Errorf("the summary holds %s", bad)
			}
		})
	}
}

// TestCSVAndWorkbookKeepHostileValues: CSV keeps every value exactly
// (quoted by encoding/csv) with its formula guard; the workbook opens in
// spite of controls XML cannot hold, shows them escaped, and cuts an
// over-long cell at Excel's limit with a marker.
func TestCSVAndWorkbookKeepHostileValues(t *testing.T) {
	long := strings.Repeat("A", 40000)
	for _, c := range append(inerttest.Corpus, inerttest.Case{Name: "40000 characters", Text: long}) {
		t.Run(c.Name, func(t *testing.T) {
			res := hostileRun(c.Text)
			paths, err := Export(t.TempDir(), []string{"xlsx", "csv"}, res, FullView(res), fixtureMeta())
			if err != nil {
				t.Fatal(err)
			}
			al := readCSV(t, paths[2])
			if len(al) != 1+len(res.Findings.Alerts) {
				t.Fatalf("alerts csv has %d records, want %d", len(al), 1+len(res.Findings.Alerts))
			}
			want := c.Text
			if strings.ContainsRune("=+-@\t\r", rune(want[0])) {
				want = "'" + want
			}
			// encoding/csv's reader drops carriage returns inside fields;
			// the file holds them (RFC 4180 quoting keeps them in the cell).
			if got := al[len(al)-1][2]; got != strings.ReplaceAll(want, "\r", "") {
				t.Errorf("csv user %q, want %q", got, want)
			}

			wb, err := xlsx.OpenFile(paths[0])
			if err != nil {
				t.Fatalf("the workbook does not open: %v", err)
			}
			sh := wb.Sheet[SheetAlerts]
			user := cellAt(t, sh, sh.MaxRow-1, 2).Value
			if utf8.RuneCountInString(user) > MaxCellChars {
				t.Errorf("a cell holds %d characters", utf8.RuneCountInString(user))
			}
			switch {
			case c.Text == long:
				kept := strings.Count(user, "A")
				if !strings.HasSuffix(user, fmt.Sprintf(" … [cut: %d more characters]", len(long)-kept)) || utf16Len(user) != MaxCellChars {
					t.Errorf("long cell not cut at the limit with a marker: …%q (%d units)", user[len(user)-40:], utf16Len(user))
				}
			case xmlSafe(c.Text) && user != c.Text:
				t.Errorf("xlsx user %q, want it exact %q", user, c.Text)
			case !xmlSafe(c.Text) && !xmlSafe(user):
				t.Errorf("xlsx user %q holds what XML cannot", user)
			}
		})
	}
}

func TestCutCell(t *testing.T) {
	cases := []struct {
		name string
		in   string
	}{
		{"ascii", strings.Repeat("x", MaxCellChars+1)},
		{"two units per rune", strings.Repeat("😀", MaxCellChars)},
		{"exactly the limit", strings.Repeat("y", MaxCellChars)},
		{"mixed", strings.Repeat("é😀a", 20000)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := cutCell(c.in)
			if n := utf16Len(got); n > MaxCellChars {
				t.Errorf("%d UTF-16 units, over %d", n, MaxCellChars)
			}
			if utf16Len(c.in) <= MaxCellChars {
				if got != c.in {
					t.Error("a text within the limit was changed")
				}
				return
			}
			if !strings.Contains(got, " … [cut: ") || !utf8.ValidString(got) {
				t.Errorf("no marker, or a rune split: …%q", got[len(got)-40:])
			}
		})
	}
}

func FuzzXLSXText(f *testing.F) {
	f.Add("a\x00b\x1b[2J", 10)
	f.Add("😀é", 20000)
	f.Fuzz(func(t *testing.T, s string, repeat int) {
		if repeat < 0 || repeat > 20000 {
			return
		}
		in := strings.Repeat(s, repeat)
		out := xlsxText(in)
		if !xmlSafe(out) || !utf8.ValidString(out) {
			t.Fatalf("xlsxText(%q) = %q holds what XML cannot", in, out)
		}
		if utf16Len(out) > MaxCellChars {
			t.Fatalf("%d UTF-16 units, over %d", utf16Len(out), MaxCellChars)
		}
		if xmlSafe(in) && utf16Len(in) <= MaxCellChars && out != in {
			t.Fatalf("a valid short text was changed: %q", in)
		}
	})
}
