package settings

import (
	"os"
	"strings"
	"testing"
)

// A "not saved" error goes once esc has restored a valid value.
func TestEscClearsTheStaleNotSavedError(t *testing.T) {
	m, _ := form(t)
	m, _ = keys(m, "enter", "backspace", "backspace", "backspace", "backspace", "ctrl+s")
	if !strings.Contains(m.View(), "not saved") {
		t.Fatalf("ctrl+s on a bad SID said nothing:\n%s", m.View())
	}
	m, _ = keys(m, "esc")
	if v := m.View(); strings.Contains(v, "not saved") {
		t.Errorf("the old error stays after esc restored the SID:\n%s", v)
	}
}

// Dirty tells the root there are edits to lose; saving or undoing them
// makes the form clean again.
func TestDirtyFollowsUnsavedEdits(t *testing.T) {
	m, _ := form(t)
	if m.Dirty() {
		t.Fatal("a fresh form is dirty")
	}
	m, _ = keys(m, "enter", "backspace", "9", "enter")
	if !m.Dirty() {
		t.Fatal("an edited SID is not dirty")
	}
	m, cmd := keys(m, "ctrl+s")
	m, _ = m.Update(cmd())
	if m.Dirty() {
		t.Error("still dirty after the save")
	}
	m, _ = keys(m, "enter", "backspace", "7", "enter")
	if !m.Dirty() {
		t.Error("a second edit is not dirty")
	}
	m, _ = keys(m, "enter", "backspace", "9", "enter")
	if m.Dirty() {
		t.Error("dirty after typing the saved value back")
	}
	m, _ = keys(m, "j", "j", "j", "j", "j", "j", "enter", "2")
	if m.Dirty() {
		t.Error("the Last Event Time, which is never saved, makes the form dirty")
	}
}

// A field an environment variable overrides is shown as such, cannot be
// edited, and ctrl+s on another field leaves it out of the file.
func TestEnvironmentOverrideIsReadOnlyAndNeverSaved(t *testing.T) {
	m, path := form(t)
	m.cfg.EnvOverrides = map[string]string{"user_settings.sid": "CAM_USER_SETTINGS__SID"}
	m.cfg.Settings.User.SID = "B99999"
	m = New(m.c, m.cfg)
	m.SetSize(70, 20)
	if v := m.View(); !strings.Contains(v, "B99999 (from CAM_USER_SETTINGS__SID, read-only)") {
		t.Errorf("the override is not shown as one:\n%s", v)
	}
	m, _ = keys(m, "enter")
	if m.InputFocused() || !strings.Contains(m.View(), "CAM_USER_SETTINGS__SID") {
		t.Errorf("enter edits an overridden field:\n%s", m.View())
	}
	before, _ := os.ReadFile(path)
	m, _ = keys(m, "j", "j", "j", "j", "j", "enter")
	for _, r := range "soc@example.com" {
		m, _ = keys(m, string(r))
	}
	m, cmd := keys(m, "enter", "ctrl+s")
	if cmd == nil {
		t.Fatalf("ctrl+s gave no save:\n%s", m.View())
	}
	if msg, ok := cmd().(SavedMsg); !ok {
		t.Fatalf("save failed: %#v", msg)
	}
	after, _ := os.ReadFile(path)
	if strings.Contains(string(after), "B99999") || !strings.Contains(string(after), "sid: A12345") {
		t.Errorf("the file's SID changed:\n--- before\n%s--- after\n%s", before, after)
	}
	if !strings.Contains(string(after), "soc@example.com") {
		t.Errorf("the recipients edit was not saved:\n%s", after)
	}
}
