package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"cam/engine"
)

// FilePrefix starts every report file name; the run's timestamp follows:
// client_activity_20261122_140307.xlsx.
const FilePrefix = "client_activity_"

// maxSameSecond bounds the _2, _3, ... suffixes tried when a run is
// exported again in the same second.
const maxSameSecond = 1000

// Export writes the run's reports for what the analyst sees into dir
// (created 0700 if missing) and returns the paths written: the workbook
// (xlsx), the suspicious-users and alerts CSV files (csv), and a mail
// draft naming the report (eml, to meta.Recipients). Names carry the run's
// start time in the analyst's zone; an existing file is never overwritten
// (a later export gets a _2, _3, ... suffix). Each file is written 0600
// through a temporary file, so a failure leaves no partial file; on any
// failure the files of this export already written are removed too, and
// the error names the file, so the analyst can fix the cause and export
// again.
func Export(dir string, formats []string, res engine.Result, view View, meta Meta) ([]string, error) {
	if len(formats) == 0 {
		return nil, errors.New("export: no format given (use xlsx, csv, eml)")
	}
	formats, err := ParseFormats(strings.Join(formats, ","))
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("export: report directory %s: %w", dir, err)
	}
	stamp := runStamp(res.StartedAt, meta.zone())
	for n := 1; n <= maxSameSecond; n++ {
		base := FilePrefix + stamp
		if n > 1 {
			base += fmt.Sprintf("_%d", n)
		}
		jobs := plan(filepath.Join(dir, base), formats, res, view, meta)
		if anyExists(jobs) {
			continue
		}
		paths, err := run(jobs)
		if errors.Is(err, errExists) {
			continue // another export took the name meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		return paths, nil
	}
	return nil, fmt.Errorf("export: %s already holds %d reports of run %s", dir, maxSameSecond, stamp)
}

// job is one file of an export.
type job struct {
	path string
	fill func(io.Writer) error
}

// plan lists the files of one export at base (a path without extension).
func plan(base string, formats []string, res engine.Result, view View, meta Meta) []job {
	var jobs []job
	report := ""
	for _, f := range formats {
		switch f {
		case FormatXLSX:
			report = base + ".xlsx"
			jobs = append(jobs, job{report, func(w io.Writer) error { return WriteWorkbook(w, res, view, meta) }})
		case FormatCSV:
			sus, al := base+"_suspicious_users.csv", base+"_alerts.csv"
			if report == "" {
				report = sus
			}
			jobs = append(jobs,
				job{sus, func(w io.Writer) error { return WriteSuspiciousCSV(w, view.Takeovers, view.Types) }},
				job{al, func(w io.Writer) error { return WriteAlertsCSVTriage(w, view.Alerts, view.Triage) }})
		}
	}
	for _, f := range formats {
		if f == FormatEML {
			jobs = append(jobs, job{base + ".eml", func(w io.Writer) error {
				return WriteEML(w, meta.Recipients, res, meta, report)
			}})
		}
	}
	return jobs
}

func anyExists(jobs []job) bool {
	for _, j := range jobs {
		if _, err := os.Lstat(j.path); err == nil {
			return true
		}
	}
	return false
}

// run writes every job or, on the first failure, removes what it wrote.
func run(jobs []job) ([]string, error) {
	var done []string
	for _, j := range jobs {
		if err := writeAtomic(j.path, j.fill); err != nil {
			for _, p := range done {
				os.Remove(p)
			}
			return nil, err
		}
		done = append(done, j.path)
	}
	return done, nil
}
