package triage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cam/engine/detect"
)

// KeptRunFindings is how many complete runs keep their findings: the
// newest is the next incremental rerun's base, and the history pane opens
// any of them read-only. Older runs keep their summary only.
const KeptRunFindings = 60

// ErrFindingsNotStored is returned by StoredFindings for a run whose
// findings the state does not hold: an incomplete or cancelled run, or
// one older than the last KeptRunFindings complete runs.
var ErrFindingsNotStored = errors.New("its findings are not stored: only the last 60 complete runs' are kept")

// StoredFindings returns the findings kept for run id, for a read-only
// look at a past run.
func (s *Store) StoredFindings(ctx context.Context, id int64) (detect.Findings, error) {
	var blob []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM run_findings WHERE run_id = ?`, id).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return detect.Findings{}, fmt.Errorf("run %d: %w", id, ErrFindingsNotStored)
	}
	if err != nil {
		return detect.Findings{}, err
	}
	f, err := decodeFindings(blob)
	if err != nil {
		return detect.Findings{}, fmt.Errorf("run %d: its stored findings are unreadable: %w", id, err)
	}
	return f, nil
}

// StoredRuns returns the ids of the runs whose findings are kept.
func (s *Store) StoredRuns(ctx context.Context) (map[int64]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT run_id FROM run_findings`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
