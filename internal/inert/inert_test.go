package inert

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain ascii", "alice@example.com", "alice@example.com"},
		{"domain backslash kept", `CORP\alice`, `CORP\alice`},
		{"accents kept", "José Müller", "José Müller"},
		{"osc 52", "\x1b]52;c;aGk=\a", `\x1b]52;c;aGk=\x07`},
		{"clear screen", "\x1b[2J", `\x1b[2J`},
		{"newline and cr", "bob\nFAKE LINE\r", `bob\x0aFAKE LINE\x0d`},
		{"tab", "a\tb", `a\x09b`},
		{"nul and del", "a\x00b\x7f", `a\x00b\x7f`},
		{"c1 csi", "a\u009b2Jb", `a\u009b2Jb`},
		{"c1 osc", "\u009d52;c;x\u009c", `\u009d52;c;x\u009c`},
		{"bidi override", "evil\u202egnp.exe", `evil\u202egnp.exe`},
		{"bidi isolates", "\u2066x\u2069", `\u2066x\u2069`},
		{"invalid utf-8", "a\xffb\xc3", `a\xffb\xc3`},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Text(c.in); got != c.want {
				t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
			}
			if IsPlain(c.in) != (c.in == c.want) {
				t.Errorf("IsPlain(%q) = %v", c.in, IsPlain(c.in))
			}
		})
	}
}

func TestLinesKeepsOnlyNewlines(t *testing.T) {
	got := Lines("first\nsecond \x1b[31mred\r\n")
	if want := "first\nsecond \\x1b[31mred\\x0d\n"; got != want {
		t.Errorf("Lines = %q, want %q", got, want)
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"alice", "\x1b]52;c;aGk=\a", "\u202e", "\xff\xfe", "a\nb", "\u009b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Text(%q) = %q is not UTF-8", s, out)
		}
		for _, r := range out {
			if needsEscape(r, utf8.RuneLen(r)) {
				t.Fatalf("Text(%q) = %q still holds %U", s, out, r)
			}
		}
		if !IsPlain(out) || Text(out) != out {
			t.Fatalf("Text is not idempotent on %q", out)
		}
		if lines := Lines(s); strings.Count(lines, "\n") != strings.Count(s, "\n") {
			t.Fatalf("Lines(%q) = %q changed the number of lines", s, lines)
		}
	})
}

func BenchmarkText(b *testing.B) {
	for _, c := range []struct{ name, s string }{
		{"plain id", "CORP\\alice.smith@example.com"},
		{"hostile id", "\x1b]52;c;Y3VybCBodHRwczovL2V2aWwuZXhhbXBsZS94IHwgc2g=\a"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				Text(c.s)
			}
		})
	}
}
