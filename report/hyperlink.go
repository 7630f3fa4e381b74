package report

import "strings"

// Hyperlink wraps text in an OSC 8 terminal hyperlink to url, which
// terminals that support it make clickable (others show text). Control
// characters are removed from both, so a value cannot end the sequence
// early and inject its own escape codes.
func Hyperlink(url, text string) string {
	return "\x1b]8;;" + stripControls(url) + "\x1b\\" + stripControls(text) + "\x1b]8;;\x1b\\"
}

func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}
