package main

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the bench's SQLite files

	"cam/queries"
)

const clientSchema = `
CREATE TABLE email_changes (change_id INTEGER PRIMARY KEY, user_id TEXT, change_date TEXT);
CREATE TABLE phone_changes (change_id INTEGER PRIMARY KEY, client_id TEXT, phone_type TEXT, change_date TEXT);
CREATE TABLE token_changes (change_id INTEGER PRIMARY KEY, user_id TEXT, token_type TEXT, action TEXT, action_date TEXT);`

const accountSchema = `
CREATE TABLE password_changes (change_id INTEGER PRIMARY KEY, user_id INTEGER, change_date TEXT,
  change_type TEXT, change_source TEXT);`

const activitySchema = `
CREATE TABLE users (user_id INTEGER PRIMARY KEY, username TEXT UNIQUE, role TEXT);
CREATE TABLE activity_logs (log_id INTEGER PRIMARY KEY, user_id INTEGER, username TEXT, operation_type TEXT,
  operation_status TEXT, access_timestamp TEXT, ip_address TEXT);`

// indexes are created after the rows are in, which is faster.
var indexes = map[string]string{
	"client.db": `CREATE INDEX email_changes_date ON email_changes(change_date);
CREATE INDEX phone_changes_date ON phone_changes(change_date);
CREATE INDEX token_changes_date ON token_changes(action_date);`,
	"account.db":  `CREATE INDEX password_changes_date ON password_changes(change_date);`,
	"activity.db": `CREATE INDEX activity_logs_time ON activity_logs(access_timestamp);`,
}

// databasesYAML mirrors the demo: London client database, New York
// password database, London DAM.
const databasesYAML = `# The issue #17 bench dataset (internal/benchdata).
databases:
  - name: client_activity_analysis
    driver: sqlite
    path: data/client.db
    timezone: Europe/London
    max_connections: 3
    sql_queries:
      - name: Get all email changes
        query_location: queries/get_all_email_changes.sql
        change_type: email
      - name: Get phone changes by client ID
        query_location: queries/get_phone_changes_by_client_id.sql
        change_type: phone
        columns: {user: client_id}
      - name: Get token changes
        query_location: queries/get_token_changes.sql
        change_type: token
  - name: account_activity_analysis
    driver: sqlite
    path: data/account.db
    timezone: America/New_York
    max_connections: 1
    sql_queries:
      - name: Get all password changes
        query_location: queries/get_all_password_changes.sql
        change_type: password
  - name: database_activity
    driver: sqlite
    path: data/activity.db
    timezone: Europe/London
    max_connections: 1
    sql_queries:
      - name: Activity log
        query_location: queries/activity.sql
        kind: activity
`

const settingsYAML = `# Bench settings.
user_settings:
  sid: BENCH1
app_settings:
  report_output_dir: reports
  log_dir: logs
  log_level: info
  max_concurrency: 5
detection:
  business_timezone: Europe/London
`

// floorFiles are the five queries as the sqlite3 client runs them: the
// database file and the query file, in the order of databases.yaml.
var floorFiles = [][2]string{
	{"client.db", "get_all_email_changes.sql"},
	{"client.db", "get_phone_changes_by_client_id.sql"},
	{"client.db", "get_token_changes.sql"},
	{"account.db", "get_all_password_changes.sql"},
	{"activity.db", "activity.sql"},
}

func writeSQLite(dir string, d *dataset) error {
	if err := writeChanges(dir, d); err != nil {
		return err
	}
	if err := writeActivity(filepath.Join(dir, "data", "activity.db"), d); err != nil {
		return err
	}
	names, err := fs.Glob(queries.Files, "demo/*.sql")
	if err != nil {
		return err
	}
	// The floor's start date: the lookback's start as cam computes it,
	// 30 days before now, in each database's zone.
	start := time.Now().Add(-30 * 24 * time.Hour)
	for _, name := range names {
		text, err := queries.Files.ReadFile(name)
		if err != nil {
			return err
		}
		base := path.Base(name)
		if err := os.WriteFile(filepath.Join(dir, "queries", base), text, 0o600); err != nil {
			return err
		}
		zone := london
		if base == "get_all_password_changes.sql" {
			zone = newYork
		}
		bound := strings.ReplaceAll(string(text), ":start_date", "'"+start.In(zone).Format(textLayout)+"'")
		if err := os.WriteFile(filepath.Join(dir, "floor", base), []byte(bound+";\n"), 0o600); err != nil {
			return err
		}
	}
	var list strings.Builder
	for _, f := range floorFiles {
		fmt.Fprintf(&list, "data/%s floor/%s\n", f[0], f[1])
	}
	for name, text := range map[string]string{"databases.yaml": databasesYAML, "app_settings.yaml": settingsYAML, "floor/list": list.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			return err
		}
	}
	return nil
}

// load creates path with schema, runs fill in one transaction, then adds
// the indexes.
func load(path, schema string, fill func(ctx context.Context, tx *sql.Tx) error) error {
	// Generation runs to completion; nothing cancels it.
	ctx := context.Background()
	os.Remove(path)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(off)&_pragma=synchronous(off)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("%s: schema: %w", filepath.Base(path), err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fill(ctx, tx); err != nil {
		_ = tx.Rollback() // fill's error is the one to report
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, indexes[filepath.Base(path)]); err != nil {
		return fmt.Errorf("%s: indexes: %w", filepath.Base(path), err)
	}
	return nil
}

func writeChanges(dir string, d *dataset) error {
	err := load(filepath.Join(dir, "data", "client.db"), clientSchema, func(ctx context.Context, tx *sql.Tx) error {
		stmts := map[string]string{
			"email": `INSERT INTO email_changes (user_id, change_date) VALUES (?, ?)`,
			"phone": `INSERT INTO phone_changes (client_id, phone_type, change_date) VALUES (?, 'mobile', ?)`,
			"token": `INSERT INTO token_changes (user_id, token_type, action, action_date) VALUES (?, 'TOTP', 'CREATED', ?)`,
		}
		prepared := map[string]*sql.Stmt{}
		for k, q := range stmts {
			s, err := tx.PrepareContext(ctx, q)
			if err != nil {
				return err
			}
			defer s.Close()
			prepared[k] = s
		}
		for _, c := range d.changes {
			kind := changeKinds[c.kind]
			if kind == "password" {
				continue
			}
			if _, err := prepared[kind].ExecContext(ctx, c.user, c.at.In(zoneOf(c.kind)).Format(textLayout)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return load(filepath.Join(dir, "data", "account.db"), accountSchema, func(ctx context.Context, tx *sql.Tx) error {
		s, err := tx.PrepareContext(ctx, `INSERT INTO password_changes (user_id, change_date, change_type, change_source) VALUES (?, ?, 'RESET', 'web')`)
		if err != nil {
			return err
		}
		defer s.Close()
		for _, c := range d.changes {
			if changeKinds[c.kind] != "password" {
				continue
			}
			var id int64
			if _, err := fmt.Sscan(c.user, &id); err != nil {
				return fmt.Errorf("user %q is not a number: %w", c.user, err)
			}
			if _, err := s.ExecContext(ctx, id, c.at.In(newYork).Format(textLayout)); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeActivity(path string, d *dataset) error {
	return load(path, activitySchema, func(ctx context.Context, tx *sql.Tx) error {
		u, err := tx.PrepareContext(ctx, `INSERT INTO users (user_id, username, role) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer u.Close()
		for i, a := range d.accounts {
			if _, err := u.ExecContext(ctx, i+1, a.name, a.role); err != nil {
				return err
			}
		}
		s, err := tx.PrepareContext(ctx, `INSERT INTO activity_logs (user_id, username, operation_type, operation_status, access_timestamp, ip_address) VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer s.Close()
		for _, e := range d.activity {
			var id any
			name := e.attempted
			if e.account > 0 {
				id, name = e.account, d.accounts[e.account-1].name
			}
			if _, err := s.ExecContext(ctx, id, name, e.op, e.status, e.at.In(london).Format(textLayout), e.ip); err != nil {
				return err
			}
		}
		return nil
	})
}
