package tui

import (
	"bytes"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"cam/engine"
	"cam/krb5"
	"cam/tui/results"
)

// lockedBuffer is a log destination the test reads after commands wrote.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLastMessageShowsEveryExportedPath: the export toast is cut at 80
// columns; ! shows it whole, every path on its own lines however long,
// and the log has the paths too. esc closes the view.
func TestLastMessageShowsEveryExportedPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), strings.Repeat("deep-report-folder/", 4))
	m, _ := handoffModel(t, dir)
	var logged lockedBuffer
	m.log = slog.New(slog.NewTextHandler(&logged, nil))
	m, cmd := press(t, m, "e")
	m = runCmd(t, m, cmd)
	if !strings.HasSuffix(m.footer(), "! more") {
		t.Errorf("the cut toast does not point to !: %q", m.footer())
	}
	m, _ = press(t, m, "!")
	if m.message == nil {
		t.Fatal("! opened no message view")
	}
	screen := strings.ReplaceAll(m.View(), "┃", "")
	joined := strings.Join(strings.Fields(screen), "")
	workbooks, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	if len(workbooks) != 1 || !strings.Contains(joined, workbooks[0]) {
		t.Errorf("the message view does not hold the workbook's path %v:\n%s", workbooks, screen)
	}
	for i, l := range strings.Split(m.View(), "\n") {
		if lipglossWidth(l) > 80 {
			t.Errorf("line %d is %d wide", i, lipglossWidth(l))
		}
	}
	if !strings.Contains(logged.String(), filepath.Base(workbooks[0])) {
		t.Errorf("the log does not name the export:\n%s", logged.String())
	}
	m, _ = press(t, m, "esc")
	if m.message != nil || !strings.Contains(m.View(), "5 Results") {
		t.Error("esc did not close the message view")
	}
}

// TestEnterOnAStatusRowShowsItsWholeFailure: a failed query's cause is
// cut in the table; enter on its row shows the whole text, wrapped, with
// its rejected rows by reason, and j scrolls a text longer than the view.
func TestEnterOnAStatusRowShowsItsWholeFailure(t *testing.T) {
	m, _ := newModel(t)
	m, _ = press(t, m, "r")
	ref := engine.QueryRef{RunID: 1, Database: "clients", Query: "Email"}
	cause := "dial tcp: lookup db-primary.corp.example.invalid on 127.0.0.53:53: no such host"
	m = send(m, 1, engine.QueryQueued{QueryRef: ref})
	m = send(m, 1, engine.QueryFailed{QueryRef: ref, Class: engine.ErrorClass("connection"), Err: strings.Repeat("retrying; ", 200) + cause,
		Rejected: 3, RejectNote: "3 rows: unparseable timestamp in column EVENT_TIME"})
	m, _ = press(t, m, "3", "enter")
	if m.message == nil {
		t.Fatal("enter on the status row opened nothing")
	}
	full := strings.Join(strings.Fields(m.message.Text()), " ")
	for _, want := range []string{cause, "unparseable timestamp in column EVENT_TIME", "Rejected rows"} {
		if !strings.Contains(full, want) {
			t.Errorf("the message lacks %q:\n%s", want, m.message.Text())
		}
	}
	top := m.message.View()
	m, _ = press(t, m, "jjjj")
	if m.message.View() == top {
		t.Error("jjjj did not scroll a message longer than the view")
	}
	if !strings.Contains(m.message.Title(), "lines 5–") {
		t.Errorf("the title does not say where the view is: %q", m.message.Title())
	}
	m, _ = press(t, m, "G")
	if !strings.Contains(strings.Join(strings.Fields(m.message.View()), " "), "EVENT_TIME") {
		t.Errorf("G did not reach the end:\n%s", m.message.View())
	}
	m, _ = press(t, m, "enter")
	if m.message != nil {
		t.Error("enter did not close the view")
	}
}

// TestLastMessageBeforeAnyMessage says so instead of opening an empty view.
func TestLastMessageBeforeAnyMessage(t *testing.T) {
	m, _ := newModel(t)
	m, _ = press(t, m, "!")
	if m.message != nil || !strings.Contains(m.toast.Text(), "No message yet") {
		t.Errorf("! with no message: view %v, toast %q", m.message != nil, m.toast.Text())
	}
}

// TestKinitFailureIsLoggedAndReadableWhole: kinit's complaint goes to the
// log and, whole, to the message view.
func TestKinitFailureIsLoggedAndReadableWhole(t *testing.T) {
	m, _ := kerberosModel(t, stateOf(krb5.Status{State: krb5.StateMissing, Problem: "no ticket"}))
	var logged lockedBuffer
	m.log = slog.New(slog.NewTextHandler(&logged, nil))
	complaint := "kinit: Cannot find KDC for realm \"CORP.EXAMPLE\" while getting initial credentials"
	next, cmd := m.Update(kinitDoneMsg{err: errors.New("exit status 1"), detail: complaint})
	m = next.(Model)
	batchMsgs(cmd) // runs the log command
	if !strings.Contains(logged.String(), "kinit failed") || !strings.Contains(logged.String(), "Cannot find KDC") {
		t.Errorf("the log lacks kinit's failure:\n%s", logged.String())
	}
	m, _ = press(t, m, "!")
	if m.message == nil || !strings.Contains(m.message.Text(), complaint) {
		t.Fatalf("! does not show kinit's whole complaint")
	}
}

// w in the results' detail or timeline asks for an event row whole; the
// root shows it in the message view, with the database's text made inert.
func TestWholeRowOpensTheMessageView(t *testing.T) {
	m, _ := newModel(t)
	next, _ := m.Update(results.WholeRowMsg{Title: "Event of jdoe", Text: "Database: a_very_long_database_name\x1b[2J\nQuery: q"})
	m = next.(Model)
	if m.message == nil {
		t.Fatal("the message view did not open")
	}
	v := m.View()
	if !strings.Contains(v, "a_very_long_database_name") || strings.Contains(v, "\x1b[2J") {
		t.Errorf("the row is not shown whole, or not inert:\n%q", v)
	}
}
