package session

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cam/engine"
	"cam/triage"
)

// HistoryDays is how many days of findings the history pane charts.
const HistoryDays = 30

// PastRun is one recorded run as the history pane lists it: its summary
// and whether its findings can be opened.
type PastRun struct {
	triage.RunSummary
	// Stored is set when the state keeps the run's findings, so it can be
	// opened read-only: it keeps those of the last triage.KeptRunFindings
	// complete runs.
	Stored bool
}

// History is the recorded runs, newest first, and the findings per day
// (in the display zone) of the last HistoryDays days, oldest first.
type History struct {
	Runs   []PastRun
	PerDay []triage.DayCount
	// StatePath is the state database read, for "no runs recorded in …".
	StatePath string
}

// RunHistory reads at most limit recorded runs (0: all) and the findings
// per day. It opens the state if the session has not yet.
func (s *Session) RunHistory(ctx context.Context, limit int) (History, error) {
	st, err := s.historyStore()
	if err != nil {
		return History{}, err
	}
	runs, err := st.Runs(ctx, limit)
	if err != nil {
		return History{}, fmt.Errorf("reading the run history from %s: %w", st.Path(), err)
	}
	stored, err := st.StoredRuns(ctx)
	if err != nil {
		return History{}, fmt.Errorf("reading the stored findings in %s: %w", st.Path(), err)
	}
	days, err := st.FindingsPerDay(ctx, HistoryDays, s.displayZone())
	if err != nil {
		return History{}, fmt.Errorf("counting findings per day in %s: %w", st.Path(), err)
	}
	h := History{PerDay: days, StatePath: st.Path(), Runs: make([]PastRun, len(runs))}
	for i, r := range runs {
		h.Runs[i] = PastRun{RunSummary: r, Stored: stored[r.ID]}
	}
	return h, nil
}

// PastResult rebuilds recorded run id as a result to look at: its stored
// findings with the summary's times, window and per-query outcomes. It
// changes nothing; a run whose findings are not kept fails with
// triage.ErrFindingsNotStored.
func (s *Session) PastResult(ctx context.Context, id int64) (engine.Result, error) {
	st, err := s.historyStore()
	if err != nil {
		return engine.Result{}, err
	}
	sum, err := st.Run(ctx, id)
	if err != nil {
		return engine.Result{}, err
	}
	f, err := st.StoredFindings(ctx, id)
	if err != nil {
		return engine.Result{}, err
	}
	res := engine.Result{StartedAt: sum.StartedAt, FinishedAt: sum.FinishedAt, StartDate: sum.StartDate,
		Mode: engine.Mode(sum.WindowMode), Complete: sum.Complete, Cancelled: sum.Cancelled, Findings: f}
	for _, q := range sum.Queries {
		res.Queries = append(res.Queries, engine.QueryResult{Database: q.Database, Query: q.Query,
			Status: engine.QueryStatus(q.Status), Rows: q.Rows, Rejected: q.Rejected, RejectedBy: q.RejectedBy,
			Attempts: q.Attempts, Duration: time.Duration(q.DurationMS) * time.Millisecond,
			Class: engine.ErrorClass(q.ErrorClass)})
	}
	return res, nil
}

// historyStore is the open state, opened now when no use case has yet:
// the history pane may be the first to read it. Two first reads at once
// keep one store and close the other.
func (s *Session) historyStore() (*triage.Store, error) {
	st, err := s.store()
	if !errors.Is(err, ErrNoState) {
		return st, err
	}
	if s.cfg == nil || s.cfg.Settings.App.StateDir == "" {
		return nil, ErrNoState
	}
	opened, err := triage.Open(s.cfg.Settings.App.StateDir, triage.Options{SID: s.cfg.Settings.User.SID})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != nil {
		opened.Close()
		return s.state, nil
	}
	s.state = opened
	return opened, nil
}

func (s *Session) displayZone() *time.Location {
	if s.zone != nil {
		return s.zone
	}
	return time.Local
}
