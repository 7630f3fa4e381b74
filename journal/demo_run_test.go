//go:build !race

// The race detector makes SQLite generation of the demo ~40x slower
// (minutes); this test checks data flow, not concurrency.

package journal_test

import (
	"archive/zip"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cam/config"
	"cam/demo"
	"cam/engine"
	"cam/engine/sqlite"
	"cam/internal/applog"
	"cam/journal"
	"cam/report"
)

// TestDemoRunKeepsPlantedValuesOutOfLogsAndReports runs the demo end to
// end at debug level, exports every format, and scans the application
// log, the audit trail and every report file for the planted email
// addresses and phone numbers.
func TestDemoRunKeepsPlantedValuesOutOfLogsAndReports(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole demo")
	}
	root := t.TempDir()
	dir, err := demo.Prepare(root, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	logDir := filepath.Join(root, "logs")
	appLog, err := journal.OpenAppLog(logDir)
	if err != nil {
		t.Fatal(err)
	}
	audit, err := journal.OpenAudit(logDir, cfg.Settings.User.SID)
	if err != nil {
		t.Fatal(err)
	}
	logger := applog.NewLogger(slog.LevelDebug, "engine", applog.NewFileSink(appLog))
	eng := engine.New(engine.Options{Drivers: map[string]engine.Driver{"sqlite": sqlite.New()}, Logger: logger})
	run, err := eng.Start(context.Background(), engine.Request{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	res := run.Wait()
	if len(res.Findings.Takeovers) == 0 {
		t.Fatal("demo run found no takeover; the scan would prove little")
	}
	meta := report.Meta{Version: "test", SID: cfg.Settings.User.SID, Host: "host", Lookback: cfg.Settings.Detection.Lookback,
		TakeoverWindow: cfg.Settings.Detection.TakeoverWindow, Recipients: []string{"soc@example.org"}}
	paths, err := report.Export(filepath.Join(root, "reports"), []string{"xlsx", "csv", "eml"}, res, report.FullView(res), meta)
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.Record(journal.ActionExport, map[string]any{"files": paths, "suspicious": len(res.Findings.Takeovers)}); err != nil {
		t.Fatal(err)
	}
	audit.Close()
	appLog.Close()

	texts := map[string]string{"mailto": report.Mailto(meta.Recipients, res, report.FullView(res), meta, paths[0]),
		"summary": report.PasteSummary(res, report.FullView(res), meta)}
	for _, p := range append(paths, filepath.Join(logDir, journal.AppLogName(time.Now())), filepath.Join(logDir, journal.AuditFileName)) {
		texts[p] = readAll(t, p)
	}
	if !strings.Contains(texts[filepath.Join(logDir, journal.AppLogName(time.Now()))], "[engine]") {
		t.Error("the application log is empty; the scan would prove little")
	}
	for name, text := range texts {
		for _, v := range demo.PlantedChangedValues {
			if strings.Contains(text, v) {
				t.Errorf("%s holds planted value %q", name, v)
			}
		}
	}
}

// readAll returns a file's text; a workbook's XML parts are unzipped.
func readAll(t *testing.T, path string) string {
	t.Helper()
	if !strings.HasSuffix(path, ".xlsx") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var b strings.Builder
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(&b, r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}
