package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestFooterAlwaysNamesHelpAndQuit: whatever pane has the focus and
// however narrow the terminal, the footer ends with `? help` and `q quit`
// and never wraps.
func TestFooterAlwaysNamesHelpAndQuit(t *testing.T) {
	for _, w := range []int{80, 100, 140} {
		for _, p := range []string{"1", "2", "3", "4", "5"} {
			t.Run(fmt.Sprintf("%d_pane%s", w, p), func(t *testing.T) {
				m, _ := newModel(t)
				next, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: 30})
				m = next.(Model)
				m, _ = press(t, m, "r")
				m = send(m, 1, finishedTwoUsers())
				m, _ = press(t, m, p)
				f := m.footer()
				if !strings.HasSuffix(f, "? help • q quit") {
					t.Errorf("footer %q does not end with ? help • q quit", f)
				}
				if lipglossWidth(f) > w || strings.Contains(f, "\n") {
					t.Errorf("footer is %d wide at %d columns: %q", lipglossWidth(f), w, f)
				}
			})
		}
	}
}

// TestFooterDropsTheLastHintsFirst: at 80 columns the results pane keeps
// its first hints and drops from the end of its list.
func TestFooterDropsTheLastHintsFirst(t *testing.T) {
	m, _ := newModel(t)
	m, _ = press(t, m, "r")
	m = send(m, 1, finishedTwoUsers())
	f := m.footer()
	if !strings.HasPrefix(f, "/ filter • enter detail") {
		t.Errorf("footer %q lost the results pane's first hints", f)
	}
	next, _ := m.Update(tea.WindowSizeMsg{Width: 140, Height: 40})
	if f := next.(Model).footer(); !strings.Contains(f, "o summary") || !strings.Contains(f, "r run") {
		t.Errorf("footer at 140 columns %q dropped hints that fit", f)
	}
}

// TestFullHelpShowsEveryColumnAt80: ? at 80 columns wraps the columns
// onto more rows instead of cutting the last one.
func TestFullHelpShowsEveryColumnAt80(t *testing.T) {
	m, _ := newModel(t)
	m, _ = press(t, m, "r")
	m = send(m, 1, finishedTwoUsers())
	m, _ = press(t, m, "?")
	h := m.footer()
	for _, want := range []string{"page down", "reverse", "timeline", "summary", "prev pane", "results", "cancel/back", "help", "quit"} {
		if !strings.Contains(h, want) {
			t.Errorf("full help at 80 columns lacks %q:\n%s", want, h)
		}
	}
	for i, l := range strings.Split(h, "\n") {
		if lipglossWidth(l) > 80 {
			t.Errorf("help line %d is %d wide: %q", i, lipglossWidth(l), l)
		}
	}
	if v := m.View(); len(strings.Split(v, "\n")) > 24 {
		t.Errorf("the screen with full help is %d lines", len(strings.Split(v, "\n")))
	}
}

// TestFullHelpShowsOverAToast: ? right after a toast shows the help it
// made room for, not the toast above blank lines.
func TestFullHelpShowsOverAToast(t *testing.T) {
	m, _ := newModel(t)
	m, _ = press(t, m, "e") // "nothing to hand off yet"
	if !m.toast.Visible() {
		t.Fatal("no toast")
	}
	m, _ = press(t, m, "?")
	if f := m.footer(); !strings.Contains(f, "prev pane") {
		t.Errorf("? with a toast up shows %q", f)
	}
}
