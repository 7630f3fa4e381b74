package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"cam/queries"
)

// starterDatabases is the seed's two Oracle databases and four queries.
const starterDatabases = `# databases.yaml: the databases cam queries and the SQL it runs on each.
# Admin-managed: cam never writes this file. Paths are relative to this directory.
databases:
  - name: client_activity_analysis
    driver: oracle
    host: oracle.client.example.com
    port: 6036
    service_name: CLIENT_AUDIT
    default_schema: event_logs
    timezone: Europe/London        # zone of DATE/TIMESTAMP values, which carry none
    max_connections: 2
    sql_queries:
      - name: Get all email changes
        query_location: queries/get_all_email_changes.sql
        change_type: email             # one of detection.takeover_types (app_settings.yaml)
      - name: Get phone changes by client ID
        query_location: queries/get_phone_changes_by_client_id.sql
        change_type: phone
        columns: {user: client_id}     # also time_format: unix | unix_ms for epoch numbers
      - name: Get token changes
        query_location: queries/get_token_changes.sql
        change_type: token

  - name: account_activity_analysis
    driver: oracle
    host: oracle.account.example.com
    port: 6036
    service_name: ACCOUNT_AUDIT
    default_schema: audit_logs
    timezone: Europe/London
    max_connections: 2
    sql_queries:
      - name: Get all password changes
        query_location: queries/get_all_password_changes.sql
        change_type: password
`

// starterSettings documents every setting with its default. Its verbs
// are the SID and the business_timezone line's value and comment.
const starterSettings = `# app_settings.yaml: your own settings. cam's settings pane saves this file.
# Any key can be overridden from the environment as CAM_<SECTION>__<KEY>,
# e.g. CAM_USER_SETTINGS__SID=A12345.

oracle_client:
  # krb5_conf: /etc/krb5.conf          # default: $KRB5_CONFIG, else /etc/krb5.conf
  # krb5_cache: /tmp/krb5cc_${UID}     # default: $KRB5CCNAME, else /tmp/krb5cc_<uid>; FILE caches only
  trace_level: 0                       # > 0 writes Oracle protocol traces to trace_directory
  # trace_directory: /tmp/oracle_trace

app_settings:
  report_output_dir: reports           # exports (0600 files in a 0700 directory)
  log_dir: logs                        # application log and audit trail
  log_level: info                      # debug | info | warn | error
  email_recipients: []                 # e.g. [soc@example.com]
  max_concurrency: 8                   # queries running at once
  query_timeout: 10m                   # per query attempt
  max_attempts: 3                      # attempts on connection faults
  clipboard: auto                      # auto | osc52 | system | off
  # display_zone: Europe/London        # zone times are shown in; default: business_timezone

user_settings:
  sid: %s                              # your SID, for reports and the audit trail

detection:
  lookback: 720h                       # how far back queries read (30 days)
  takeover_window: 24h                 # the takeover types all (or takeover_min_types of them) within this
  takeover_types: [password, email, phone, token] # each change query's change_type is one of these
  # takeover_min_types: 4              # fewer than all listed: a high finding (all listed: critical)
  brute_force_threshold: 5             # more than this many failed logins ...
  brute_force_window: 5m               # ... within this window
  business_hours_start: "09:00"
  business_hours_end: "18:00"
  business_timezone: %s
  guest_roles: [Guest]
`

// defaultBusinessZone is the starter's business_timezone: the analyst's own.
const defaultBusinessZone = "Local             # IANA zone, e.g. Europe/London"

// WriteStarter creates dir (0700) with a starter databases.yaml, a commented
// app_settings.yaml for sid, and the shipped Oracle queries. It never
// overwrites a file: an existing one is an error naming it.
func WriteStarter(dir, sid string) error {
	if err := ValidateSID(sid); err != nil && sid != PlaceholderSID {
		return fmt.Errorf("sid: %w", err)
	}
	files := map[string][]byte{
		DatabasesFileName: []byte(starterDatabases),
		SettingsFileName:  []byte(fmt.Sprintf(starterSettings, sid, defaultBusinessZone)),
	}
	entries, err := fs.Glob(queries.Files, "*.sql")
	if err != nil {
		return err
	}
	for _, name := range entries {
		data, err := queries.Files.ReadFile(name)
		if err != nil {
			return err
		}
		files[path.Join("queries", name)] = data
	}
	return writeNewFiles(dir, files)
}

// writeNewFiles writes files (slash paths relative to dir) as 0600 files
// in 0700 directories. It never overwrites: if any file exists, nothing is
// written and the error names every existing one.
func writeNewFiles(dir string, files map[string][]byte) error {
	var existing []string
	for name := range files {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			existing = append(existing, filepath.Join(dir, name))
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if len(existing) > 0 {
		sort.Strings(existing)
		return fmt.Errorf("not overwriting existing %s", strings.Join(existing, ", "))
	}
	for name, data := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, filepath.FromSlash(name))), 0o700); err != nil {
			return err
		}
		if err := WriteFileAtomic(filepath.Join(dir, filepath.FromSlash(name)), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}
