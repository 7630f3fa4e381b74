package tui

import (
	"strings"
	"testing"
)

func tick(m Model, msg watchTickMsg) Model {
	next, _ := m.Update(msg)
	return next.(Model)
}

// TestWatchToggleRunsOnScheduleWithoutOverlap: W starts a run at once and
// shows the next run's time; a tick while the run goes on waits for it;
// the tick after it ends starts the next; W again stops, and a tick of the
// old schedule starts nothing.
func TestWatchToggleRunsOnScheduleWithoutOverlap(t *testing.T) {
	m, fe := newModel(t)
	m, cmd := press(t, m, "W")
	if len(fe.runs) != 1 || !m.running() || cmd == nil {
		t.Fatalf("W did not start a run and arm the schedule (runs %d)", len(fe.runs))
	}
	header := strings.SplitN(m.View(), "\n", 2)[0]
	if !strings.Contains(header, "watch: next") {
		t.Errorf("header %q does not show the next run", header)
	}
	gen := m.watch.gen
	m = tick(m, watchTickMsg{gen})
	if len(fe.runs) != 1 {
		t.Fatalf("a due run started beside the one going (%d runs)", len(fe.runs))
	}
	if header := strings.SplitN(m.View(), "\n", 2)[0]; !strings.Contains(header, "watch: after this run") {
		t.Errorf("header %q does not say the next run waits", header)
	}
	m = send(m, 1, finished(1))
	m = tick(m, watchTickMsg{gen})
	if len(fe.runs) != 2 || !m.running() {
		t.Fatalf("the waiting run did not start when the last ended (%d runs)", len(fe.runs))
	}
	m = send(m, 2, finished(2))
	m, _ = press(t, m, "W")
	if header := strings.SplitN(m.View(), "\n", 2)[0]; strings.Contains(header, "watch") {
		t.Errorf("header %q still shows the schedule after W", header)
	}
	m = tick(m, watchTickMsg{gen})
	if len(fe.runs) != 2 {
		t.Errorf("a tick of the stopped schedule started a run")
	}
}
