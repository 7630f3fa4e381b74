package session

import (
	"context"
	"errors"
	"time"

	"cam/engine/detect"
	"cam/journal"
	"cam/triage"
)

// ErrNoState is returned by the triage use cases of a session opened
// without a state database.
var ErrNoState = errors.New("no triage state is open")

// OpenState opens the triage state of the session's configuration
// (app_settings state_dir) as the configured analyst; the session keeps
// it for its triage use cases and closes it with Close.
func (s *Session) OpenState() (*triage.Store, error) {
	st, err := triage.Open(s.cfg.Settings.App.StateDir, triage.Options{SID: s.cfg.Settings.User.SID})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.state = st
	s.mu.Unlock()
	return st, nil
}

func (s *Session) store() (*triage.Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == nil {
		return nil, ErrNoState
	}
	return s.state, nil
}

// SetAlert changes an alert's status (with its reason, note, assignee)
// and records the change in the audit trail, never the note's text.
func (s *Session) SetAlert(ctx context.Context, id string, c triage.Change) (triage.Alert, triage.HistoryEntry, error) {
	st, err := s.store()
	if err != nil {
		return triage.Alert{}, triage.HistoryEntry{}, err
	}
	a, row, err := st.Set(ctx, id, c)
	if err != nil {
		return a, row, err
	}
	s.trail.Record(journal.ActionTriageSet, journal.TriageDetails(a.ID, string(row.FromStatus), string(row.ToStatus),
		string(row.ToReason), len(row.Note)))
	return a, row, nil
}

// UndoAlert takes back this session's last change and records it.
func (s *Session) UndoAlert(ctx context.Context) (triage.Alert, triage.HistoryEntry, error) {
	st, err := s.store()
	if err != nil {
		return triage.Alert{}, triage.HistoryEntry{}, err
	}
	a, row, err := st.Undo(ctx)
	if err != nil {
		return a, row, err
	}
	s.trail.Record(journal.ActionTriageUndo, journal.TriageDetails(a.ID, string(row.FromStatus), string(row.ToStatus),
		string(row.ToReason), len(row.Note)))
	return a, row, nil
}

// Suppress hides rule's alerts for user (every rule when rule is "") for
// d, and records the suppression in the audit trail.
func (s *Session) Suppress(ctx context.Context, user string, rule detect.Rule, reason string, d time.Duration) (triage.Suppression, error) {
	st, err := s.store()
	if err != nil {
		return triage.Suppression{}, err
	}
	x, err := st.Suppress(ctx, user, rule, reason, d)
	if err != nil {
		return x, err
	}
	s.trail.Record(journal.ActionSuppressionAdded, journal.SuppressionDetails(x.ID, string(x.Rule), d))
	return x, nil
}
