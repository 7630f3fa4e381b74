// Command benchdata writes the dataset of issue #17 for cam's end-to-end
// bench: SQLite files and a cam configuration directory that reads them,
// and tab-separated files that cmd benchdata/mariadb loads into a
// throwaway MariaDB server. The data is deterministic for a day and sizes.
//
//	go run ./internal/benchdata -changes 2000000 -activity 500000 -out DIR
//
// DIR/sqlite is a cam config directory (cam run --config-dir DIR/sqlite);
// DIR/sqlite/floor holds the same five queries with the start date filled
// in, for the sqlite3 command-line client; DIR/tsv holds the rows for the
// MariaDB loader.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

func main() {
	changes := flag.Int("changes", 2_000_000, "ordinary change rows (plus four per planted takeover)")
	activityRows := flag.Int("activity", 500_000, "activity rows")
	users := flag.Int("users", 200_000, "client ids")
	out := flag.String("out", "", "output directory (required)")
	dayFlag := flag.String("day", "", "generation day YYYY-MM-DD (default today, UTC); data lies in the 29 days before it")
	flag.Parse()
	if *out == "" || *changes < 0 || *activityRows < 0 || *users < takeoverMask {
		fmt.Fprintln(os.Stderr, "usage: benchdata -out DIR [-changes N] [-activity N] [-users N ≥ 1000] [-day YYYY-MM-DD]")
		os.Exit(2)
	}
	day := time.Now().UTC().Truncate(24 * time.Hour)
	if *dayFlag != "" {
		d, err := time.Parse("2006-01-02", *dayFlag)
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchdata: -day %q: %v\n", *dayFlag, err)
			os.Exit(2)
		}
		day = d
	}
	began := time.Now()
	d := generate(day, *changes, *activityRows, *users)
	if err := write(*out, d); err != nil {
		fmt.Fprintf(os.Stderr, "benchdata: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("benchdata: %d change rows (%d planted takeovers), %d activity rows (%d bursts, %d night actions, %d Guest writes) in %s, %s\n",
		len(d.changes), d.takeovers, len(d.activity), d.bursts, d.nights, d.guestWrites, *out, time.Since(began).Round(time.Second))
}

func write(out string, d *dataset) error {
	for _, sub := range []string{"sqlite/data", "sqlite/queries", "sqlite/floor", "tsv"} {
		if err := os.MkdirAll(filepath.Join(out, sub), 0o700); err != nil {
			return err
		}
	}
	if err := writeSQLite(filepath.Join(out, "sqlite"), d); err != nil {
		return err
	}
	return writeTSV(filepath.Join(out, "tsv"), d)
}
