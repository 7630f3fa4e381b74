package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/tui/toast"
)

// watchEvery is the interval of the TUI's schedule (W): cam watch's
// default.
const watchEvery = 15 * time.Minute

// watchPoll is how soon a due run looks again while the previous run is
// still going: the schedule never starts a run beside another, the next
// starts as the last ends.
const watchPoll = time.Second

// watchState is W's schedule over the open session.
type watchState struct {
	on      bool
	next    time.Time // when the next run is due
	waiting bool      // due, but a run is still going
	gen     int       // ticks of an earlier toggle are stale
}

// watchTickMsg says the schedule's next run is due.
type watchTickMsg struct{ gen int }

func watchTick(gen int, d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return watchTickMsg{gen} })
}

// toggleWatch turns the schedule on (a run at once, then every
// watchEvery) or off.
func (m Model) toggleWatch() (tea.Model, tea.Cmd) {
	m.watch.gen++
	if m.watch.on {
		m.watch = watchState{gen: m.watch.gen}
		return m.flash(toast.Toast{Text: "Watch off"})
	}
	m.watch.on = true
	return m.watchDue()
}

// onWatchTick starts the due run, or waits for the one still going.
func (m Model) onWatchTick(msg watchTickMsg) (tea.Model, tea.Cmd) {
	if !m.watch.on || msg.gen != m.watch.gen {
		return m, nil
	}
	return m.watchDue()
}

func (m Model) watchDue() (tea.Model, tea.Cmd) {
	if m.running() {
		m.watch.waiting = true
		return m, watchTick(m.watch.gen, watchPoll)
	}
	m.watch.waiting = false
	m.watch.next = m.c.Now().Add(watchEvery)
	tick := watchTick(m.watch.gen, watchEvery)
	// A run that cannot start says why in the footer; the next tick tries
	// again.
	next, cmd := m.startRun()
	return next, tea.Batch(cmd, tick)
}

// watchHeader is the header's part for the schedule: "" when off.
func (m Model) watchHeader() string {
	switch {
	case !m.watch.on:
		return ""
	case m.watch.waiting:
		return "watch: after this run"
	}
	// Within 15 minutes the day goes without saying.
	return "watch: next " + m.watch.next.In(m.c.Zone).Format("15:04")
}
