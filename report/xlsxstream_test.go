package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/tealeg/xlsx/v3"

	"cam/report/reporttest"
)

func openWorkbook(t *testing.T, data []byte) *xlsx.File {
	t.Helper()
	wb, err := xlsx.OpenBinary(data)
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	return wb
}

// TestWorkbookEndsASheetAtExcelsRowLimitWithANote: rows past Excel's limit
// would make the file unreadable; the sheet stops one short and says how
// many rows it left out (the CSV has them).
func TestWorkbookEndsASheetAtExcelsRowLimitWithANote(t *testing.T) {
	defer func(n int) { maxSheetRows = n }(maxSheetRows)
	maxSheetRows = 5
	res := reporttest.Big(0, 10, time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, res, FullView(res), Meta{}); err != nil {
		t.Fatal(err)
	}
	al := openWorkbook(t, buf.Bytes()).Sheet[SheetAlerts]
	if al.MaxRow != 5 {
		t.Fatalf("alerts sheet has %d rows, want 5", al.MaxRow)
	}
	if got := cellAt(t, al, 3, 2).Value; got != res.Findings.Alerts[2].User {
		t.Errorf("row 4 holds %q, want the third alert's user %s", got, res.Findings.Alerts[2].User)
	}
	note := cellAt(t, al, 4, 0).Value
	if !strings.Contains(note, "7 more rows are not shown") || !strings.Contains(note, "CSV") {
		t.Errorf("last row %q, want the note on the 7 rows left out", note)
	}
}

// TestWorkbookCellsHoldHostileTextAsText: markup, control characters and
// formula-like text come back as the same text (XML-escaped, never
// breaking the file), and column references past Z are right.
func TestWorkbookCellsHoldHostileTextAsText(t *testing.T) {
	res := reporttest.Big(0, 1, time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	odd := `</t></is></c><c t="x">&amp; "q" 'a' =SUM(A1) ` + "tab\tnl\nend"
	res.Findings.Alerts[0].User = odd
	res.Findings.Alerts[0].Message = "bell\x07nul\x00"
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, res, FullView(res), Meta{}); err != nil {
		t.Fatal(err)
	}
	al := openWorkbook(t, buf.Bytes()).Sheet[SheetAlerts]
	if got := cellAt(t, al, 1, 2).Value; got != odd {
		t.Errorf("user cell = %q, want %q", got, odd)
	}
	if got := cellAt(t, al, 1, 7).Value; !strings.HasPrefix(got, "bell") || strings.ContainsAny(got, "\x00\x07") {
		t.Errorf("message cell = %q: control characters must not reach the XML", got)
	}
	for col, want := range map[int]string{0: "A1", 25: "Z1", 26: "AA1", 701: "ZZ1", 702: "AAA1"} {
		if got := string(cellRef(nil, col, 1)); got != want {
			t.Errorf("cellRef(%d) = %s, want %s", col, got, want)
		}
	}
}
