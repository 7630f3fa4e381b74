package results

import (
	"strings"
	"testing"

	"cam/internal/inert/inerttest"
)

// TestYankCopiesEscapedIDsAndSaysSo: an id with control characters is
// copied as the screen shows it, never as its bytes, and the toast says
// so; a printable id is copied exactly.
func TestYankCopiesEscapedIDsAndSaysSo(t *testing.T) {
	osc := inerttest.Corpus[0].Text
	cases := []struct {
		name      string
		ids       []string
		all       bool
		want      string
		wantNote  string
		escapedID bool
	}{
		{"printable id", []string{`CORP\alice`}, false, `CORP\alice`, `Copied user ID CORP\alice`, false},
		{"osc 52 id", []string{osc}, false, `\x1b]52;c;` + osc[7:len(osc)-1] + `\x07`, "(escaped: it holds control characters)", true},
		{"newline id", []string{"bob\nmallory"}, false, `bob\x0amallory`, "(escaped: it holds control characters)", true},
		{"bidi id", []string{"admin\u202egnp"}, false, `admin\u202egnp`, "(escaped", true},
		{"all, one escaped", []string{"alice", "bob\r\nx"}, true, "alice\n" + `bob\x0d\x0ax`, "Copied 2 user IDs (1 escaped: control characters)", true},
		{"all printable", []string{"alice", "bob"}, true, "alice\nbob", "Copied 2 user IDs", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, note := yankPlan(c.ids, c.all)
			if text != c.want {
				t.Errorf("copies %q, want %q", text, c.want)
			}
			if !strings.Contains(note, c.wantNote) || strings.Contains(note, "escaped") != c.escapedID {
				t.Errorf("toast %q, want it to say %q", note, c.wantNote)
			}
			if bad := inerttest.Active(text, c.all); bad != "" {
				t.Errorf("the copied text holds %s", bad)
			}
		})
	}
}
