package report

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/tealeg/xlsx/v3"
)

// The workbook is streamed: each sheet's XML goes row by row into the zip
// as it is produced, with inline strings (no shared-string table) and
// three fixed styles, so memory stays flat whatever the row count. The
// tealeg/xlsx model builds every cell as an object and the whole shared
// string table before writing, which took gigabytes for 150k users; its
// disk-backed cell store writes one file per row and still keeps the
// strings in memory. tealeg/xlsx remains the reader in tests.

// maxSheetRows is Excel's row limit (a variable for tests); a longer
// sheet ends with a row that says how many rows were left out.
var maxSheetRows = 1 << 20

// Cell style ids in styles.xml.
const (
	styleNone   = 0
	styleHeader = 1
	styleDate   = 2
)

// rowSink receives a sheet's rows: once to measure the columns, once to
// write them.
type rowSink interface {
	header(cols []string) error
	row(values ...any) error
}

// sheetSpec is one sheet: its name, whether row 1 stays in view, and a
// function that sends its rows to a sink (it is called twice).
type sheetSpec struct {
	name   string
	freeze bool
	rows   func(rowSink) error
}

// workbookWriter writes sheets into an xlsx zip stream.
type workbookWriter struct {
	zw       *zip.Writer
	zone     *time.Location
	names    []string
	modified time.Time
}

func newWorkbookWriter(w io.Writer, zone *time.Location) *workbookWriter {
	zw := zip.NewWriter(w)
	// Deflate at its fastest level: half the time of the default for a
	// file a little larger, and sheet XML compresses well either way.
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return &workbookWriter{zw: zw, zone: zone, modified: time.Now()}
}

// create starts a compressed part dated now (a zero date reads as 1980).
func (wb *workbookWriter) create(name string) (io.Writer, error) {
	return wb.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: wb.modified})
}

// sheet measures then writes one sheet.
func (wb *workbookWriter) sheet(spec sheetSpec) error {
	m := &measureSink{zone: wb.zone}
	if err := spec.rows(m); err != nil {
		return err
	}
	wb.names = append(wb.names, spec.name)
	part, err := wb.create(fmt.Sprintf("xl/worksheets/sheet%d.xml", len(wb.names)))
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(part, 64<<10)
	bw.WriteString(xml.Header)
	bw.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
	if spec.freeze {
		bw.WriteString(`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`)
	}
	if len(m.widths) > 0 {
		bw.WriteString("<cols>")
		for i, w := range m.widths {
			w = min(max(w+2, 8), 80)
			fmt.Fprintf(bw, `<col min="%d" max="%d" width="%d" customWidth="1"/>`, i+1, i+1, w)
		}
		bw.WriteString("</cols>")
	}
	bw.WriteString("<sheetData>")
	xs := &xmlSink{w: bw, zone: wb.zone, total: m.rows}
	if err := spec.rows(xs); err != nil {
		return err
	}
	if xs.skipped > 0 {
		xs.skipped, xs.total = 0, 0 // let the note through
		xs.row(fmt.Sprintf("%d more rows are not shown: Excel holds at most %d rows a sheet (the CSV export has them all)",
			m.rows-maxSheetRows+1, maxSheetRows))
	}
	bw.WriteString("</sheetData></worksheet>")
	if xs.err != nil {
		return xs.err
	}
	return bw.Flush()
}

// close writes the workbook's remaining parts and ends the zip.
func (wb *workbookWriter) close() error {
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", wb.contentTypes()},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", wb.workbook()},
		{"xl/_rels/workbook.xml.rels", wb.workbookRels()},
		{"xl/styles.xml", stylesXML},
	}
	for _, p := range parts {
		w, err := wb.create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, xml.Header+p.body); err != nil {
			return err
		}
	}
	return wb.zw.Close()
}

func (wb *workbookWriter) contentTypes() string {
	s := `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`
	for i := range wb.names {
		s += fmt.Sprintf(`<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
	}
	return s + `</Types>`
}

func (wb *workbookWriter) workbook() string {
	s := `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`
	for i, n := range wb.names {
		s += fmt.Sprintf(`<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, escape(n), i+1, i+1)
	}
	return s + `</sheets></workbook>`
}

func (wb *workbookWriter) workbookRels() string {
	s := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	for i := range wb.names {
		s += fmt.Sprintf(`<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
	}
	return s + fmt.Sprintf(`<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`, len(wb.names)+1)
}

// stylesXML holds the three cell styles: plain, header (bold on a light
// blue fill) and date-time (excelDateTime).
const stylesXML = `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<numFmts count="1"><numFmt numFmtId="164" formatCode="` + excelDateTime + `"/></numFmts>` +
	`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b val="1"/><sz val="11"/><name val="Calibri"/></font></fonts>` +
	`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/><bgColor rgb="FFD9E1F2"/></patternFill></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

// measureSink counts rows and finds each column's widest value.
type measureSink struct {
	zone   *time.Location
	widths []int
	rows   int
}

func (m *measureSink) fit(col, n int) {
	for len(m.widths) <= col {
		m.widths = append(m.widths, 0)
	}
	m.widths[col] = max(m.widths[col], n)
}

func (m *measureSink) header(cols []string) error {
	m.rows++
	for i, c := range cols {
		m.fit(i, utf8.RuneCountInString(c))
	}
	return nil
}

func (m *measureSink) row(values ...any) error {
	m.rows++
	if m.rows > maxSheetRows {
		return nil
	}
	for i, v := range values {
		m.fit(i, cellWidth(v))
	}
	return nil
}

// cellWidth is how many characters a value shows as.
func cellWidth(v any) int {
	switch v := v.(type) {
	case nil:
		return 0
	case string:
		return utf8.RuneCountInString(v)
	case int:
		return len(strconv.Itoa(v))
	case int64:
		return len(strconv.FormatInt(v, 10))
	case float64:
		return 8
	case time.Time, localTime:
		return len(excelDateTime)
	default:
		return utf8.RuneCountInString(fmt.Sprint(v))
	}
}

// xmlSink writes rows as sheet XML. The first write error sticks and ends
// the output; the caller returns it.
type xmlSink struct {
	w       *bufio.Writer
	zone    *time.Location
	n       int // rows written
	total   int // rows the sheet has, from the measuring pass
	skipped int
	err     error
	ref     []byte
}

func (x *xmlSink) header(cols []string) error {
	vals := make([]any, len(cols))
	for i, c := range cols {
		vals[i] = headerCell(c)
	}
	return x.row(vals...)
}

// headerCell is a header row's text, written in the header style.
type headerCell string

func (x *xmlSink) row(values ...any) error {
	if x.err != nil {
		return x.err
	}
	// Keep the last row free for the note on what did not fit.
	if x.total > maxSheetRows && x.n >= maxSheetRows-1 {
		x.skipped++
		return nil
	}
	x.n++
	x.w.WriteString(`<row r="`)
	x.w.Write(strconv.AppendInt(x.ref[:0], int64(x.n), 10))
	x.w.WriteString(`">`)
	for i, v := range values {
		x.cell(i, v)
	}
	_, x.err = x.w.WriteString("</row>")
	return x.err
}

// cell writes one cell. Every string of a workbook goes through here.
func (x *xmlSink) cell(col int, v any) {
	ref := cellRef(x.ref[:0], col, x.n)
	x.ref = ref
	switch v := v.(type) {
	case nil:
		return
	case headerCell:
		x.text(ref, string(v), styleHeader)
	case string:
		x.text(ref, v, styleNone)
	case int:
		x.number(ref, strconv.Itoa(v), styleNone)
	case int64:
		x.number(ref, strconv.FormatInt(v, 10), styleNone)
	case float64:
		x.number(ref, strconv.FormatFloat(v, 'f', -1, 64), styleNone)
	case time.Time:
		x.date(ref, v, time.UTC)
	case localTime:
		x.date(ref, time.Time(v), x.zone)
	default:
		x.text(ref, fmt.Sprint(v), styleNone)
	}
}

func (x *xmlSink) text(ref []byte, s string, style int) {
	x.open(ref, style)
	x.w.WriteString(`" t="inlineStr"><is><t xml:space="preserve">`)
	writeEscaped(x.w, xlsxText(s)) // XML-safe characters only, cut at Excel's cell limit
	x.w.WriteString(`</t></is></c>`)
}

func (x *xmlSink) number(ref []byte, v string, style int) {
	x.open(ref, style)
	x.w.WriteString(`"><v>`)
	x.w.WriteString(v)
	x.w.WriteString(`</v></c>`)
}

// open starts a cell element up to its last attribute's closing quote.
func (x *xmlSink) open(ref []byte, style int) {
	x.w.WriteString(`<c r="`)
	x.w.Write(ref)
	if style != styleNone {
		x.w.WriteString(`" s="`)
		x.w.WriteString(strconv.Itoa(style))
	}
}

// writeEscaped writes s as XML text. Text with nothing to escape (nearly
// all of it) is written as is; the rest goes through xml.EscapeText, which
// also replaces characters XML cannot hold (NUL, most control characters)
// so a hostile value cannot break the file.
func writeEscaped(w *bufio.Writer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || c >= utf8.RuneSelf {
			xml.EscapeText(w, []byte(s))
			return
		}
	}
	w.WriteString(s)
}

// date writes t as an Excel date-time showing the wall clock of zone; a
// zero time stays empty.
func (x *xmlSink) date(ref []byte, t time.Time, zone *time.Location) {
	if t.IsZero() {
		return
	}
	wall := t.In(zone)
	asUTC := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), time.UTC)
	x.number(ref, strconv.FormatFloat(xlsx.TimeToExcelTime(asUTC, false), 'f', -1, 64), styleDate)
}

// cellRef appends the A1 reference of a zero-based column and one-based row.
func cellRef(b []byte, col, row int) []byte {
	var letters [4]byte
	i := len(letters)
	for col++; col > 0; col = (col - 1) / 26 {
		i--
		letters[i] = byte('A' + (col-1)%26)
	}
	b = append(b, letters[i:]...)
	return strconv.AppendInt(b, int64(row), 10)
}

// escape is s as XML attribute text.
func escape(s string) string {
	var b bytesBuffer
	xml.EscapeText(&b, []byte(s))
	return string(b)
}

// bytesBuffer is the smallest io.Writer for escape.
type bytesBuffer []byte

func (b *bytesBuffer) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }
