package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// TestDisplayZoneComesFromTheSettings: with no zone pinned, the results
// show times in the settings' display zone and name it in the header.
func TestDisplayZoneComesFromTheSettings(t *testing.T) {
	cfg := testConfig("sqlite")
	cfg.Settings.App.DisplayLocation = time.FixedZone("BZT", 2*3600)
	m := New(Options{Config: cfg, Engine: &fakeEngine{}})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 140, Height: 40})
	m = next.(Model)
	if m.c.Zone != cfg.Settings.App.DisplayLocation {
		t.Fatalf("display zone %v, want the settings' BZT", m.c.Zone)
	}
	m, _ = press(t, m, "r")
	m = send(m, 1, finished(1))
	if v := m.View(); !strings.Contains(v, "WHEN (BZT)") {
		t.Errorf("the results do not name the display zone:\n%s", v)
	}
}
