package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"cam/internal/display"
	"cam/internal/inert"
	"cam/triage"
)

// sparkDays is how many days `cam history` and the history pane chart.
const sparkDays = 30

// runHistory is `cam history`: the recorded runs, newest first, and the
// findings per day of the last 30 days.
func runHistory(args []string, io IO) int {
	const name = "cam history"
	fs := newFlags("history", "cam history [--json] [--limit N] [--config-dir DIR | --demo]", io)
	sf := newStateFlags(fs)
	asJSON := fs.Bool("json", false, "print one JSON document")
	limit := fs.Int("limit", 50, "at most this many runs (0: all)")
	if code := parseFlagsNoArgs(fs, args, name, io); code >= 0 {
		return code
	}
	if *limit < 0 {
		fmt.Fprintf(io.Err, "%s: --limit %d: must be 0 (all) or more\n", name, *limit)
		return ExitUsage
	}
	env, ok := openState(name, sf, io)
	if !ok {
		return ExitUsage
	}
	defer env.Close()
	ctx := context.Background()
	runs, err := env.store.Runs(ctx, *limit)
	if err != nil {
		return stateError(name, err, io)
	}
	days, err := env.store.FindingsPerDay(ctx, sparkDays, time.Local)
	if err != nil {
		return stateError(name, err, io)
	}
	if *asJSON {
		type day struct {
			Day   string `json:"day"`
			Count int    `json:"count"`
		}
		doc := struct {
			Runs          []triage.RunSummary `json:"runs"`
			FindingsByDay []day               `json:"findings_per_day"`
		}{Runs: runs, FindingsByDay: []day{}}
		if doc.Runs == nil {
			doc.Runs = []triage.RunSummary{}
		}
		for _, d := range days {
			doc.FindingsByDay = append(doc.FindingsByDay, day{d.Day.Format("2006-01-02"), d.Count})
		}
		return writeJSONDoc(name, doc, io)
	}
	counts := make([]int, len(days))
	for i, d := range days {
		counts[i] = d.Count
	}
	fmt.Fprintf(io.Out, "Findings per day, last %d days: %s\n\n", sparkDays, display.Sparkline(counts, false))
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSTARTED\tSID\tMODE\tSTATE\tROWS\tREJECTED\tALERTS\tTOOK")
	for _, r := range runs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", r.ID, r.StartedAt.Local().Format("2006-01-02 15:04"),
			inert.Text(r.SID), inert.Text(r.Mode), r.Ending(), r.Rows, r.Rejected, bySeverity(r),
			r.FinishedAt.Sub(r.StartedAt).Round(time.Second))
	}
	tw.Flush()
	if len(runs) == 0 {
		fmt.Fprintf(io.Out, "no runs recorded in %s yet\n", inert.Text(env.store.Path()))
	}
	return ExitOK
}

// bySeverity writes "12 (2 critical, 10 high)".
func bySeverity(r triage.RunSummary) string {
	if r.Alerts == 0 {
		return "0"
	}
	order := map[string]int{"critical": 0, "high": 1, "medium": 2, "low": 3}
	var names []string
	for s := range r.BySeverity {
		names = append(names, s)
	}
	sort.Slice(names, func(i, j int) bool { return order[names[i]] < order[names[j]] })
	var parts []string
	for _, s := range names {
		parts = append(parts, fmt.Sprintf("%d %s", r.BySeverity[s], inert.Text(s)))
	}
	return fmt.Sprintf("%d (%s)", r.Alerts, strings.Join(parts, ", "))
}
