package triage

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the schema's versions in order: migrations[i] takes a
// database from version i to i+1. They only ever grow: a released step is
// never edited, so every older file can be brought forward.
var migrations = []string{
	// 1: alerts, their append-only history, suppressions.
	`CREATE TABLE alerts (
		id             TEXT PRIMARY KEY,
		key            TEXT NOT NULL UNIQUE,
		rule           TEXT NOT NULL,
		user           TEXT NOT NULL,
		database       TEXT NOT NULL,
		severity       TEXT NOT NULL,
		message        TEXT NOT NULL,
		first_seen     INTEGER NOT NULL,
		last_seen      INTEGER NOT NULL,
		count          INTEGER NOT NULL,
		status         TEXT NOT NULL DEFAULT 'new',
		reason         TEXT NOT NULL DEFAULT '',
		assignee       TEXT NOT NULL DEFAULT '',
		resolved_by    TEXT NOT NULL DEFAULT '',
		note           TEXT NOT NULL DEFAULT '',
		created_at     INTEGER NOT NULL,
		updated_at     INTEGER NOT NULL
	);
	CREATE INDEX alerts_status ON alerts(status);
	CREATE INDEX alerts_user ON alerts(user, rule);
	CREATE INDEX alerts_first_seen ON alerts(first_seen);
	CREATE TABLE history (
		seq           INTEGER PRIMARY KEY AUTOINCREMENT,
		alert_id      TEXT NOT NULL REFERENCES alerts(id),
		at            INTEGER NOT NULL,
		sid           TEXT NOT NULL,
		os_user       TEXT NOT NULL,
		session       TEXT NOT NULL,
		kind          TEXT NOT NULL,
		from_status   TEXT NOT NULL,
		to_status     TEXT NOT NULL,
		from_reason   TEXT NOT NULL,
		to_reason     TEXT NOT NULL,
		from_assignee TEXT NOT NULL,
		to_assignee   TEXT NOT NULL,
		note          TEXT NOT NULL,
		count         INTEGER NOT NULL DEFAULT 0,
		undoes        INTEGER REFERENCES history(seq)
	);
	CREATE INDEX history_alert ON history(alert_id, seq);
	CREATE INDEX history_session ON history(session, seq);
	CREATE TRIGGER history_append_only_update BEFORE UPDATE ON history
		BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
	CREATE TRIGGER history_append_only_delete BEFORE DELETE ON history
		BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
	CREATE TABLE suppressions (
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		user       TEXT NOT NULL,
		rule       TEXT NOT NULL,
		reason     TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		sid        TEXT NOT NULL,
		os_user    TEXT NOT NULL
	);
	CREATE INDEX suppressions_user ON suppressions(user, expires_at);`,

	// 2: run history, which alerts each run saw, and what range it covered.
	`CREATE TABLE runs (
		id            INTEGER PRIMARY KEY AUTOINCREMENT,
		started_at    INTEGER NOT NULL,
		finished_at   INTEGER NOT NULL,
		sid           TEXT NOT NULL,
		mode          TEXT NOT NULL,
		window_mode   TEXT NOT NULL,
		complete      INTEGER NOT NULL,
		cancelled     INTEGER NOT NULL,
		start_date    INTEGER NOT NULL,
		rows          INTEGER NOT NULL,
		rejected      INTEGER NOT NULL,
		alerts        INTEGER NOT NULL,
		summary       TEXT NOT NULL,
		covered_from  INTEGER,
		covered_to    INTEGER,
		newest_event  INTEGER,
		fingerprint   TEXT NOT NULL DEFAULT ''
	);
	CREATE TABLE run_alerts (
		run_id   INTEGER NOT NULL REFERENCES runs(id),
		alert_id TEXT NOT NULL REFERENCES alerts(id),
		count    INTEGER NOT NULL,
		PRIMARY KEY (run_id, alert_id)
	) WITHOUT ROWID;
	ALTER TABLE alerts ADD COLUMN first_seen_run INTEGER;
	ALTER TABLE alerts ADD COLUMN last_seen_run INTEGER;`,

	// 3: the findings of the latest complete run, which an incremental
	// rerun merges with, and which runs were incremental.
	`CREATE TABLE run_findings (
		run_id INTEGER PRIMARY KEY REFERENCES runs(id),
		data   BLOB NOT NULL
	);
	ALTER TABLE runs ADD COLUMN incremental INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE runs ADD COLUMN rows_fetched INTEGER NOT NULL DEFAULT 0;`,
}

// SchemaVersion is the schema version this build writes.
var SchemaVersion = len(migrations)

// migrate brings the schema to version target (PRAGMA user_version), each
// step in its own transaction, so a crash between steps leaves a valid
// older version that the next start continues from. A file from a newer
// cam is refused rather than written to.
func (s *Store) migrate(ctx context.Context, target int) error {
	for {
		done, err := s.migrateStep(ctx, target)
		if err != nil || done {
			return err
		}
	}
}

func (s *Store) migrateStep(ctx context.Context, target int) (bool, error) {
	done := false
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var v int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			return err
		}
		switch {
		case v > len(migrations):
			return fmt.Errorf("schema version %d is newer than this cam understands (%d): use a newer cam", v, len(migrations))
		case v >= target:
			done = true
			return nil
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("migrating the schema from version %d: %w", v, err)
		}
		_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1))
		return err
	})
	return done, err
}

// Version returns the schema version of the open database.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}
