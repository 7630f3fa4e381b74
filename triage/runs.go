package triage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"cam/engine"
)

// Run modes: how a recorded run was made.
const (
	ModeTUI         = "tui"         // started in the TUI
	ModeHeadless    = "headless"    // cam run
	ModeIncremental = "incremental" // cam run --since-last, or the TUI's default rerun
)

// RunSummary is what the state keeps of one run: enough for `cam history`
// and the history pane, never the findings' users.
type RunSummary struct {
	ID         int64          `json:"id"`
	StartedAt  time.Time      `json:"started_at"`
	FinishedAt time.Time      `json:"finished_at"`
	SID        string         `json:"sid"`
	Mode       string         `json:"mode"`        // tui, headless, incremental
	WindowMode string         `json:"window_mode"` // sliding or anchored
	Complete   bool           `json:"complete"`
	Cancelled  bool           `json:"cancelled"`
	StartDate  time.Time      `json:"start_date"`
	Rows       int64          `json:"rows"`
	Rejected   int64          `json:"rejected"`
	Alerts     int            `json:"alerts"`
	Suspicious int            `json:"suspicious_users"`
	Candidates int            `json:"incomplete_candidates"`
	ByRule     map[string]int `json:"by_rule"`
	BySeverity map[string]int `json:"by_severity"`
	Queries    []RunQuery     `json:"queries"`
	Phases     engine.Phases  `json:"phases"`
	Coverage   *Coverage      `json:"coverage,omitempty"`
}

// RunQuery is one query's outcome in a recorded run.
type RunQuery struct {
	Database   string           `json:"database"`
	Query      string           `json:"query"`
	Status     string           `json:"status"`
	Rows       int64            `json:"rows"`
	Rejected   int64            `json:"rejected_rows"`
	RejectedBy map[string]int64 `json:"rejected,omitempty"`
	Attempts   int              `json:"attempts"`
	DurationMS int64            `json:"duration_ms"`
	ErrorClass string           `json:"error_class,omitempty"`
}

// Coverage is the range of event times a run covered.
type Coverage struct {
	From        time.Time `json:"from"`         // the :start_date bound
	To          time.Time `json:"to"`           // the newest event read (the run's start when none)
	Fingerprint string    `json:"fingerprint"`  // the configuration the run used
	Incremental bool      `json:"incremental"`  // merged with stored findings
	RowsFetched int64     `json:"rows_fetched"` // rows read (accepted and rejected)
}

// summarise builds the summary of res.
func summarise(res engine.Result, sid, mode string) RunSummary {
	r := RunSummary{StartedAt: res.StartedAt, FinishedAt: res.FinishedAt, SID: sid, Mode: mode,
		WindowMode: string(res.Mode), Complete: res.Complete, Cancelled: res.Cancelled, StartDate: res.StartDate,
		Alerts: len(res.Findings.Alerts), Suspicious: len(res.Findings.Takeovers), Candidates: len(res.Findings.Candidates),
		ByRule: map[string]int{}, BySeverity: map[string]int{}, Phases: res.Phases}
	for _, q := range res.Queries {
		r.Rows += q.Rows
		r.Rejected += q.Rejected
		r.Queries = append(r.Queries, RunQuery{Database: q.Database, Query: q.Query, Status: string(q.Status),
			Rows: q.Rows, Rejected: q.Rejected, RejectedBy: q.RejectedBy, Attempts: q.Attempts,
			DurationMS: q.Duration.Milliseconds(), ErrorClass: string(q.Class)})
	}
	for i := range res.Findings.Alerts {
		a := &res.Findings.Alerts[i]
		r.ByRule[string(a.Rule)]++
		r.BySeverity[a.Severity.String()]++
	}
	return r
}

// Record stores the summary of a finished run and returns it with its id.
// mode says how the run was made (ModeTUI, ModeHeadless, ModeIncremental).
// Call Annotate with the id to store the run's alerts.
func (s *Store) Record(ctx context.Context, res engine.Result, sid, mode string) (RunSummary, error) {
	r := summarise(res, sid, mode)
	blob, err := json.Marshal(r)
	if err != nil {
		return RunSummary{}, err
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		out, err := tx.ExecContext(ctx, `INSERT INTO runs (started_at, finished_at, sid, mode, window_mode, complete,
			cancelled, start_date, rows, rejected, alerts, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			nanos(r.StartedAt), nanos(r.FinishedAt), r.SID, r.Mode, r.WindowMode, r.Complete, r.Cancelled,
			nanos(r.StartDate), r.Rows, r.Rejected, r.Alerts, string(blob))
		if err != nil {
			return err
		}
		r.ID, err = out.LastInsertId()
		return err
	})
	return r, err
}

// Runs lists the recorded runs, newest first, at most limit (0: all).
func (s *Store) Runs(ctx context.Context, limit int) ([]RunSummary, error) {
	q := `SELECT id, summary, covered_from, covered_to, fingerprint, incremental, rows_fetched FROM runs ORDER BY id DESC`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RunSummary
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Run returns the recorded run id.
func (s *Store) Run(ctx context.Context, id int64) (RunSummary, error) {
	r, err := scanRun(s.db.QueryRowContext(ctx, `SELECT id, summary, covered_from, covered_to, fingerprint,
		incremental, rows_fetched FROM runs WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return RunSummary{}, fmt.Errorf("no recorded run %d", id)
	}
	return r, err
}

func scanRun(r scanner) (RunSummary, error) {
	var id, fetched int64
	var blob, fingerprint string
	var from, to sql.NullInt64
	var incremental bool
	if err := r.Scan(&id, &blob, &from, &to, &fingerprint, &incremental, &fetched); err != nil {
		return RunSummary{}, err
	}
	var sum RunSummary
	if err := json.Unmarshal([]byte(blob), &sum); err != nil {
		return RunSummary{}, fmt.Errorf("run %d: its stored summary is unreadable: %w", id, err)
	}
	sum.ID = id
	if from.Valid && to.Valid {
		if sum.Coverage == nil {
			sum.Coverage = &Coverage{}
		}
		sum.Coverage.From, sum.Coverage.To, sum.Coverage.Fingerprint = fromNanos(from.Int64), fromNanos(to.Int64), fingerprint
		sum.Coverage.Incremental, sum.Coverage.RowsFetched = incremental, fetched
	}
	return sum, nil
}

// DayCount is the number of alerts whose first event fell on one day.
type DayCount struct {
	Day   time.Time // local midnight in the zone asked for
	Count int
}

// FindingsPerDay counts the stored alerts by the day (in loc) of their
// first event over the days days ending today, oldest first, zero days
// included: the history pane's sparkline.
func (s *Store) FindingsPerDay(ctx context.Context, days int, loc *time.Location) ([]DayCount, error) {
	if loc == nil {
		loc = time.Local
	}
	if days <= 0 {
		return nil, nil
	}
	now := s.now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	out := make([]DayCount, days)
	for i := range out {
		out[i].Day = today.AddDate(0, 0, i-days+1)
	}
	from := out[0].Day
	to := today.AddDate(0, 0, 1)
	rows, err := s.db.QueryContext(ctx, `SELECT first_seen FROM alerts WHERE first_seen >= ? AND first_seen < ?`,
		nanos(from), nanos(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		t := fromNanos(at).In(loc)
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
		// Days are not all 24 h long across a DST change: find by date.
		for i := range out {
			if out[i].Day.Equal(day) {
				out[i].Count++
				break
			}
		}
	}
	return out, rows.Err()
}

// Ending is how the run ended, in the words `cam history` and the history
// pane use: complete, incomplete or cancelled.
func (r RunSummary) Ending() string {
	switch {
	case r.Cancelled:
		return "cancelled"
	case !r.Complete:
		return "incomplete"
	}
	return "complete"
}
