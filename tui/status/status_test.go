package status

import (
	"strings"
	"testing"
	"time"

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
