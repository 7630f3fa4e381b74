package report

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tealeg/xlsx/v3"

	"cam/engine/detect"
)

func exportAll(t *testing.T, dir string, view View) []string {
	t.Helper()
	paths, err := Export(dir, []string{"xlsx", "csv", "eml"}, fixture(), view, fixtureMeta())
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

func TestExportWritesNamedPrivateFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports")
	paths := exportAll(t, dir, FullView(fixture()))
	// 14:03:07 UTC is 15:03:07 in the analyst's zone.
	want := []string{"client_activity_20261122_150307.xlsx", "client_activity_20261122_150307_suspicious_users.csv",
		"client_activity_20261122_150307_alerts.csv", "client_activity_20261122_150307.eml"}
	var got []string
	for _, p := range paths {
		got = append(got, filepath.Base(p))
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", p, st.Mode().Perm())
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", st.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != len(want) {
		t.Errorf("dir holds %d entries, want %d (temp files left?)", len(entries), len(want))
	}
}

func TestExportNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	first := exportAll(t, dir, FullView(fixture()))
	before, _ := os.ReadFile(first[0])
	second := exportAll(t, dir, View{Filter: "nothing"})
	for i := range first {
		if first[i] == second[i] {
			t.Fatalf("second export reused %s", first[i])
		}
	}
	if !strings.HasSuffix(second[0], "client_activity_20261122_150307_2.xlsx") {
		t.Errorf("second workbook = %s", second[0])
	}
	after, _ := os.ReadFile(first[0])
	if string(before) != string(after) {
		t.Error("first workbook changed")
	}
}

func TestExportRejectsUnknownFormat(t *testing.T) {
	_, err := Export(t.TempDir(), []string{"xlsx", "pdf"}, fixture(), FullView(fixture()), fixtureMeta())
	if err == nil || !strings.Contains(err.Error(), `"pdf"`) {
		t.Errorf("err = %v, want it to name pdf", err)
	}
	if _, err := ParseFormats("xlsx,,csv"); err == nil {
		t.Error("empty format name accepted")
	}
	got, err := ParseFormats(" XLSX, csv,xlsx ")
	if err != nil || !reflect.DeepEqual(got, []string{"xlsx", "csv"}) {
		t.Errorf("ParseFormats = %v, %v", got, err)
	}
}

func TestAtomicWriteLeavesNothingWhenWriteFailsHalfway(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "client_activity_x.xlsx")
	diskFull := errors.New("no space left on device")
	err := writeAtomic(path, func(w io.Writer) error {
		// More than bufio's buffer, so part of it reaches the temp file.
		if _, err := w.Write(make([]byte, 64<<10)); err != nil {
			return err
		}
		return diskFull
	})
	if !errors.Is(err, diskFull) || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v, want the cause and the path", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestExportFailureRemovesTheWholeExport(t *testing.T) {
	dir := t.TempDir()
	diskFull := errors.New("no space left on device")
	jobs := plan(filepath.Join(dir, "client_activity_x"), []string{"xlsx", "csv"}, fixture(), FullView(fixture()), fixtureMeta())
	jobs[len(jobs)-1].fill = func(w io.Writer) error {
		if _, err := w.Write([]byte("rule,")); err != nil {
			return err
		}
		return diskFull
	}
	if _, err := run(jobs); !errors.Is(err, diskFull) {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestWorkbookRoundTrip(t *testing.T) {
	res := fixture()
	paths := exportAll(t, t.TempDir(), FullView(res))
	wb, err := xlsx.OpenFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range wb.Sheets {
		names = append(names, s.Name)
	}
	if want := []string{SheetSummary, SheetSuspicious, SheetAlerts, SheetEvidence}; !reflect.DeepEqual(names, want) {
		t.Fatalf("sheets = %v, want %v", names, want)
	}

	sus := wb.Sheet[SheetSuspicious]
	if got := rowStrings(t, sus, 0); !reflect.DeepEqual(got, SuspiciousHeader) {
		t.Errorf("suspicious header = %v", got)
	}
	if sus.MaxRow != 1+len(res.Findings.Takeovers) {
		t.Errorf("suspicious rows = %d, want %d", sus.MaxRow-1, len(res.Findings.Takeovers))
	}
	start := cellAt(t, sus, 1, 1)
	if !start.IsTime() {
		t.Errorf("window start cell is not a date (format %q)", start.GetNumberFormat())
	}
	// Excel keeps days as a float: compare to the second.
	if got, _ := start.GetTime(false); !got.Round(time.Second).Equal(res.Findings.Takeovers[0].WindowStart) {
		t.Errorf("window start = %v, want %v", got, res.Findings.Takeovers[0].WindowStart)
	}
	if v := cellAt(t, sus, 1, 0).Value; v != "10042" {
		t.Errorf("first user = %q", v)
	}

	al := wb.Sheet[SheetAlerts]
	if got := rowStrings(t, al, 0); !reflect.DeepEqual(got, AlertsHeader) {
		t.Errorf("alerts header = %v", got)
	}
	if al.MaxRow != 1+len(res.Findings.Alerts) {
		t.Errorf("alert rows = %d, want %d", al.MaxRow-1, len(res.Findings.Alerts))
	}
	if c := cellAt(t, al, 3, 2); c.Value != `=HYPERLINK("x")` || c.Formula() != "" {
		t.Errorf("user cell = %q formula %q: want the text, not a formula", c.Value, c.Formula())
	}
	if !cellAt(t, al, 1, 4).IsTime() {
		t.Error("first seen is not a date")
	}
	if cellAt(t, al, 0, 0).GetStyle().Font.Bold != true {
		t.Error("header is not bold")
	}
	if len(al.SheetViews) == 0 || al.SheetViews[0].Pane == nil || al.SheetViews[0].Pane.State != "frozen" {
		t.Error("header row is not frozen")
	}

	if col := al.Cols.FindColByIndex(8); col == nil || col.Width == nil || *col.Width < float64(len("password, email, phone and MFA token changed within 24h")) {
		t.Errorf("message column not fitted: %+v", col)
	}

	ev := wb.Sheet[SheetEvidence]
	wantEvidence := 4*len(res.Findings.Takeovers) + 2 + 1 + 1
	if ev.MaxRow != 1+wantEvidence {
		t.Errorf("evidence rows = %d, want %d", ev.MaxRow-1, wantEvidence)
	}
	utcT, _ := cellAt(t, ev, 1, 3).GetTime(false)
	localT, _ := cellAt(t, ev, 1, 4).GetTime(false)
	if d := localT.Sub(utcT).Round(time.Second); d != time.Hour {
		t.Errorf("local minus UTC = %v, want the analyst's +1h", d)
	}

	sum := wb.Sheet[SheetSummary]
	text := sheetText(t, sum)
	for _, want := range []string{"AUDITOR1", "soc-ws-7", "1.2.3", "anchored", "24h", "30d", "incomplete: 1 of 2", "no listener, check host", "brute force", "critical"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
}

func TestExportFollowsTheFilter(t *testing.T) {
	res := fixture()
	visible := []detect.Alert{res.Findings.Alerts[1], res.Findings.Alerts[3]} // takeover of 20077, off hours
	view := FilteredView(res, visible, "crm OR 20077")
	if len(view.Takeovers) != 1 || view.Takeovers[0].User != "20077" {
		t.Fatalf("view takeovers = %+v", view.Takeovers)
	}
	paths, err := Export(t.TempDir(), []string{"xlsx", "csv"}, res, view, fixtureMeta())
	if err != nil {
		t.Fatal(err)
	}
	wb, err := xlsx.OpenFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	if n := wb.Sheet[SheetAlerts].MaxRow - 1; n != 2 {
		t.Errorf("alerts sheet has %d rows, want 2", n)
	}
	if !strings.Contains(sheetText(t, wb.Sheet[SheetSummary]), "crm OR 20077") {
		t.Error("summary does not record the filter")
	}
	recs := readCSV(t, paths[1])
	if len(recs) != 2 || recs[1][0] != "20077" {
		t.Errorf("suspicious csv = %v", recs)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	res := fixture()
	paths := exportAll(t, t.TempDir(), FullView(res))
	sus := readCSV(t, paths[1])
	if !reflect.DeepEqual(sus[0], SuspiciousCSVHeader) || len(sus) != 1+len(res.Findings.Takeovers) {
		t.Fatalf("suspicious csv = %v", sus)
	}
	tk := res.Findings.Takeovers[1]
	if sus[2][0] != tk.User || sus[2][1] != tk.WindowStart.Format(time.RFC3339) {
		t.Errorf("row = %v", sus[2])
	}
	al := readCSV(t, paths[2])
	if !reflect.DeepEqual(al[0], AlertsCSVHeader) || len(al) != 1+len(res.Findings.Alerts) {
		t.Fatalf("alerts csv = %v", al)
	}
	bf := al[3]
	if bf[2] != `'=HYPERLINK("x")` {
		t.Errorf("formula not defused: %q", bf[2])
	}
	if bf[7] != "12 failed logins,\n3 addresses" || al[4][7] != `activity at 02:03 "local"` {
		t.Errorf("quoted fields did not survive: %q / %q", bf[7], al[4][7])
	}
	raw, _ := os.ReadFile(paths[2])
	if !strings.Contains(string(raw), "\r\n") {
		t.Error("lines do not end in CRLF (RFC 4180)")
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func cellAt(t *testing.T, s *xlsx.Sheet, row, col int) *xlsx.Cell {
	t.Helper()
	c, err := s.Cell(row, col)
	if err != nil {
		t.Fatalf("%s cell %d,%d: %v", s.Name, row, col, err)
	}
	return c
}

func rowStrings(t *testing.T, s *xlsx.Sheet, row int) []string {
	t.Helper()
	var out []string
	for c := 0; c < s.MaxCol; c++ {
		if v := cellAt(t, s, row, c).Value; v != "" {
			out = append(out, v)
		}
	}
	return out
}

func sheetText(t *testing.T, s *xlsx.Sheet) string {
	t.Helper()
	var b strings.Builder
	for r := 0; r < s.MaxRow; r++ {
		b.WriteString(strings.Join(rowStrings(t, s, r), "|") + "\n")
	}
	return b.String()
}
