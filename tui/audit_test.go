package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/session"
)

// stuckRecorder is an audit trail on a disk that does not answer until
// released.
type stuckRecorder struct{ release chan struct{} }

func (s stuckRecorder) Record(string, map[string]any) error {
	<-s.release
	return nil
}

// A disk that hangs must not hang the screen: the run starts, its events
// arrive and its end shows while the trail is still waiting for the disk.
func TestStuckAuditTrailDoesNotFreezeTheScreen(t *testing.T) {
	rec := stuckRecorder{release: make(chan struct{})}
	trail := session.NewTrail(rec, nil)
	defer func() { close(rec.release); trail.Close() }()
	fe := &fakeEngine{}
	m := New(Options{Config: testConfig("sqlite"), Engine: fe, Audit: trail})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = next.(Model)

	done := make(chan Model)
	go func() {
		m, _ := press(t, m, "r")
		m = send(m, 1, finished(1))
		done <- m
	}()
	select {
	case m = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Update waited for the audit trail's disk")
	}
	if !strings.Contains(strings.SplitN(m.View(), "\n", 2)[0], "1 suspicious") {
		t.Errorf("the finished run is not on screen:\n%s", m.View())
	}
}
