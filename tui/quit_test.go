package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestQuitPromptGoesWhenTheRunEnds: the question names a run; once the
// run has finished it is no longer asked, and q quits at once.
func TestQuitPromptGoesWhenTheRunEnds(t *testing.T) {
	m, _ := newModel(t)
	m, _ = press(t, m, "r", "q")
	if !strings.Contains(m.footer(), "A run is in progress. Quit and cancel it? (y/n)") {
		t.Fatalf("footer %q does not ask", m.footer())
	}
	m = send(m, 1, finished(1))
	if m.confirmQuit || strings.Contains(m.footer(), "run is in progress") {
		t.Fatalf("the quit prompt stayed after the run: %q", m.footer())
	}
	_, cmd := press(t, m, "q")
	if cmd == nil {
		t.Fatal("q after the run did not quit")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("q after the run did not return tea.Quit")
	}
}

// TestQuitAsksBeforeDroppingSettingsEdits: an edit kept with enter but not
// saved makes q ask; n keeps the session and the edit, y quits.
func TestQuitAsksBeforeDroppingSettingsEdits(t *testing.T) {
	m, _ := newModel(t)
	m, _ = press(t, m, "1", "enter", "Z", "enter")
	if !m.settings.Dirty() {
		t.Fatal("the edit did not make the settings dirty")
	}
	m, cmd := press(t, m, "q")
	if cmd != nil || !m.confirmQuit || !strings.Contains(m.footer(), "not saved") || !strings.HasSuffix(m.footer(), "(y/n)") {
		t.Fatalf("q with unsaved settings did not ask: footer %q", m.footer())
	}
	m, _ = press(t, m, "n")
	if m.confirmQuit || m.quitting || !m.settings.Dirty() {
		t.Fatal("n did not keep the session and the edit")
	}
	m, _ = press(t, m, "q")
	_, cmd = press(t, m, "y")
	if cmd == nil {
		t.Fatal("y did not quit")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("y did not return tea.Quit")
	}
}

// TestQuitPromptKeepsAskingForUnsavedEditsAfterTheRun: when both a run
// and unsaved edits were at stake, the run's end leaves the edits'
// question.
func TestQuitPromptKeepsAskingForUnsavedEditsAfterTheRun(t *testing.T) {
	m, _ := newModel(t)
	m, _ = press(t, m, "1", "enter", "Z", "enter", "r", "q")
	if f := m.footer(); !strings.Contains(f, "Run in progress, settings not saved") || !strings.HasSuffix(f, "(y/n)") || lipglossWidth(f) > 80 {
		t.Fatalf("footer %q", f)
	}
	m = send(m, 1, finished(1))
	if !m.confirmQuit || strings.Contains(m.footer(), "Run") || !strings.Contains(m.footer(), "not saved") {
		t.Fatalf("after the run the footer is %q", m.footer())
	}
}

// TestQuitQuestionKeepsYesNoWhenNarrow: a footer too narrow for the
// question cuts its words, never the (y/n).
func TestQuitQuestionKeepsYesNoWhenNarrow(t *testing.T) {
	m, _ := newModel(t)
	m, _ = press(t, m, "1", "enter", "Z", "enter", "r", "q")
	for _, w := range []int{40, 60, 80} {
		if got := m.quitLine(w); !strings.HasSuffix(got, "(y/n)") || lipglossWidth(got) > w {
			t.Errorf("at %d columns: %q", w, got)
		}
	}
}
