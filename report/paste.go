package report

import (
	"fmt"
	"strings"

	"cam/engine"
	"cam/internal/display"
	"cam/internal/inert"
	"cam/internal/plural"
)

// PasteHeader is the header row of the paste-ready table.
var PasteHeader = []string{"Rule", "Severity", "User", "Database", "First seen (UTC)", "Last seen (UTC)", "Count", "Message"}

// PasteSummary is the text the `o` key copies: a title line, run metadata,
// a blank line, then the visible alerts as tab-separated lines with a
// header row. Tab-separated lines paste as a table into OneNote, Excel and
// Teams; tabs and line breaks inside values become spaces so every alert
// stays one row.
func PasteSummary(res engine.Result, view View, meta Meta) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Client activity monitor: %s, %s (%s)\n",
		plural.Count(len(view.Takeovers), "suspicious user", "suspicious users"), tsvCell(view.Headline()),
		res.StartedAt.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "SID: %s  Host: %s  Version: %s\n", tsvCell(meta.SID), tsvCell(meta.Host), tsvCell(meta.Version))
	fmt.Fprintf(&b, "Run: %s to %s, %s\n", utc(res.StartedAt), utc(res.FinishedAt), completeness(res))
	fmt.Fprintf(&b, "Data from %s, takeover window %s, mode %s\n", utc(res.StartDate), human(meta.TakeoverWindow), res.Mode)
	if view.Filter != "" {
		b.WriteString("Only the rows matching the filter are listed.\n")
	}
	b.WriteString("\n")
	b.WriteString(strings.Join(PasteHeader, "\t") + "\n")
	for _, a := range view.Alerts {
		row := []string{display.Rule(a.Rule), a.Severity.String(), a.User, a.Database,
			utc(a.FirstSeen), utc(a.LastSeen), itoa(a.Count), a.Message}
		for i := range row {
			row[i] = tsvCell(row[i])
		}
		b.WriteString(strings.Join(row, "\t") + "\n")
	}
	return b.String()
}

// tsvCell keeps a value inside its cell, and inert: the summary may be
// pasted into a terminal, so other controls are shown as escapes.
func tsvCell(s string) string {
	return inert.Text(strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ", "\r", " ").Replace(s))
}
