package status

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/engine"
	"cam/tui/common"
)

// The selected row shows its rejected rows by reason and column, whole,
// whether the query succeeded or failed.
func TestSelectedRowShowsRejectionsByReason(t *testing.T) {
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	ref := engine.QueryRef{RunID: 1, Database: "accounts", Query: "passwords"}
	for _, ev := range []engine.Event{
		engine.QueryFinished{QueryRef: ref, Rows: 10, Rejected: 4, RejectNote: "3 unparseable_time in change_timestamp, 1 null_user in user_id"},
		engine.QueryFailed{QueryRef: ref, Rejected: 4, Class: engine.ClassData, Err: "all 4 rows rejected: change_timestamp holds numbers",
			RejectNote: "4 not_text_time in change_timestamp"},
	} {
		m := New(common.New())
		m.SetSize(80, 20)
		m.Apply(engine.QueryQueued{QueryRef: ref}, now)
		m.Apply(ev, now)
		view := m.View()
		var want string
		switch e := ev.(type) {
		case engine.QueryFinished:
			want = e.RejectNote
		case engine.QueryFailed:
			want = e.RejectNote
		}
		flat := strings.Join(strings.Fields(view), " ")
		if !strings.Contains(flat, "Rejected rows: "+want) {
			t.Errorf("view does not show %q:\n%s", want, view)
		}
	}
}

// Two queries whose names share a long beginning are told apart on their
// rows, the selected row is marked without colour, and its full name
// and the failure (its class said once) show below the table.
func TestRowsShowTheDistinguishingPartAndTheSelectedFullName(t *testing.T) {
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	m := New(common.New())
	m.SetSize(60, 20)
	email := engine.QueryRef{RunID: 1, Database: "accounts", Query: "Get all email address changes of the day"}
	phone := engine.QueryRef{RunID: 1, Database: "accounts", Query: "Get all phone number changes of the day"}
	m.Apply(engine.QueryQueued{QueryRef: email}, now)
	m.Apply(engine.QueryQueued{QueryRef: phone}, now)
	m.Apply(engine.QueryFailed{QueryRef: phone, Class: engine.ClassConnection, Err: "connection to db:1521 failed: no such host"}, now)
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyDown})
	view := m.View()
	lines := strings.Split(view, "\n")
	var emailRow, phoneRow string
	for _, l := range lines {
		switch {
		case strings.Contains(l, "queued"):
			emailRow = l
		case strings.Contains(l, "failed") && phoneRow == "":
			phoneRow = l
		}
	}
	if emailRow == "" || phoneRow == "" || !strings.Contains(phoneRow, "…phone") || !strings.Contains(emailRow, "…email") {
		t.Errorf("rows do not keep the queries' ends:\n%s", view)
	}
	if !strings.HasPrefix(phoneRow, m.c.Styles.Marker) || strings.HasPrefix(emailRow, m.c.Styles.Marker) {
		t.Errorf("the selection marker is not on the selected row only:\n%s", view)
	}
	flat := strings.Join(strings.Fields(view), " ")
	if !strings.Contains(flat, "accounts / Get all phone number changes of the day") {
		t.Errorf("the selected query's full name is not shown:\n%s", view)
	}
	if strings.Contains(flat, "connection: connection") {
		t.Errorf("the error class is said twice:\n%s", view)
	}
}
