package session

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cam/engine"
	"cam/engine/detect"
	"cam/report"
	"cam/triage"
)

// Outcome is a finished run as both front ends show it: the result (merged
// with the stored findings when the run was incremental), its record in
// the run history and every alert's triage state. Without a state Triage
// is nil and the result is the engine's.
type Outcome struct {
	Result  engine.Result
	Summary triage.RunSummary // zero when the run was not recorded
	Triage  *triage.Annotation
	Plan    triage.Plan
	// Business places day alerts (off-hours, role violation) for their
	// identity; the front ends look states up with it.
	Business *time.Location
}

// State is the triage state of alert a of the run, if the state knows it.
func (o Outcome) State(a *detect.Alert) (triage.AlertState, bool) {
	if o.Triage == nil {
		return triage.AlertState{}, false
	}
	return o.Triage.ByID(triage.AlertID(a, o.Business))
}

// Lookup is the report's view of the states (the JSON's triage members
// and the exports' status columns); nil without a state.
func (o Outcome) Lookup() report.TriageLookup {
	if o.Triage == nil {
		return nil
	}
	return func(a *detect.Alert) (report.AlertTriage, bool) {
		st, ok := o.State(a)
		if !ok {
			return report.AlertTriage{}, false
		}
		return report.AlertTriage{ID: st.ID, Status: string(st.Status), Reason: string(st.Reason),
			ResolvedBy: st.ResolvedBy, Note: st.Note, FirstSeenRun: st.FirstSeenRun, New: st.New, Suppressed: st.Suppressed}, true
	}
}

// OpenAlerts counts the alerts that still need work: open and not
// suppressed. Without a state every alert counts (`cam run` exits 1).
func (o Outcome) OpenAlerts() int {
	if o.Triage == nil {
		return len(o.Result.Findings.Alerts)
	}
	return o.Triage.Counts().Open
}

// Conclude records the finished run in the triage state: an incremental
// run's findings are merged with the stored ones first, then the run is
// recorded (mode triage.ModeTUI or ModeHeadless; an incremental run is
// ModeIncremental), its alerts annotated and its coverage kept for the
// next rerun. Without a state it returns the result as is and
// ErrNoState. An incremental run whose findings cannot be merged exactly
// returns an error wrapping triage.ErrNeedsFullRun and records nothing:
// the front end runs again in full and says so.
func (r *Run) Conclude(ctx context.Context, res engine.Result, mode string) (Outcome, error) {
	out := Outcome{Result: res, Plan: r.plan, Business: r.s.cfg.Settings.Detection.BusinessLocation}
	st, err := r.s.store()
	if err != nil {
		return out, err
	}
	if r.plan.Incremental {
		mode = triage.ModeIncremental
		if res.Complete {
			merged, err := st.Merge(ctx, r.plan, res.Findings, detect.ParamsFrom(r.s.cfg.Settings.Detection, nil))
			if err != nil {
				return out, fmt.Errorf("merging with run %d: %w", r.plan.Base, err)
			}
			out.Result.Findings = merged
			r.setResult(out.Result) // the run's result is the merged one from now on
		}
	}
	if out.Summary, err = st.Record(ctx, out.Result, r.s.cfg.Settings.User.SID, mode); err != nil {
		return out, fmt.Errorf("recording the run in %s: %w", st.Path(), err)
	}
	if out.Triage, err = st.Annotate(ctx, out.Summary.ID, out.Result.Findings, out.Business); err != nil {
		return out, fmt.Errorf("storing the run's alerts in %s: %w", st.Path(), err)
	}
	if err := st.SaveCoverage(ctx, out.Summary.ID, out.Result, r.plan, r.s.cfg); err != nil {
		return out, fmt.Errorf("storing the run's coverage in %s: %w", st.Path(), err)
	}
	return out, nil
}

// NeedsFullRun reports whether Conclude refused to merge an incremental
// run, so the front end should run again in full.
func NeedsFullRun(err error) bool { return errors.Is(err, triage.ErrNeedsFullRun) }

// Plan is how the run read: in full, or incremental from Plan.Start.
func (r *Run) Plan() triage.Plan { return r.plan }

// StateVersion is the triage state's data version: it moves when another
// process (another analyst's cam) commits a change. The TUI polls it and
// reloads the states when it moves.
func (s *Session) StateVersion(ctx context.Context) (int64, error) {
	st, err := s.store()
	if err != nil {
		return 0, err
	}
	return st.DataVersion(ctx)
}

// HasState reports whether a triage state is open.
func (s *Session) HasState() bool {
	_, err := s.store()
	return err == nil
}

// Alerts lists every alert the state holds, suppressed ones included
// (marked), for a front end to refresh the states it shows.
func (s *Session) Alerts(ctx context.Context) ([]triage.Alert, error) {
	st, err := s.store()
	if err != nil {
		return nil, err
	}
	l, err := st.List(ctx, triage.Filter{WithSuppressed: true})
	return l.Alerts, err
}

// AlertHistory is the alert's history, oldest first, for the detail view
// and `cam triage history`.
func (s *Session) AlertHistory(ctx context.Context, id string) ([]triage.HistoryEntry, error) {
	st, err := s.store()
	if err != nil {
		return nil, err
	}
	return st.History(ctx, id)
}

// LastFullRun is the newest complete run that read in full, for `cam run
// --stats` to set the rows an incremental run fetched beside; ok is false
// when there is none.
func (s *Session) LastFullRun(ctx context.Context) (triage.RunSummary, bool, error) {
	st, err := s.store()
	if err != nil {
		return triage.RunSummary{}, false, err
	}
	runs, err := st.Runs(ctx, 200)
	if err != nil {
		return triage.RunSummary{}, false, err
	}
	for _, r := range runs {
		if r.Complete && r.Coverage != nil && !r.Coverage.Incremental {
			return r, true, nil
		}
	}
	return triage.RunSummary{}, false, nil
}

// setResult replaces the finished run's result (an incremental run's, once
// merged with the findings already stored).
func (r *Run) setResult(res engine.Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.finished != nil {
		r.finished = &res
	}
}
