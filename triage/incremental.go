package triage

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
)

// An incremental rerun reads only events at or after Plan.Start and merges
// what it finds with the findings of the last complete run. Its findings
// are those of a full run over everything both read (the property test
// proves it). How it is driven, for `cam run --since-last` and the TUI:
//
//	plan, _ := store.PlanRun(ctx, cfg, now)        // sliding mode only
//	if plan.Incremental { req.StartDate = &plan.Start }
//	res := <the engine's run>
//	if plan.Incremental && res.Complete {
//		merged, err := store.Merge(ctx, plan, res.Findings, detect.ParamsFrom(cfg.Settings.Detection, nil))
//		if errors.Is(err, triage.ErrNeedsFullRun) { <run again without StartDate> }
//		res.Findings = merged
//	}
//	sum, _ := store.Record(ctx, res, sid, mode)    // mode ModeIncremental when plan.Incremental
//	ann, _ := store.Annotate(ctx, sum.ID, res.Findings, business)
//	store.SaveCoverage(ctx, sum.ID, res, plan, cfg) // the next rerun's base
//
// Why the bounds hold: a takeover window ending after the base's newest
// event P starts at most takeover_window before its end, so it lies in
// what the rerun reads, and a window ending by P was already found. A
// failed login's brute-force mark depends on failures up to one
// brute_force_window either side of it, so marks before P - window are
// final in the base and marks after it are right in the rerun when the
// rerun reads from P - 2 windows; every failure of a marking window is
// itself marked, so the bursts are rebuilt from the marked failures of
// both. Off-hours and role-violation events are flagged one by one and
// regrouped by day.

// ErrNeedsFullRun is returned by Merge when the findings cannot be merged
// exactly: an alert kept only part of its events as evidence.
var ErrNeedsFullRun = errors.New("the stored findings cannot be merged exactly; run in full")

// Overlap is how far before the base run's newest event an incremental
// rerun starts: the takeover window, or two brute-force windows when that
// is longer (see above). The engine binds one start for every query, so
// the change and activity queries share the longer bound.
func Overlap(d config.Detection) time.Duration { return max(d.TakeoverWindow, 2*d.BruteForceWindow) }

// Fingerprint hashes everything a run's findings depend on besides the
// data: each database's name, driver, address (file, socket or host, port
// and service) and zone, each query (name, kind, change type, columns,
// time format, SQL) and the detection settings. A rerun under another
// fingerprint is a full run: two configurations that differ only in where
// their databases live (the demo's files and a copy elsewhere) share one
// state but never each other's findings.
func Fingerprint(cfg *config.Config) string {
	h := sha256.New()
	w := func(parts ...any) {
		for _, p := range parts {
			fmt.Fprintf(h, "%v\x00", p)
		}
		h.Write([]byte{'\n'})
	}
	for _, db := range cfg.Databases {
		w("db", db.Name, db.Driver, engine.Address(db), db.Timezone, locName(db.Location))
		for _, q := range db.Queries {
			cols := make([]string, 0, len(q.Columns))
			for role, col := range q.Columns {
				cols = append(cols, role+"="+col)
			}
			slices.Sort(cols)
			w("query", q.Name, q.Kind, q.ChangeType, strings.Join(cols, ","), q.TimeFormat, q.SQL)
		}
	}
	d := cfg.Settings.Detection
	guests := slices.Clone(d.GuestRoles)
	slices.Sort(guests)
	w("detection", d.Lookback, d.TakeoverWindow, d.BruteForceThreshold, d.BruteForceWindow, d.BusinessStart,
		d.BusinessEnd, locName(d.BusinessLocation), strings.Join(guests, ","))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func locName(l *time.Location) string {
	if l == nil {
		return ""
	}
	return l.String()
}

// Plan is how the next run reads: in full, or from Start and merged with
// the findings of run Base.
type Plan struct {
	Incremental bool
	Start       time.Time // the :start_date to bind (engine.Request.StartDate)
	Base        int64     // the complete run merged with
	BaseNewest  time.Time // the newest event the base read
	Fingerprint string    // the configuration's, recorded by SaveCoverage
	// Why says why the run is full, for the log and `cam run --stats`.
	Why string
}

// PlanRun decides how a sliding-window run at now reads: incremental when
// the latest complete run used the same configuration, kept its findings,
// and its newest event less the overlap lies within the lookback.
func (s *Store) PlanRun(ctx context.Context, cfg *config.Config, now time.Time) (Plan, error) {
	p := Plan{Fingerprint: Fingerprint(cfg)}
	var id, newest int64
	var fingerprint string
	err := s.db.QueryRowContext(ctx, `SELECT r.id, COALESCE(r.newest_event, 0), r.fingerprint FROM runs r
		JOIN run_findings f ON f.run_id = r.id WHERE r.complete = 1 ORDER BY r.id DESC LIMIT 1`).Scan(&id, &newest, &fingerprint)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		p.Why = "no complete run is stored"
		return p, nil
	case err != nil:
		return Plan{}, err
	}
	var later int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM runs WHERE complete = 1 AND id > ?`, id).Scan(&later); err != nil {
		return Plan{}, err
	}
	start := fromNanos(newest).Add(-Overlap(cfg.Settings.Detection))
	switch {
	case later > 0:
		p.Why = fmt.Sprintf("run %d, the latest complete run, kept no findings to merge with", id+int64(later))
	case fingerprint != p.Fingerprint:
		p.Why = fmt.Sprintf("the configuration changed since run %d (queries, zones, database addresses or detection settings)", id)
	case newest == 0:
		p.Why = fmt.Sprintf("run %d read no events", id)
	case !start.After(now.Add(-cfg.Settings.Detection.Lookback)):
		p.Why = fmt.Sprintf("run %d is older than the lookback", id)
	default:
		p.Incremental, p.Start, p.Base, p.BaseNewest = true, start, id, fromNanos(newest)
	}
	return p, nil
}

// SaveCoverage records what run runID covered (from its :start_date to
// its newest event), under which configuration, and, when it is complete,
// keeps its findings as the next incremental rerun's base (only the
// latest are kept).
func (s *Store) SaveCoverage(ctx context.Context, runID int64, res engine.Result, plan Plan, cfg *config.Config) error {
	newest := plan.BaseNewest
	var fetched int64
	for _, q := range res.Queries {
		if q.Newest.After(newest) {
			newest = q.Newest
		}
		fetched += q.Rows + q.Rejected
	}
	var blob []byte
	if res.Complete {
		var err error
		if blob, err = encodeFindings(res.Findings); err != nil {
			return err
		}
	}
	fingerprint := plan.Fingerprint
	if fingerprint == "" {
		fingerprint = Fingerprint(cfg)
	}
	var newestRef any
	if !newest.IsZero() {
		newestRef = nanos(newest)
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET covered_from = ?, covered_to = ?, newest_event = ?,
			fingerprint = ?, incremental = ?, rows_fetched = ? WHERE id = ?`, nanos(res.StartDate), newestRef, newestRef,
			fingerprint, plan.Incremental, fetched, runID); err != nil {
			return err
		}
		if blob == nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO run_findings (run_id, data) VALUES (?, ?)`, runID, blob); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM run_findings WHERE run_id NOT IN
			(SELECT run_id FROM run_findings ORDER BY run_id DESC LIMIT ?)`, KeptRunFindings)
		return err
	})
}

// RowsFetched is the number of rows run runID read (accepted and
// rejected), for `cam run --stats` to set beside a full run's.
func (s *Store) RowsFetched(ctx context.Context, runID int64) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT rows_fetched FROM runs WHERE id = ?`, runID).Scan(&n)
	return n, err
}

func encodeFindings(f detect.Findings) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(f); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// maxFindingsBlob bounds what decodeFindings inflates, so a damaged or
// hostile state file cannot exhaust memory.
const maxFindingsBlob = 4 << 30

func decodeFindings(blob []byte) (detect.Findings, error) {
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		return detect.Findings{}, err
	}
	var f detect.Findings
	err = json.NewDecoder(io.LimitReader(zr, maxFindingsBlob)).Decode(&f)
	return f, err
}

// baseFindings loads the stored findings of run id.
func (s *Store) baseFindings(ctx context.Context, id int64) (detect.Findings, error) {
	var blob []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM run_findings WHERE run_id = ?`, id).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return detect.Findings{}, fmt.Errorf("run %d's findings are no longer stored: %w", id, ErrNeedsFullRun)
	}
	if err != nil {
		return detect.Findings{}, err
	}
	f, err := decodeFindings(blob)
	if err != nil {
		return detect.Findings{}, fmt.Errorf("run %d's stored findings are unreadable (%v): %w", id, err, ErrNeedsFullRun)
	}
	return f, nil
}

// Merge combines the findings of the incremental rerun planned by plan
// (fresh, over the events from plan.Start) with the stored findings of
// plan.Base. p must be the rules' parameters of both runs (sliding mode).
func (s *Store) Merge(ctx context.Context, plan Plan, fresh detect.Findings, p detect.Params) (detect.Findings, error) {
	if !plan.Incremental {
		return fresh, nil
	}
	base, err := s.baseFindings(ctx, plan.Base)
	if err != nil {
		return detect.Findings{}, err
	}
	return MergeFindings(base, fresh, plan.BaseNewest, p)
}

// MergeFindings is Merge on findings in hand: base over every event up to
// its newest event newest, fresh over every event from newest - Overlap.
func MergeFindings(base, fresh detect.Findings, newest time.Time, p detect.Params) (detect.Findings, error) {
	for _, f := range []*detect.Findings{&base, &fresh} {
		for i := range f.Alerts {
			if a := &f.Alerts[i]; a.Rule != detect.RuleTakeover && a.Count > len(a.Evidence) {
				return detect.Findings{}, ErrNeedsFullRun
			}
		}
	}
	p.Anchor = nil
	var out detect.Findings

	// Takeovers: the base's window for a user stands; the rerun's for
	// users the base had none for.
	had := map[string]bool{}
	out.Takeovers = append(out.Takeovers, base.Takeovers...)
	for _, t := range base.Takeovers {
		had[t.User] = true
	}
	for _, t := range fresh.Takeovers {
		if !had[t.User] {
			out.Takeovers = append(out.Takeovers, t)
		}
	}
	slices.SortFunc(out.Takeovers, func(x, y detect.Takeover) int { return strings.Compare(x.User, y.User) })
	for _, c := range fresh.Candidates {
		if !slices.ContainsFunc(out.Takeovers, func(t detect.Takeover) bool { return t.User == c.User }) {
			out.Candidates = append(out.Candidates, c)
		}
	}
	for _, a := range base.Alerts {
		if a.Rule == detect.RuleTakeover {
			out.Alerts = append(out.Alerts, a)
		}
	}
	for _, a := range fresh.Alerts {
		if a.Rule == detect.RuleTakeover && !had[a.User] {
			out.Alerts = append(out.Alerts, a)
		}
	}

	// Activity rules: the base's events before the cut, the rerun's from
	// it, evaluated again.
	cut := newest.Add(-p.BruteForceWindow)
	guest := ""
	if len(p.GuestRoles) > 0 {
		guest = p.GuestRoles[0]
	}
	for _, rule := range []detect.Rule{detect.RuleBruteForce, detect.RuleOffHours, detect.RuleRoleViolation} {
		var events []detect.ActivityEvent
		collect := func(f detect.Findings, keep func(time.Time) bool) {
			for i := range f.Alerts {
				a := &f.Alerts[i]
				if a.Rule != rule {
					continue
				}
				for _, e := range a.Evidence {
					if keep(e.Time) {
						events = append(events, replay(a, e, rule, guest))
					}
				}
			}
		}
		collect(base, func(t time.Time) bool { return t.Before(cut) })
		collect(fresh, func(t time.Time) bool { return !t.Before(cut) })
		slices.SortStableFunc(events, func(x, y detect.ActivityEvent) int { return x.Time.Compare(y.Time) })
		acc := detect.NewAccumulator(p)
		acc.AddActivities(events)
		for _, a := range acc.Findings(nil).Alerts {
			if a.Rule == rule {
				out.Alerts = append(out.Alerts, a)
			}
		}
	}
	sortAlerts(out.Alerts)
	return out, nil
}

// replay rebuilds the activity event behind one piece of evidence, such
// that it raises the rule's flag again: a failed login for brute force, a
// write by a guest role for role violation.
func replay(a *detect.Alert, e detect.Evidence, rule detect.Rule, guest string) detect.ActivityEvent {
	ev := detect.ActivityEvent{User: a.User, Time: e.Time, Operation: e.Type, Status: e.Status, IP: e.IP,
		Database: e.Database, Query: e.Query}
	if rule == detect.RuleRoleViolation {
		ev.Role = guest
	}
	return ev
}

// sortAlerts orders alerts as the rules do: worst first, then first seen,
// user and rule.
func sortAlerts(alerts []detect.Alert) {
	slices.SortStableFunc(alerts, func(x, y detect.Alert) int {
		if c := cmp.Compare(y.Severity, x.Severity); c != 0 {
			return c
		}
		if c := x.FirstSeen.Compare(y.FirstSeen); c != 0 {
			return c
		}
		if c := strings.Compare(x.User, y.User); c != 0 {
			return c
		}
		return strings.Compare(string(x.Rule), string(y.Rule))
	})
}
