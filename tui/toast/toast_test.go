package toast

import (
	"strings"
	"testing"
	"time"

	"cam/tui/common"
)

func TestToastLifetime(t *testing.T) {
	for _, tc := range []struct {
		name      string
		toast     Toast
		wantTimer bool
	}{
		{name: "info hides itself", toast: Toast{Text: "Copied", Level: Info}, wantTimer: true},
		{name: "error hides itself later", toast: Toast{Text: "failed", Level: Error}, wantTimer: true},
		{name: "sticky error stays", toast: Toast{Text: "export failed", Level: Error, Sticky: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New(common.New())
			cmd := m.Show(tc.toast)
			if (cmd != nil) != tc.wantTimer {
				t.Fatalf("timer %v, want %v", cmd != nil, tc.wantTimer)
			}
			if !m.Visible() || m.Level() != tc.toast.Level {
				t.Fatalf("visible %v level %s", m.Visible(), m.Level())
			}
			m, _ = m.Update(ExpiredMsg{id: m.id})
			if m.Visible() {
				t.Error("the toast's own expiry did not hide it")
			}
		})
	}
}

// An older toast's timer must not hide the toast that replaced it.
func TestStaleExpiryKeepsTheNewToast(t *testing.T) {
	m := New(common.New())
	m.Show(Toast{Text: "first", For: time.Second})
	old := m.id
	m.Show(Toast{Text: "second"})
	m, _ = m.Update(ExpiredMsg{id: old})
	if m.Text() != "second" {
		t.Errorf("toast %q after the first one's expiry, want second", m.Text())
	}
}

func TestLinkFitsTheWidth(t *testing.T) {
	m := New(common.New())
	m.Show(Toast{Text: strings.Repeat("long text ", 20), Link: "mailto:soc@example.com", LinkLabel: "[open mail]"})
	v := m.View(40)
	if !strings.Contains(v, "[open mail]") || !strings.Contains(v, "mailto:soc@example.com") {
		t.Errorf("view %q lacks the link", v)
	}
}
