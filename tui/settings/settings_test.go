package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/config"
	"cam/tui/common"
)

func form(t *testing.T) (Model, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "app_settings.yaml")
	if err := os.WriteFile(path, []byte("# mine\nuser_settings:\n  sid: A12345\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{Dir: dir, SettingsFile: path, Settings: config.Settings{
		User: config.User{SID: "A12345"}, App: config.App{ReportOutputDir: filepath.Join(dir, "reports")}}}
	cfg.SettingsStamp, _ = config.StampFile(path) // as config.Load does
	c := common.New()
	c.Zone = time.UTC
	m := New(c, cfg)
	m.SetSize(70, 20)
	return m, path
}

func keys(m Model, ks ...string) (Model, tea.Cmd) {
	var cmd tea.Cmd
	for _, k := range ks {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "backspace":
			msg = tea.KeyMsg{Type: tea.KeyBackspace}
		case "ctrl+s":
			msg = tea.KeyMsg{Type: tea.KeyCtrlS}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		m, cmd = m.Update(msg)
	}
	return m, cmd
}

func TestValidationAsYouType(t *testing.T) {
	m, _ := form(t)
	m, _ = keys(m, "enter", "backspace", "backspace", "backspace", "backspace")
	if !m.InputFocused() || len(m.Problems()) == 0 || !strings.Contains(m.View(), "is not a SID") {
		t.Fatalf("no inline message for a short SID:\n%s", m.View())
	}
	m, _ = keys(m, "esc")
	if m.InputFocused() || len(m.Problems()) != 0 || m.Settings().User.SID != "A12345" {
		t.Errorf("esc did not restore: %v %q", m.Problems(), m.Settings().User.SID)
	}
}

func TestSaveWritesTheFileAndRefusesInvalidForms(t *testing.T) {
	m, path := form(t)
	m, _ = keys(m, "j", "j", "j", "j", "j", "enter") // recipients
	for _, r := range "soc@example.com" {
		m, _ = keys(m, string(r))
	}
	m, cmd := keys(m, "enter", "ctrl+s")
	if cmd == nil {
		t.Fatal("ctrl+s gave no save command")
	}
	msg := cmd()
	saved, ok := msg.(SavedMsg)
	if !ok {
		t.Fatalf("got %#v", msg)
	}
	m, _ = m.Update(saved)
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "soc@example.com") || !strings.Contains(string(data), "# mine") {
		t.Errorf("file:\n%s", data)
	}
	if !strings.Contains(m.View(), "Saved to") {
		t.Error("no confirmation under the form")
	}
	m, _ = keys(m, "enter", ",", "x", "enter") // a second recipient "x": invalid
	if m, cmd = keys(m, "ctrl+s"); cmd != nil || !strings.Contains(m.View(), "not saved") {
		t.Errorf("an invalid form was saved:\n%s", m.View())
	}
}

func TestSaveFailureShowsUnderTheForm(t *testing.T) {
	m, _ := form(t)
	m.cfg.SettingsFile = filepath.Join(t.TempDir(), "missing-dir", "app_settings.yaml")
	m.stamp = config.Stamp{} // loaded as missing, so the write itself fails
	_, cmd := keys(m, "ctrl+s")
	msg := cmd()
	failed, ok := msg.(SaveFailedMsg)
	if !ok {
		t.Fatalf("got %#v", msg)
	}
	m, _ = m.Update(failed)
	if !strings.Contains(m.View(), "no such file or directory") {
		t.Errorf("error not shown:\n%s", m.View())
	}
}

func TestLastEventTime(t *testing.T) {
	m, _ := form(t)
	if lt, err := m.LastEventTime(); lt != nil || err != nil {
		t.Errorf("empty should be sliding: %v %v", lt, err)
	}
	m, _ = keys(m, "j", "j", "j", "j", "j", "j", "enter")
	for _, r := range "2026-11-03 14:00" {
		m, _ = keys(m, string(r))
	}
	lt, err := m.LastEventTime()
	if err != nil || !lt.Equal(time.Date(2026, 11, 3, 14, 0, 0, 0, time.UTC)) {
		t.Errorf("%v %v", lt, err)
	}
}

// TestSaveAsksBeforeOverwritingAFileChangedOnDisk: another cam or an
// editor changed app_settings.yaml after cam loaded it; ctrl+s asks, n
// keeps their file, y replaces it, and a later save needs no question.
func TestSaveAsksBeforeOverwritingAFileChangedOnDisk(t *testing.T) {
	m, path := form(t)
	theirs := "# edited elsewhere\nuser_settings:\n  sid: B22222\n"
	if err := os.WriteFile(path, []byte(theirs), 0o600); err != nil {
		t.Fatal(err)
	}
	m, _ = keys(m, "down", "down", "down", "down", "enter", "x", "enter")
	save := func(m Model, k string) Model {
		t.Helper()
		m, cmd := keys(m, k)
		if cmd == nil {
			t.Fatalf("%s started no save", k)
		}
		m, _ = m.Update(cmd())
		return m
	}
	m = save(m, "ctrl+s")
	if !m.InputFocused() || !strings.Contains(m.View(), "changed on disk") || !strings.Contains(m.View(), "Overwrite it") {
		t.Fatalf("no question about the changed file:\n%s", m.View())
	}
	if b, _ := os.ReadFile(path); string(b) != theirs {
		t.Fatalf("the changed file was overwritten before the answer:\n%s", b)
	}
	// q is an answer's key now, not quit; n keeps their file.
	m, cmd := keys(m, "q")
	if cmd != nil || !m.InputFocused() {
		t.Fatal("q left the question")
	}
	m, cmd = keys(m, "n")
	if cmd != nil || m.InputFocused() || !strings.Contains(m.View(), "not saved") {
		t.Fatalf("n did not keep the file:\n%s", m.View())
	}
	if b, _ := os.ReadFile(path); string(b) != theirs {
		t.Fatalf("n overwrote the file:\n%s", b)
	}
	m = save(m, "ctrl+s")
	m = save(m, "y")
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "# edited elsewhere") || !strings.Contains(string(b), "reportsx") {
		t.Fatalf("y did not save the edits into the file on disk:\n%s", b)
	}
	if !strings.Contains(m.View(), "Saved to") {
		t.Fatalf("no saved message:\n%s", m.View())
	}
	m, _ = keys(m, "enter", "y", "enter")
	m = save(m, "ctrl+s")
	if m.InputFocused() || !strings.Contains(m.View(), "Saved to") {
		t.Fatalf("a save after our own save asked again:\n%s", m.View())
	}
}
