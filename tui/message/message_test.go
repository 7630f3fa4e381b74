package message

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"cam/tui/common"
)

// TestTextIsInertAndWrappedToTheWidth: a database's error may carry
// terminal controls; the view shows them as escapes, keeps its own line
// breaks, and no line passes the width, however long a word is.
func TestTextIsInertAndWrappedToTheWidth(t *testing.T) {
	c := common.New()
	text := "ORA-12541: \x1b]52;c;ZXZpbA==\x07no listener\nsecond line " + strings.Repeat("x", 130)
	m := New(c, "db / \x1b[2Jq", text)
	m.SetSize(40, 50)
	v := m.View()
	if strings.ContainsAny(v, "\x1b\x07") || strings.ContainsAny(m.Title(), "\x1b") {
		t.Errorf("controls reached the terminal: %q / %q", v, m.Title())
	}
	if !strings.Contains(v, `\x1b]52`) {
		t.Errorf("the control is not shown as an escape:\n%s", v)
	}
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > 40 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
	joined := strings.Join(lines, "")
	if got := strings.Count(joined[strings.Index(joined, "second line"):], "x"); got != 130 {
		t.Errorf("the long word kept %d of 130 characters", got)
	}
	if !strings.HasPrefix(lines[1], "second line") && !strings.HasPrefix(lines[2], "second line") {
		t.Errorf("the text's own line break is lost:\n%s", v)
	}
}
