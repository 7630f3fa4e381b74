// Package logs is the log pane: the application log's records, colour-coded
// by level, following the tail unless the analyst scrolled up. Records come
// from the log handler through a Sink, already masked and inert; nothing
// here parses text.
package logs

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"cam/internal/applog"
	"cam/internal/inert"
	"cam/tui/common"
)

// maxRecords bounds memory: older records are dropped (the log file keeps
// them).
const maxRecords = 5000

// Model is the log pane.
type Model struct {
	c       *common.Common
	sink    *Sink
	records []applog.Record
	offset  int // records scrolled up from the tail; 0 follows the tail
	unread  int // records that arrived while scrolled up
	w, h    int
}

// New returns an empty log pane showing what reaches sink (nil: nothing).
func New(c *common.Common, sink *Sink) Model { return Model{c: c, sink: sink} }

// Init starts waiting for records.
func (m Model) Init() tea.Cmd { return m.sink.wait() }

// Records returns the kept records, oldest first.
func (m Model) Records() []applog.Record { return m.records }

// add keeps new records, noting first how many the sink dropped.
func (m *Model) add(msg RecordsMsg) {
	rs := msg.Records
	if msg.Dropped > 0 {
		gap := applog.Record{Time: m.c.Now(), Level: slog.LevelWarn, Module: "tui",
			Message: fmt.Sprintf("%d log lines not shown here: the log file has them", msg.Dropped)}
		rs = append([]applog.Record{gap}, rs...)
	}
	m.records = append(m.records, rs...)
	if over := len(m.records) - maxRecords; over > 0 {
		m.records = append([]applog.Record(nil), m.records[over:]...)
	}
	if m.offset > 0 {
		m.offset += len(rs)
		m.unread += len(rs)
	}
	m.clampOffset()
}

// Update takes records from the sink and scrolls on keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case RecordsMsg:
		m.add(msg)
		return m, m.sink.wait()
	case tea.KeyMsg:
		m.scroll(msg)
	}
	return m, nil
}

func (m *Model) scroll(k tea.KeyMsg) {
	keys := m.c.Keys
	// The offset counts lines up from the newest: moving down lowers it.
	if d, ok := keys.Movement(k, max(1, m.h-2), len(m.records)); ok {
		m.offset -= d
	}
	m.clampOffset()
}

func (m *Model) clampOffset() {
	m.offset = max(0, min(m.offset, len(m.records)-m.bodyHeight()))
	if m.offset == 0 {
		m.unread = 0
	}
}

func (m Model) bodyHeight() int {
	if m.offset > 0 {
		return max(1, m.h-1)
	}
	return max(1, m.h)
}

// SetSize sets the inner size.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h }

// Title names the pane and says when it is not following.
func (m Model) Title() string {
	if m.offset > 0 {
		return "Logs (scrolled)"
	}
	return "Logs"
}

// InputFocused is always false.
func (m Model) InputFocused() bool { return false }

// ShortHelp lists the pane's keys.
func (m Model) ShortHelp() []key.Binding {
	return []key.Binding{m.c.Keys.Up, m.c.Keys.Down, m.c.Keys.Bottom}
}

// FullHelp lists the pane's keys.
func (m Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
}

// View renders the visible records.
func (m Model) View() string {
	if len(m.records) == 0 {
		return common.FitLines([]string{m.c.Styles.Muted.Render("Log lines appear here during a run.")}, m.w, m.h)
	}
	body := m.bodyHeight()
	end := len(m.records) - m.offset
	start := max(0, end-body)
	var out []string
	for _, r := range m.records[start:end] {
		out = append(out, m.render(r))
	}
	if m.offset > 0 {
		note := fmt.Sprintf("↓ %d newer lines — G to follow", m.offset)
		if m.unread > 0 {
			note = fmt.Sprintf("↓ %d new lines — G to follow", m.unread)
		}
		out = append(out, m.c.Styles.WarnText.Render(note))
	}
	return common.FitLines(out, m.w, m.h)
}

// levelStyles maps level words to style names.
var levelStyles = map[string]string{"DEBUG": "debug", "INFO": "info", "WARN": "warn", "ERROR": "error"}

// render shows one record as "15:04:05 LEVEL module message k=v", cut to
// the pane's width. The pane shows the time of day only: the date is
// today's for a live run, and 80 columns are better spent on the message.
func (m Model) render(r applog.Record) string {
	st := m.c.Styles
	clock := r.Time.In(m.c.Zone).Format(time.TimeOnly)
	level := applog.LevelName(r.Level)
	// The handler made the text inert; the pane does not rely on every
	// sender having used it.
	module, text := inert.Text(r.Module), inert.Text(r.Text())
	head := fmt.Sprintf("%s %-5s %s ", clock, level, module)
	text = common.Truncate(text, max(0, m.w-len(head)))
	return st.Muted.Render(clock) + " " + st.Level(levelStyles[level]).Render(fmt.Sprintf("%-5s", level)) + " " +
		st.Muted.Render(module) + " " + text
}
