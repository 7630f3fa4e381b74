package triage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cam/engine/detect"
)

// AlertState is the triage state of one alert of a run, as `cam run
// --json` adds it to the alert (the JSON names are a contract).
type AlertState struct {
	ID           string `json:"id"`
	Status       Status `json:"status"`
	Reason       Reason `json:"-"`
	FirstSeenRun int64  `json:"first_seen_run"`
	// New: not seen in the previous complete run.
	New        bool `json:"new"`
	Suppressed bool `json:"suppressed"`
	// ResolvedBy and Note are for the exports' columns.
	ResolvedBy string `json:"-"`
	Note       string `json:"-"`
}

// Shown reports whether the alert belongs in default output: open and not
// suppressed. With all, everything is shown.
func (a AlertState) Shown(all bool) bool { return all || a.Status.Open() && !a.Suppressed }

// Annotation is the triage state of every alert of one run, in the order
// of the run's Findings.Alerts.
type Annotation struct {
	RunID  int64
	States []AlertState
	byID   map[string]int
}

// Of returns the state of the run's alert i.
func (n *Annotation) Of(i int) AlertState { return n.States[i] }

// ByID returns the state of the alert id, if the run found it.
func (n *Annotation) ByID(id string) (AlertState, bool) {
	i, ok := n.byID[id]
	if !ok {
		return AlertState{}, false
	}
	return n.States[i], true
}

// Counts are the summary numbers of an annotated run.
type Counts struct {
	Open       int // open and not suppressed: what makes `cam run` exit 1
	Resolved   int
	Suppressed int // hidden by a suppression ("3 suppressed")
	New        int // not seen in the previous complete run
}

// Counts sums the run's states.
func (n *Annotation) Counts() Counts {
	var c Counts
	for _, s := range n.States {
		switch {
		case s.Suppressed:
			c.Suppressed++
		case s.Status.Open():
			c.Open++
		default:
			c.Resolved++
		}
		if s.New {
			c.New++
		}
	}
	return c
}

// Annotate stores the alerts of the recorded run runID (see Record): a
// new alert is stored as new, one already known keeps its status and
// takes the run's count, message and times; an alert whose count changed
// gets an evidence row in its history. It returns every alert's state.
// business is the detection's business zone, which places day alerts.
func (s *Store) Annotate(ctx context.Context, runID int64, f detect.Findings, business *time.Location) (*Annotation, error) {
	supp, err := s.activeSuppressions(ctx)
	if err != nil {
		return nil, err
	}
	n := &Annotation{RunID: runID, States: make([]AlertState, len(f.Alerts)), byID: make(map[string]int, len(f.Alerts))}
	now := s.now()
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		var prev int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM runs WHERE complete = 1 AND id < ?`,
			runID).Scan(&prev); err != nil {
			return err
		}
		get, err := tx.PrepareContext(ctx, `SELECT key, count, status, reason, resolved_by, note,
			COALESCE(first_seen_run, 0), first_seen, assignee FROM alerts WHERE id = ?`)
		if err != nil {
			return err
		}
		defer get.Close()
		insert, err := tx.PrepareContext(ctx, `INSERT INTO alerts (id, key, rule, user, database, severity, message,
			first_seen, last_seen, count, created_at, updated_at, first_seen_run, last_seen_run)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insert.Close()
		update, err := tx.PrepareContext(ctx, `UPDATE alerts SET database = ?, severity = ?, message = ?, first_seen = ?,
			last_seen = ?, count = ?, last_seen_run = ? WHERE id = ?`)
		if err != nil {
			return err
		}
		defer update.Close()
		// The previous complete run's alerts, read at once: one query
		// instead of one per alert.
		seen, err := alertsOfRun(ctx, tx, prev)
		if err != nil {
			return err
		}
		link, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO run_alerts (run_id, alert_id, count) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer link.Close()
		var runRef any
		if runID > 0 {
			runRef = runID
		}
		for i := range f.Alerts {
			a := &f.Alerts[i]
			key := Key(a, business)
			id := ID(key)
			st := AlertState{ID: id, Status: StatusNew, FirstSeenRun: runID, Suppressed: supp.covers(a.Rule, a.User)}
			var storedKey, status, reason, assignee string
			var count int
			var firstSeen int64
			err := get.QueryRowContext(ctx, id).Scan(&storedKey, &count, &status, &reason, &st.ResolvedBy, &st.Note,
				&st.FirstSeenRun, &firstSeen, &assignee)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if _, err := insert.ExecContext(ctx, id, key, string(a.Rule), a.User, a.Database, a.Severity.String(),
					a.Message, nanos(a.FirstSeen), nanos(a.LastSeen), a.Count, nanos(now), nanos(now), runRef, runRef); err != nil {
					return err
				}
			case err != nil:
				return err
			case storedKey != key:
				return fmt.Errorf("alert id %s stands for two alerts (%s rule, user %q); the state cannot tell them apart", id, a.Rule, a.User)
			default:
				st.Status, st.Reason = Status(status), Reason(reason)
				first := min(firstSeen, nanos(a.FirstSeen))
				if _, err := update.ExecContext(ctx, a.Database, a.Severity.String(), a.Message, first, nanos(a.LastSeen),
					a.Count, runRef, id); err != nil {
					return err
				}
				if count != a.Count {
					h := HistoryEntry{AlertID: id, At: now, SID: s.sid, OSUser: s.osUser, Kind: KindEvidence,
						FromStatus: st.Status, ToStatus: st.Status, FromReason: st.Reason, ToReason: st.Reason,
						FromAssignee: assignee, ToAssignee: assignee, Count: a.Count}
					if _, err := s.appendHistory(ctx, tx, h); err != nil {
						return err
					}
				}
			}
			st.New = !seen[id]
			if runID > 0 {
				if _, err := link.ExecContext(ctx, runID, id, a.Count); err != nil {
					return err
				}
			}
			n.States[i] = st
			n.byID[id] = i
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// alertsOfRun is the set of alert ids run recorded, read at once: one
// query instead of one per alert. Run 0 (none) has none.
func alertsOfRun(ctx context.Context, tx *sql.Tx, run int64) (map[string]bool, error) {
	seen := map[string]bool{}
	if run <= 0 {
		return seen, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT alert_id FROM run_alerts WHERE run_id = ?`, run)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		seen[id] = true
	}
	return seen, rows.Err()
}
