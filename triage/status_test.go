package triage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// setTo moves the alert to status st (with a reason when resolving).
func setTo(t *testing.T, s *Store, id string, st Status) {
	t.Helper()
	c := Change{Status: st}
	if st == StatusResolved {
		c.Reason = ReasonBenign
	}
	if _, _, err := s.Set(context.Background(), id, c); err != nil {
		t.Fatalf("setting up %s: %v", st, err)
	}
}

func TestEveryTransitionAppendsAHistoryRow(t *testing.T) {
	ctx := context.Background()
	for _, from := range Statuses {
		for _, to := range Statuses {
			if from == to {
				continue
			}
			t.Run(fmt.Sprintf("%s to %s", from, to), func(t *testing.T) {
				s := openTest(t, t.TempDir(), nil)
				id := oneAlert(t, s)
				if from != StatusNew {
					setTo(t, s, id, from)
				}
				before, _ := s.History(ctx, id)
				c := Change{Status: to, Note: "checked with the user", Assignee: "B654321"}
				if to == StatusResolved {
					c.Reason = ReasonFalsePositive
				}
				a, row, err := s.Set(ctx, id, c)
				if err != nil {
					t.Fatal(err)
				}
				if a.Status != to || a.Note != "checked with the user" || a.Assignee != "B654321" {
					t.Errorf("alert after: %+v", a)
				}
				if to == StatusResolved && (a.Reason != ReasonFalsePositive || a.ResolvedBy != "A123456") {
					t.Errorf("resolved alert: reason %q by %q", a.Reason, a.ResolvedBy)
				}
				if to != StatusResolved && (a.Reason != "" || a.ResolvedBy != "") {
					t.Errorf("reopened alert keeps reason %q by %q", a.Reason, a.ResolvedBy)
				}
				after, _ := s.History(ctx, id)
				if len(after) != len(before)+1 {
					t.Fatalf("history grew from %d to %d rows, want one more", len(before), len(after))
				}
				last := after[len(after)-1]
				if last.Seq != row.Seq || last.FromStatus != from || last.ToStatus != to || last.SID != "A123456" ||
					last.OSUser != "analyst" || last.Note != "checked with the user" || last.Kind != KindStatus || last.At.IsZero() {
					t.Errorf("history row: %+v", last)
				}
				if !equalHistory(before, after[:len(before)]) {
					t.Errorf("earlier history rows changed")
				}
			})
		}
	}
}

func equalHistory(a, b []HistoryEntry) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

func TestSetRefusals(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), nil)
	id := oneAlert(t, s)
	cases := []struct {
		name string
		id   string
		c    Change
		want string
	}{
		{"resolve without a reason", id, Change{Status: StatusResolved}, "needs a closing reason"},
		{"a reason without resolving", id, Change{Status: StatusEscalated, Reason: ReasonBenign}, "goes only with status resolved"},
		{"unknown status", id, Change{Status: "closed"}, `"closed" is not a status`},
		{"unknown reason", id, Change{Status: StatusResolved, Reason: "meh"}, `"meh" is not a closing reason`},
		{"no change", id, Change{Status: StatusNew}, "already new"},
		{"nothing at all", id, Change{}, "nothing to change"},
		{"unknown id", "ffffffffffff", Change{Status: StatusEscalated}, `"ffffffffffff"`},
		{"a note too long", id, Change{Note: strings.Repeat("x", maxNoteLen+1)}, "limit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := s.Set(ctx, tc.id, tc.c)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if h, _ := s.History(ctx, id); len(h) != 0 {
		t.Errorf("refused changes left %d history rows", len(h))
	}
	if _, _, err := s.Set(ctx, "ffffffffffff", Change{Status: StatusEscalated}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v, want ErrNotFound", err)
	}
}

func TestHistoryCannotBeRewritten(t *testing.T) {
	s := openTest(t, t.TempDir(), nil)
	id := oneAlert(t, s)
	setTo(t, s, id, StatusEscalated)
	for _, stmt := range []string{"UPDATE history SET note = 'x'", "DELETE FROM history"} {
		if _, err := s.db.Exec(stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused", stmt, err)
		}
	}
}

func TestNoteKeepsStatusAndBecomesLatest(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), nil)
	id := oneAlert(t, s)
	setTo(t, s, id, StatusAcknowledged)
	a, row, err := s.Set(ctx, id, Change{Note: "called the branch"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != StatusAcknowledged || a.Note != "called the branch" || row.Kind != KindNote {
		t.Fatalf("after a note: %+v, row %+v", a, row)
	}
}

func TestUndo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir, nil)
	id := oneAlert(t, s)
	if _, _, err := s.Undo(ctx); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("undo with no change: %v", err)
	}
	setTo(t, s, id, StatusAcknowledged)
	if _, _, err := s.Set(ctx, id, Change{Status: StatusResolved, Reason: ReasonFalsePositive, Note: "test account"}); err != nil {
		t.Fatal(err)
	}
	a, row, err := s.Undo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != StatusAcknowledged || a.Reason != "" || a.Note != "" || row.Kind != KindUndo {
		t.Fatalf("after one undo: %+v, row %+v", a, row)
	}
	if a, _, err = s.Undo(ctx); err != nil || a.Status != StatusNew {
		t.Fatalf("after two undos: %+v, %v", a, err)
	}
	h, _ := s.History(ctx, id)
	if len(h) != 4 {
		t.Fatalf("history has %d rows, want 4 (two changes, two undos, none removed)", len(h))
	}

	// Another analyst's change in between is not undone over.
	setTo(t, s, id, StatusEscalated)
	other := openTest(t, dir, nil)
	other.sid = "B654321"
	if _, _, err := other.Set(ctx, id, Change{Status: StatusResolved, Reason: ReasonTruePositive}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Undo(ctx); err == nil || !strings.Contains(err.Error(), "B654321") {
		t.Fatalf("undo over another's change: %v, want a refusal naming B654321", err)
	}
}
