// Package inert makes untrusted text safe to write to a terminal. Every
// string that came from a database or a configuration file passes through
// Text (or Lines) at the point where it is written to a screen, so a
// username holding an escape sequence is shown, never obeyed.
package inert

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text returns s with every byte or rune a terminal could act on replaced
// by a visible escape: C0 controls (including TAB, CR and LF), DEL and C1
// controls as \xNN or \u00NN, the bidi overrides and isolates U+202A–U+202E
// and U+2066–U+2069 as \u20NN, and bytes that are not UTF-8 as \xNN.
// Backslashes are kept as they are: DOMAIN\user must stay readable, and a
// literal "\x1b" in a name cannot act on a terminal either.
func Text(s string) string { return escape(s, false) }

// Lines is Text for multi-line messages: newlines stay (they are the
// message's own layout) and everything else Text escapes is escaped. Use
// it only where the text is a whole message, never to embed one value in
// a line.
func Lines(s string) string { return escape(s, true) }

// IsPlain reports whether Text(s) == s: s holds nothing that Text would
// escape.
func IsPlain(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) {
			return false
		}
		i += size
	}
	return true
}

func escape(s string, keepNewlines bool) string {
	if IsPlain(s) {
		return s // the common case costs one scan and no allocation
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case keepNewlines && r == '\n':
			b.WriteByte('\n')
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case needsEscape(r, size):
			if r < 0x80 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// needsEscape reports whether the rune r (size bytes long in its source)
// must not reach a terminal as it is.
func needsEscape(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1: // not UTF-8
		return true
	case r < 0x20, r == 0x7f: // C0 and DEL
		return true
	case r >= 0x80 && r <= 0x9f: // C1, CSI (U+009B) and OSC (U+009D) among them
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	}
	return false
}
