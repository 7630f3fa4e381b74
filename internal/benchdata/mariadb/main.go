// Command mariadb loads the rows that benchdata wrote (DIR/tsv) into a
// throwaway MariaDB server (engine/mysql/mariadbtest), writes a cam
// configuration directory that reads them (DIR/mariadb) and the five
// queries for the mariadb command-line client (DIR/mariadb/floor), prints
// "ready", and keeps the server up until it is interrupted or its standard
// input closes; then it removes the server.
//
//	go run ./internal/benchdata/mariadb -data DIR
//
// DIR/mariadb/env holds the connection settings for the bench script,
// including the throwaway server's random password: the directory is the
// bench's own and the server dies with this command.
package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"cam/engine/mysql/mariadbtest"
	"cam/queries"
)

// changeTables are the four change tables with their user column.
var changeTables = [][2]string{
	{"password_changes", "user_id"}, {"email_changes", "user_id"}, {"phone_changes", "client_id"}, {"token_changes", "user_id"},
}

func main() {
	data := flag.String("data", "", "benchdata output directory (required)")
	flag.Parse()
	if *data == "" {
		fmt.Fprintln(os.Stderr, "usage: mariadb -data DIR")
		os.Exit(2)
	}
	if err := run(*data); err != nil {
		fmt.Fprintf(os.Stderr, "benchdata/mariadb: %v\n", err)
		os.Exit(1)
	}
}

func run(data string) error {
	data, err := filepath.Abs(data)
	if err != nil {
		return err
	}
	tsv := filepath.Join(data, "tsv")
	// A buffer pool that holds the dataset: the bench measures reading,
	// not the disk.
	srv, err := mariadbtest.New("--secure-file-priv="+tsv, "--innodb-buffer-pool-size=512M")
	if err != nil {
		return err
	}
	defer srv.Close()
	began := time.Now()
	if err := load(srv, tsv); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "benchdata/mariadb: loaded in %s\n", time.Since(began).Round(time.Second))
	if err := writeConfig(filepath.Join(data, "mariadb"), srv); err != nil {
		return err
	}
	fmt.Println("ready")
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	eof := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin) // only the end of stdin matters
		close(eof)
	}()
	select {
	case <-stop:
	case <-eof:
	}
	return nil
}

func load(srv *mariadbtest.Server, tsv string) error {
	dir, err := mariadbtest.DAMDir()
	if err != nil {
		return err
	}
	schema, err := os.ReadFile(filepath.Join(dir, "schema.sql"))
	if err != nil {
		return err
	}
	if err := srv.Exec(string(schema)); err != nil {
		return fmt.Errorf("DAM schema: %w", err)
	}
	var b strings.Builder
	for _, t := range changeTables {
		fmt.Fprintf(&b, "CREATE TABLE %s (change_id BIGINT AUTO_INCREMENT PRIMARY KEY, %s VARCHAR(20), change_date DATETIME, INDEX (change_date)) ENGINE = InnoDB;\n", t[0], t[1])
	}
	if err := srv.Exec(b.String()); err != nil {
		return fmt.Errorf("change tables: %w", err)
	}
	loads := []string{
		fmt.Sprintf(`LOAD DATA INFILE '%s' INTO TABLE users (user_id, username, email, role)`, filepath.Join(tsv, "users.tsv")),
		fmt.Sprintf(`LOAD DATA INFILE '%s' INTO TABLE activity_logs (user_id, attempted_username, access_timestamp, operation_type, operation_status, ip_address)`,
			filepath.Join(tsv, "activity_logs.tsv")),
	}
	for _, t := range changeTables {
		loads = append(loads, fmt.Sprintf(`LOAD DATA INFILE '%s' INTO TABLE %s (%s, change_date)`, filepath.Join(tsv, t[0]+".tsv"), t[0], t[1]))
	}
	for _, q := range loads {
		if err := srv.Exec("SET foreign_key_checks = 0; " + q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// changeQueries are the four change queries in MySQL form; token changes
// has only CREATED actions in this dataset, so no filter on action.
var changeQueries = map[string]string{
	"password": "SELECT user_id, change_date AS change_timestamp FROM password_changes WHERE change_date >= :start_date ORDER BY change_date",
	"email":    "SELECT user_id, change_date AS change_timestamp FROM email_changes WHERE change_date >= :start_date ORDER BY change_date",
	"phone":    "SELECT client_id, change_date AS change_timestamp FROM phone_changes WHERE change_date >= :start_date ORDER BY change_date",
	"token":    "SELECT user_id, change_date AS change_timestamp FROM token_changes WHERE change_date >= :start_date ORDER BY change_date",
}

func writeConfig(dir string, srv *mariadbtest.Server) error {
	for _, sub := range []string{"queries", "floor"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return err
		}
	}
	entry := func(name, zone string, conns int) string {
		return fmt.Sprintf(`  - name: %s
    driver: mysql
    host: 127.0.0.1
    port: %d
    default_schema: %s
    timezone: %s
    user: %s
    password_env: %s
    max_connections: %d
    sql_queries:
`, name, srv.Port, mariadbtest.Schema, zone, mariadbtest.User, srv.PasswordEnv, conns)
	}
	query := func(name, file, extra string) string {
		return fmt.Sprintf("      - name: %s\n        query_location: queries/%s\n%s", name, file, extra)
	}
	yaml := "# The issue #17 bench dataset on a throwaway MariaDB (internal/benchdata/mariadb).\ndatabases:\n" +
		entry("client_activity_analysis", "Europe/London", 3) +
		query("Get all email changes", "email.sql", "        change_type: email\n") +
		query("Get phone changes by client ID", "phone.sql", "        change_type: phone\n        columns: {user: client_id}\n") +
		query("Get token changes", "token.sql", "        change_type: token\n") +
		entry("account_activity_analysis", "America/New_York", 1) +
		query("Get all password changes", "password.sql", "        change_type: password\n") +
		entry("dam", "Europe/London", 1) +
		query("Database activity", "activity.sql", "        kind: activity\n")
	settings := "user_settings:\n  sid: BENCH1\napp_settings:\n  report_output_dir: reports\n  log_dir: logs\n  max_concurrency: 5\ndetection:\n  business_timezone: Europe/London\n"
	files := map[string]string{"databases.yaml": yaml, "app_settings.yaml": settings,
		"env": fmt.Sprintf("export %s=%s\nMARIADB_PORT=%d\nMARIADB_USER=%s\nMARIADB_SCHEMA=%s\n",
			srv.PasswordEnv, srv.Password, srv.Port, mariadbtest.User, mariadbtest.Schema)}
	start := time.Now().Add(-30 * 24 * time.Hour)
	for kind, q := range changeQueries {
		files["queries/"+kind+".sql"] = q + "\n"
		zone := london
		if kind == "password" {
			zone = newYork
		}
		files["floor/"+kind+".sql"] = strings.ReplaceAll(q, ":start_date", "'"+start.In(zone).Format("2006-01-02 15:04:05")+"'") + ";\n"
	}
	activity, err := fs.ReadFile(queries.Files, path.Join("mysql", "activity.sql"))
	if err != nil {
		return err
	}
	files["queries/activity.sql"] = string(activity)
	files["floor/activity.sql"] = strings.ReplaceAll(string(activity), ":start_date", "'"+start.In(london).Format("2006-01-02 15:04:05")+"'") + ";\n"
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			return err
		}
	}
	return nil
}

var (
	london  = mustZone("Europe/London")
	newYork = mustZone("America/New_York")
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
