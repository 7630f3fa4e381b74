package cli

import (
	"cam/internal/display"
	"fmt"
	"io"
	"text/tabwriter"

	"cam/engine"
	"cam/internal/inert"
)

// printSummary is `cam run` without --json: a short, readable account of
// the run for a terminal or a cron mail.
func printSummary(w io.Writer, res engine.Result) {
	ok, failed := 0, 0
	for _, q := range res.Queries {
		if q.Status == engine.StatusOK {
			ok++
		} else {
			failed++
		}
	}
	state := "complete"
	if res.Cancelled {
		state = "CANCELLED"
	} else if !res.Complete {
		state = "INCOMPLETE"
	}
	mode := "sliding window"
	if res.LastEventTime != nil {
		mode = "anchored at " + res.LastEventTime.Local().Format("2006-01-02 15:04:05 MST")
	}
	fmt.Fprintf(w, "Run %s: %d/%d queries ok, %s, events since %s, took %s\n",
		state, ok, len(res.Queries), mode, res.StartDate.Local().Format("2006-01-02 15:04 MST"),
		display.Span(res.FinishedAt.Sub(res.StartedAt)))
	for _, q := range res.Queries {
		if q.Status != engine.StatusOK {
			fmt.Fprintf(w, "  %s %s / %s: %s\n", q.Status, inert.Text(q.Database), inert.Text(q.Query), inert.Text(display.ClassedError(string(q.Class), q.Err)))
		}
	}

	f := res.Findings
	fmt.Fprintf(w, "\nSuspicious users (all four changed within the takeover window): %d\n", len(f.Takeovers))
	if len(f.Takeovers) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  USER\tWINDOW START\tWINDOW END\tSPAN")
		for _, t := range f.Takeovers {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", inert.Text(t.User), t.WindowStart.Local().Format("2006-01-02 15:04:05"),
				t.WindowEnd.Local().Format("2006-01-02 15:04:05"), display.Span(t.WindowEnd.Sub(t.WindowStart)))
		}
		tw.Flush()
	}
	if len(f.Candidates) > 0 {
		fmt.Fprintf(w, "\nPossible takeovers (a change query failed): %d\n", len(f.Candidates))
		for _, c := range f.Candidates {
			fmt.Fprintf(w, "  %s (missing %v)\n", inert.Text(c.User), c.Missing)
		}
	}
	fmt.Fprintf(w, "\nAlerts: %d\n", len(f.Alerts))
	if len(f.Alerts) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  SEVERITY\tRULE\tUSER\tFIRST SEEN\tCOUNT\tMESSAGE")
		for _, a := range f.Alerts {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%d\t%s\n", a.Severity, display.Rule(a.Rule), inert.Text(a.User),
				a.FirstSeen.Local().Format("2006-01-02 15:04:05"), a.Count, inert.Text(a.Message))
		}
		tw.Flush()
	}
}
