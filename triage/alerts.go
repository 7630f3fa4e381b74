package triage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cam/engine/detect"
)

// ErrNotFound is returned for an alert id the state does not hold.
var ErrNotFound = errors.New("no such alert")

// Alert is an alert as the state holds it: what the last run that saw it
// found, and where triage stands.
type Alert struct {
	ID           string
	Rule         detect.Rule
	User         string
	Database     string
	Severity     string
	Message      string
	FirstSeen    time.Time
	LastSeen     time.Time
	Count        int
	Status       Status
	Reason       Reason
	Assignee     string
	ResolvedBy   string // the SID that resolved it; "" unless resolved
	Note         string // the latest note
	FirstSeenRun int64  // 0 when no recorded run saw it
	LastSeenRun  int64
	UpdatedAt    time.Time
	Suppressed   bool // set by List: an active suppression covers it
}

const alertColumns = `id, rule, user, database, severity, message, first_seen, last_seen, count, status, reason,
	assignee, resolved_by, note, COALESCE(first_seen_run, 0), COALESCE(last_seen_run, 0), updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanAlert(r scanner) (Alert, error) {
	var a Alert
	var rule, status, reason string
	var first, last, updated int64
	err := r.Scan(&a.ID, &rule, &a.User, &a.Database, &a.Severity, &a.Message, &first, &last, &a.Count, &status,
		&reason, &a.Assignee, &a.ResolvedBy, &a.Note, &a.FirstSeenRun, &a.LastSeenRun, &updated)
	a.Rule, a.Status, a.Reason = detect.Rule(rule), Status(status), Reason(reason)
	a.FirstSeen, a.LastSeen, a.UpdatedAt = fromNanos(first), fromNanos(last), fromNanos(updated)
	return a, err
}

// Get returns the alert with id.
func (s *Store) Get(ctx context.Context, id string) (Alert, error) {
	return getAlert(ctx, s.db, id)
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getAlert(ctx context.Context, q querier, id string) (Alert, error) {
	a, err := scanAlert(q.QueryRowContext(ctx, "SELECT "+alertColumns+" FROM alerts WHERE id = ?", normaliseID(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return Alert{}, fmt.Errorf("alert %q: %w", id, ErrNotFound)
	}
	return a, err
}

func normaliseID(id string) string { return strings.ToLower(strings.TrimSpace(id)) }

// Filter narrows List.
type Filter struct {
	Status Status // "" for every status
	// OpenOnly leaves out resolved alerts.
	OpenOnly bool
	// WithSuppressed includes alerts an active suppression covers.
	WithSuppressed bool
}

// Listing is List's answer: the alerts shown and how many an active
// suppression hid.
type Listing struct {
	Alerts     []Alert
	Suppressed int
}

// List returns the alerts matching f, worst first, then earliest.
func (s *Store) List(ctx context.Context, f Filter) (Listing, error) {
	now := nanos(s.now())
	q := "SELECT " + alertColumns + `, EXISTS (SELECT 1 FROM suppressions x WHERE x.user = alerts.user
		AND (x.rule = '' OR x.rule = alerts.rule) AND x.expires_at > ?) FROM alerts WHERE 1 = 1`
	args := []any{now}
	if f.Status != "" {
		q += " AND status = ?"
		args = append(args, string(f.Status))
	}
	if f.OpenOnly {
		q += " AND status <> 'resolved'"
	}
	q += ` ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
		first_seen, user, rule`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return Listing{}, err
	}
	defer rows.Close()
	var out Listing
	for rows.Next() {
		var a Alert
		var rule, status, reason string
		var first, last, updated int64
		var suppressed bool
		if err := rows.Scan(&a.ID, &rule, &a.User, &a.Database, &a.Severity, &a.Message, &first, &last, &a.Count,
			&status, &reason, &a.Assignee, &a.ResolvedBy, &a.Note, &a.FirstSeenRun, &a.LastSeenRun, &updated,
			&suppressed); err != nil {
			return Listing{}, err
		}
		a.Rule, a.Status, a.Reason = detect.Rule(rule), Status(status), Reason(reason)
		a.FirstSeen, a.LastSeen, a.UpdatedAt = fromNanos(first), fromNanos(last), fromNanos(updated)
		a.Suppressed = suppressed
		if suppressed && !f.WithSuppressed {
			out.Suppressed++
			continue
		}
		out.Alerts = append(out.Alerts, a)
	}
	return out, rows.Err()
}

// HistoryEntry is one row of an alert's history. Rows are only ever
// appended.
type HistoryEntry struct {
	Seq          int64
	AlertID      string
	At           time.Time
	SID          string
	OSUser       string
	Kind         string // status, note, evidence, undo
	FromStatus   Status
	ToStatus     Status
	FromReason   Reason
	ToReason     Reason
	FromAssignee string
	ToAssignee   string
	Note         string
	Count        int   // evidence rows: the new count
	Undoes       int64 // undo rows: the seq undone
}

// History kinds.
const (
	KindStatus   = "status"   // a status, reason or assignee change, perhaps with a note
	KindNote     = "note"     // a note alone
	KindEvidence = "evidence" // a rerun found more evidence: the new count
	KindUndo     = "undo"     // restores what the row it undoes changed
)

// History returns the alert's history, oldest first.
func (s *Store) History(ctx context.Context, id string) ([]HistoryEntry, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, alert_id, at, sid, os_user, kind, from_status, to_status,
		from_reason, to_reason, from_assignee, to_assignee, note, count, COALESCE(undoes, 0)
		FROM history WHERE alert_id = ? ORDER BY seq`, normaliseID(id))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var h HistoryEntry
		var at int64
		var fs, ts, fr, tr string
		if err := rows.Scan(&h.Seq, &h.AlertID, &at, &h.SID, &h.OSUser, &h.Kind, &fs, &ts, &fr, &tr,
			&h.FromAssignee, &h.ToAssignee, &h.Note, &h.Count, &h.Undoes); err != nil {
			return nil, err
		}
		h.At = fromNanos(at)
		h.FromStatus, h.ToStatus, h.FromReason, h.ToReason = Status(fs), Status(ts), Reason(fr), Reason(tr)
		out = append(out, h)
	}
	return out, rows.Err()
}

// Set applies a change to the alert id and appends its history row, in
// one transaction; it returns the alert as changed and the row.
func (s *Store) Set(ctx context.Context, id string, c Change) (Alert, HistoryEntry, error) {
	id = normaliseID(id)
	c.Note = strings.TrimSpace(c.Note)
	c.Assignee = strings.TrimSpace(c.Assignee)
	var out Alert
	var row HistoryEntry
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		cur, err := getAlert(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := c.check(id); err != nil {
			return err
		}
		to := cur.Status
		if c.Status != "" {
			to = c.Status
		}
		reason := cur.Reason
		if to != StatusResolved {
			reason = ""
		} else if c.Reason != "" {
			reason = c.Reason
		}
		assignee := cur.Assignee
		if c.Assignee != "" {
			assignee = c.Assignee
		}
		kind := KindStatus
		if to == cur.Status && reason == cur.Reason && assignee == cur.Assignee {
			if c.Note == "" {
				return fmt.Errorf("alert %s is already %s", id, describe(cur.Status, cur.Reason))
			}
			kind = KindNote
		}
		row = HistoryEntry{AlertID: id, At: s.now(), SID: s.sid, OSUser: s.osUser, Kind: kind,
			FromStatus: cur.Status, ToStatus: to, FromReason: cur.Reason, ToReason: reason,
			FromAssignee: cur.Assignee, ToAssignee: assignee, Note: c.Note}
		if row.Seq, err = s.appendHistory(ctx, tx, row); err != nil {
			return err
		}
		out, err = s.apply(ctx, tx, cur, to, reason, assignee, row.At)
		return err
	})
	return out, row, err
}

func describe(st Status, r Reason) string {
	if r != "" {
		return fmt.Sprintf("%s (%s)", st, r)
	}
	return string(st)
}

// apply writes a new status, reason and assignee on the alert and
// recomputes its latest note and resolver from the history.
func (s *Store) apply(ctx context.Context, tx *sql.Tx, cur Alert, to Status, reason Reason, assignee string, at time.Time) (Alert, error) {
	resolvedBy := ""
	if to == StatusResolved {
		resolvedBy = cur.ResolvedBy
		if cur.Status != StatusResolved || cur.Reason != reason {
			resolvedBy = s.sid
		}
	}
	var note string
	err := tx.QueryRowContext(ctx, `SELECT note FROM history h WHERE alert_id = ? AND note <> '' AND kind <> 'undo'
		AND NOT EXISTS (SELECT 1 FROM history u WHERE u.undoes = h.seq) ORDER BY seq DESC LIMIT 1`, cur.ID).Scan(&note)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Alert{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE alerts SET status = ?, reason = ?, assignee = ?, resolved_by = ?, note = ?,
		updated_at = ? WHERE id = ?`, string(to), string(reason), assignee, resolvedBy, note, nanos(at), cur.ID); err != nil {
		return Alert{}, err
	}
	return getAlert(ctx, tx, cur.ID)
}

func (s *Store) appendHistory(ctx context.Context, tx *sql.Tx, h HistoryEntry) (int64, error) {
	var undoes any
	if h.Undoes != 0 {
		undoes = h.Undoes
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO history (alert_id, at, sid, os_user, session, kind, from_status,
		to_status, from_reason, to_reason, from_assignee, to_assignee, note, count, undoes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, h.AlertID, nanos(h.At), h.SID, h.OSUser, s.session,
		h.Kind, string(h.FromStatus), string(h.ToStatus), string(h.FromReason), string(h.ToReason), h.FromAssignee,
		h.ToAssignee, h.Note, h.Count, undoes)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// ErrNothingToUndo is returned by Undo when this session changed nothing
// that is not undone already.
var ErrNothingToUndo = errors.New("nothing to undo in this session")

// Undo reverses this store's (this session's) latest change not undone
// yet: a new history row restores the status, reason and assignee the
// change replaced; the change's own row stays. It refuses when someone
// else changed the alert since, naming who.
func (s *Store) Undo(ctx context.Context) (Alert, HistoryEntry, error) {
	var out Alert
	var row HistoryEntry
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var last HistoryEntry
		var fs, ts, fr, tr string
		err := tx.QueryRowContext(ctx, `SELECT seq, alert_id, from_status, to_status, from_reason, to_reason,
			from_assignee, to_assignee FROM history h WHERE session = ? AND kind IN ('status', 'note')
			AND NOT EXISTS (SELECT 1 FROM history u WHERE u.undoes = h.seq) ORDER BY seq DESC LIMIT 1`, s.session).
			Scan(&last.Seq, &last.AlertID, &fs, &ts, &fr, &tr, &last.FromAssignee, &last.ToAssignee)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNothingToUndo
		}
		if err != nil {
			return err
		}
		cur, err := getAlert(ctx, tx, last.AlertID)
		if err != nil {
			return err
		}
		var laterSID string
		err = tx.QueryRowContext(ctx, `SELECT sid FROM history WHERE alert_id = ? AND seq > ? AND session <> ?
			AND kind <> 'evidence' ORDER BY seq LIMIT 1`, cur.ID, last.Seq, s.session).Scan(&laterSID)
		if err == nil {
			return fmt.Errorf("alert %s was changed by %s since; not undoing over their change", cur.ID, laterSID)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		row = HistoryEntry{AlertID: cur.ID, At: s.now(), SID: s.sid, OSUser: s.osUser, Kind: KindUndo,
			FromStatus: cur.Status, ToStatus: Status(fs), FromReason: cur.Reason, ToReason: Reason(fr),
			FromAssignee: cur.Assignee, ToAssignee: last.FromAssignee, Undoes: last.Seq}
		if row.Seq, err = s.appendHistory(ctx, tx, row); err != nil {
			return err
		}
		out, err = s.apply(ctx, tx, cur, row.ToStatus, row.ToReason, row.ToAssignee, row.At)
		return err
	})
	return out, row, err
}
