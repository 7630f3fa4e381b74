package cli

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"cam/internal/integration"
)

// runAlert is the part of a `cam run --json` alert the triage tests read.
type runAlert struct {
	Rule         string `json:"rule"`
	User         string `json:"user"`
	ID           string `json:"id"`
	Status       string `json:"status"`
	FirstSeenRun *int64 `json:"first_seen_run"`
	New          *bool  `json:"new"`
	Suppressed   *bool  `json:"suppressed"`
}

func demoRunJSON(t *testing.T, args ...string) (int, []runAlert, string) {
	t.Helper()
	code, stdout, stderr := runCam(t, append([]string{"run", "--demo", "--json", "--quiet"}, args...)...)
	var doc struct {
		Alerts []runAlert `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("cam run %v: stdout is not one JSON document (%v); stderr %s", args, err, stderr)
	}
	return code, doc.Alerts, stderr
}

func alertIDs(alerts []runAlert) []string {
	ids := make([]string, len(alerts))
	for i, a := range alerts {
		ids[i] = a.ID
	}
	slices.Sort(ids)
	return ids
}

func TestRunJSONCarriesTriageAndExitsOnOpenAlerts(t *testing.T) {
	// Whole demo runs, several: under -race the pure-Go SQLite is ~6× slower. The state's
	// concurrency is raced in session and triage; the plain pass runs this.
	integration.SkipUnderRace(t)
	t.Setenv("XDG_STATE_HOME", filepath.Join(t.TempDir(), "state"))
	code, alerts, stderr := demoRunJSON(t)
	if code != ExitFindings || len(alerts) == 0 {
		t.Fatalf("first demo run: exit %d with %d alerts, want %d with alerts; stderr %s", code, len(alerts), ExitFindings, stderr)
	}
	for _, a := range alerts {
		if a.ID == "" || a.Status != "new" || a.FirstSeenRun == nil || *a.FirstSeenRun != 1 || a.New == nil || !*a.New ||
			a.Suppressed == nil || *a.Suppressed {
			t.Fatalf("alert %+v: want an id, status new, first_seen_run 1, new true, suppressed false", a)
		}
	}

	// A second run: same ids, no longer new.
	_, again, _ := demoRunJSON(t)
	if !slices.Equal(alertIDs(again), alertIDs(alerts)) || *again[0].New {
		t.Fatalf("rerun: ids %v (new %v), want the first run's %v, not new", alertIDs(again), *again[0].New, alertIDs(alerts))
	}

	// Resolve one: it leaves the default output, stays with --all.
	first := alerts[0].ID
	if code, _, stderr := runCam(t, "triage", "set", first, "resolved", "--reason", "false_positive", "--demo"); code != ExitOK {
		t.Fatalf("triage set: exit %d: %s", code, stderr)
	}
	code, shown, _ := demoRunJSON(t)
	if code != ExitFindings || slices.Contains(alertIDs(shown), first) || len(shown) != len(alerts)-1 {
		t.Fatalf("after resolving %s: exit %d, ids %v; want exit 1 without it", first, code, alertIDs(shown))
	}
	_, everything, _ := demoRunJSON(t, "--all")
	i := slices.IndexFunc(everything, func(a runAlert) bool { return a.ID == first })
	if len(everything) != len(alerts) || i < 0 || everything[i].Status != "resolved" {
		t.Fatalf("--all: %d alerts (resolved one at %d), want all %d with %s resolved", len(everything), i, len(alerts), first)
	}

	// Resolve or suppress the rest: nothing open, exit 0.
	for _, a := range alerts[1:] {
		var args []string
		if a.Rule == "off_hours" {
			args = []string{"triage", "suppress", "--user", a.User, "--rule", a.Rule, "--reason", "night shift", "--demo"}
		} else {
			args = []string{"triage", "set", a.ID, "resolved", "--reason", "benign", "--demo"}
		}
		if code, _, stderr := runCam(t, args...); code != ExitOK && !strings.Contains(stderr, "already") {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	code, shown, stderr = demoRunJSON(t)
	if code != ExitOK || len(shown) != 0 {
		t.Fatalf("every alert resolved or suppressed: exit %d with %d alerts shown, want %d and none; stderr %s", code, len(shown), ExitOK, stderr)
	}
	_, everything, _ = demoRunJSON(t, "--all")
	if len(everything) != len(alerts) {
		t.Errorf("--all after closing everything: %d alerts, want %d", len(everything), len(alerts))
	}
}

func TestRunSinceLastFindsWhatAFullRunFinds(t *testing.T) {
	// Whole demo runs, several: under -race the pure-Go SQLite is ~6× slower. The state's
	// concurrency is raced in session and triage; the plain pass runs this.
	integration.SkipUnderRace(t)
	t.Setenv("XDG_STATE_HOME", filepath.Join(t.TempDir(), "state"))
	_, full, _ := demoRunJSON(t, "--all", "--since-last")
	code, incremental, stderr := demoRunJSON(t, "--all", "--since-last", "--stats")
	if !strings.Contains(stderr, "incremental: reading events since") {
		t.Fatalf("the second --since-last run did not run incrementally: stderr %s", stderr)
	}
	// --stats sets the rows read beside the full run's: fewer.
	stats := regexp.MustCompile(`rows_fetched=(\d+) incremental=true full_run=1 full_run_rows=(\d+)`).FindStringSubmatch(stderr)
	if stats == nil {
		t.Fatalf("--stats does not report rows fetched beside the full run's: %s", stderr)
	}
	if got, full := atoi(t, stats[1]), atoi(t, stats[2]); got <= 0 || got >= full {
		t.Errorf("the incremental run fetched %d rows, the full run %d; want fewer", got, full)
	}
	if code != ExitFindings || !slices.Equal(alertIDs(incremental), alertIDs(full)) {
		t.Errorf("incremental run: exit %d, ids %v; want %d and the full run's %v", code, alertIDs(incremental), ExitFindings, alertIDs(full))
	}
	if _, _, stderr := runCam(t, "run", "--demo", "--since-last", "--last-event-time", "2026-11-01 10:00"); !strings.Contains(stderr, "sliding mode only") {
		t.Errorf("--since-last with --last-event-time: stderr %q, want a usage error naming sliding mode", stderr)
	}
}

func TestRunWithoutItsStateStillRunsAndExits3(t *testing.T) {
	// A state directory that is a file: the state cannot open.
	blocker := filepath.Join(t.TempDir(), "state")
	t.Setenv("XDG_STATE_HOME", blocker)
	writeFile(t, blocker, "not a directory")
	code, alerts, stderr := demoRunJSON(t)
	if code != ExitIncomplete || len(alerts) == 0 || !strings.Contains(stderr, "triage state") {
		t.Fatalf("unopenable state: exit %d, %d alerts, stderr %q; want exit 3, the findings, and why", code, len(alerts), stderr)
	}
	if alerts[0].ID != "" {
		t.Errorf("alerts carry triage fields without a state: %+v", alerts[0])
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
