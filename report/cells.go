package report

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"cam/internal/inert"
)

// MaxCellChars is Excel's limit on the characters of one cell (counted in
// UTF-16 units, as Excel counts them); a longer text makes Excel repair
// the workbook and drop the cell.
const MaxCellChars = 32767

// xlsxText makes a database value fit an xlsx cell: characters XML 1.0
// cannot hold (most C0 controls, U+FFFE, U+FFFF, bytes that are not UTF-8)
// are shown as escapes the way the screen shows them, since a workbook
// holding them does not open; and text over MaxCellChars is cut, ending
// in a marker that says how much was left out.
func xlsxText(s string) string {
	if !xmlSafe(s) {
		var b strings.Builder
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case xmlChar(r, size):
				b.WriteString(s[i : i+size])
			case r == 0xfffe || r == 0xffff: // printable to a terminal, not to XML
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				b.WriteString(inert.Text(s[i : i+size]))
			}
			i += size
		}
		s = b.String()
	}
	return cutCell(s)
}

// cutCell cuts s to MaxCellChars UTF-16 units, marker included.
func cutCell(s string) string {
	units := utf16Len(s)
	if units <= MaxCellChars {
		return s
	}
	// The marker's length depends on the count it prints, which depends
	// on where the cut falls: try the shortest marker first (the most room
	// for text) and take the first whose count fits its digits.
	for digits := 1; ; digits++ {
		room := MaxCellChars - utf16Len(cutMarker(0)) - (digits - 1)
		kept, n := prefixUnits(s, room)
		if len(strconv.Itoa(units-n)) <= digits {
			return kept + cutMarker(units-n)
		}
	}
}

func cutMarker(left int) string { return fmt.Sprintf(" … [cut: %d more characters]", left) }

// prefixUnits returns the longest prefix of s of at most max UTF-16 units
// and its length in units.
func prefixUnits(s string, max int) (string, int) {
	n := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1
		}
		if n+w > max {
			return s[:i], n
		}
		n += w
	}
	return s, n
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if utf16.RuneLen(r) == 2 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func xmlSafe(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !xmlChar(r, size) {
			return false
		}
		i += size
	}
	return true
}

// xmlChar reports whether XML 1.0 allows the rune r (size bytes in its
// source) in text.
func xmlChar(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return false
	case r == '\t', r == '\n', r == '\r':
		return true
	case r < 0x20, r == 0xfffe, r == 0xffff:
		return false
	}
	return true
}
