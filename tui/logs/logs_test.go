package logs

import (
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"cam/internal/applog"
	"cam/internal/inert/inerttest"
	"cam/tui/common"
)

// at is a fixed instant in UTC; tests show it in UTC.
var at = time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)

func newPane(w, h int, sink *Sink) Model {
	c := common.New()
	c.Zone = time.UTC
	m := New(c, sink)
	m.SetSize(w, h)
	return m
}

func rec(sec int, level slog.Level, msg string, attrs ...applog.Attr) applog.Record {
	return applog.Record{Time: at.Add(time.Duration(sec) * time.Second), Level: level, Module: "engine", Message: msg, Attrs: attrs}
}

func give(m Model, rs ...applog.Record) Model {
	m, _ = m.Update(RecordsMsg{Records: rs})
	return m
}

// deliver runs the pane's pending command as Bubble Tea would, with a
// deadline so a pane that waits for nothing fails instead of hanging.
func deliver(t *testing.T, m Model, cmd tea.Cmd) (Model, tea.Cmd) {
	t.Helper()
	if cmd == nil {
		t.Fatal("the pane is not waiting for records")
	}
	got := make(chan tea.Msg, 1)
	go func() { got <- cmd() }()
	select {
	case msg := <-got:
		return m.Update(msg)
	case <-time.After(5 * time.Second):
		t.Fatal("no records arrived")
	}
	return m, nil
}

var clockPrefix = regexp.MustCompile(`^\d\d:\d\d:\d\d `)

func TestShowsWhatTheHandlerLogs(t *testing.T) {
	sink := NewSink()
	m := newPane(100, 6, sink)
	cmd := m.Init()
	logger := applog.NewLogger(slog.LevelInfo, "cli", sink)
	logger.With(applog.ModuleKey, "engine").Error("query failed", "db", "accounts", "error", "connection refused")
	logger.Info("export written", "file", "/srv/soc/reports/client_activity_20261122.xlsx")
	logger.Debug("below the level")

	m, cmd = deliver(t, m, cmd)
	if got := len(m.Records()); got != 2 {
		t.Fatalf("the pane holds %d records, want 2", got)
	}
	lines := strings.Split(m.View(), "\n")
	wants := []string{
		`ERROR engine query failed db=accounts error="connection refused"`,
		"INFO  cli export written file=/srv/soc/reports/client_activity_20261122.xlsx",
	}
	for i, want := range wants {
		if !clockPrefix.MatchString(lines[i]) || !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %q, want the time of day and %q", i, lines[i], want)
		}
	}

	logger.Warn("query retrying", "attempt", 2)
	m, _ = deliver(t, m, cmd) // the pane re-armed its wait
	if v := m.View(); !strings.Contains(v, "WARN  cli query retrying attempt=2") {
		t.Errorf("the next record did not arrive:\n%s", v)
	}
}

func TestFollowsTheTailUntilScrolledUp(t *testing.T) {
	m := newPane(60, 5, nil)
	for i := 1; i <= 20; i++ {
		m = give(m, rec(i, slog.LevelInfo, fmt.Sprintf("line %d", i)))
	}
	if v := m.View(); !strings.Contains(v, "line 20") || strings.Contains(v, "line 15") {
		t.Fatalf("not following the tail:\n%s", v)
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyUp})
	m = give(m, rec(21, slog.LevelWarn, "line 21"))
	v := m.View()
	if strings.Contains(v, "line 21") || !strings.Contains(v, "1 new lines") {
		t.Fatalf("scrolled view jumped to the new line or hides the indicator:\n%s", v)
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("G")})
	if v := m.View(); !strings.Contains(v, "line 21") || m.Title() != "Logs" {
		t.Errorf("G did not resume following:\n%s", v)
	}
}

func TestKeepsABoundedNumberOfRecords(t *testing.T) {
	m := newPane(60, 5, nil)
	batch := make([]applog.Record, maxRecords+10)
	for i := range batch {
		batch[i] = rec(i, slog.LevelInfo, fmt.Sprintf("line %d", i))
	}
	m = give(m, batch...)
	if got := m.Records(); len(got) != maxRecords || got[0].Message != "line 10" {
		t.Errorf("%d records kept, the first %q; want %d from line 10", len(got), got[0].Message, maxRecords)
	}
}

func TestSaysHowManyRecordsTheSinkDropped(t *testing.T) {
	sink := NewSink()
	for i := range maxPending + 3 {
		if err := sink.Put(rec(i, slog.LevelInfo, fmt.Sprintf("line %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	m := newPane(80, 4, sink)
	m, _ = deliver(t, m, m.Init())
	rs := m.Records()
	if len(rs) != maxPending+1 || rs[1].Message != "line 3" {
		t.Fatalf("%d records, the second %q; want a note and %d records from line 3", len(rs), rs[1].Message, maxPending)
	}
	if rs[0].Level != slog.LevelWarn || !strings.Contains(rs[0].Message, "3 log lines not shown here") {
		t.Errorf("the gap is shown as %+v", rs[0])
	}
}

func TestShowsRecordsCompactlyAndFitsTheWidth(t *testing.T) {
	m := newPane(40, 4, nil)
	m = give(m, rec(187, slog.LevelError, "query failed", applog.Attr{Key: "db", Value: "accounts"}, applog.Attr{Key: "class", Value: "connection"}))
	lines := strings.Split(m.View(), "\n")
	if want := "14:03:07 ERROR engine query failed db=a…"; lines[0] != want {
		t.Errorf("record shown as %q, want %q", lines[0], want)
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w != 40 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
}

func TestColoursTheLevel(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	t.Cleanup(func() { lipgloss.SetColorProfile(termenv.Ascii) })
	m := newPane(80, 2, nil)
	m = give(m, rec(0, slog.LevelError, "bad"), rec(1, slog.LevelInfo, "good"))
	lines := strings.Split(m.View(), "\n")
	st := m.c.Styles
	for i, name := range []string{"error", "info"} {
		word := strings.ToUpper(name)
		if styled := st.Level(name).Render(fmt.Sprintf("%-5s", word)); !strings.Contains(lines[i], styled) || styled == fmt.Sprintf("%-5s", word) {
			t.Errorf("line %d %q does not carry the %s style %q", i, lines[i], name, styled)
		}
	}
}

// TestHostileRecordsStayInert: a record that did not come through the
// handler (or a handler bug) still cannot act on the terminal.
func TestHostileRecordsStayInert(t *testing.T) {
	m := newPane(200, len(inerttest.Corpus), nil)
	for _, c := range inerttest.Corpus {
		r := rec(0, slog.LevelError, "failed: "+c.Text, applog.Attr{Key: c.Text, Value: c.Text})
		r.Module = c.Text
		m = give(m, r)
	}
	if bad := inerttest.Active(m.View(), true); bad != "" {
		t.Errorf("the pane shows %s:\n%q", bad, m.View())
	}
}
