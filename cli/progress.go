package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"cam/engine"
	"cam/internal/display"
	"cam/internal/inert"
)

// progress prints a run's query events on stderr: one line per query event
// for logs and cron mail, or a single live line on a terminal.
type progress struct {
	w        io.Writer
	quiet    bool
	live     bool
	total    int
	finished int
	lastLine int // width of the live line, to blank it
}

func newProgress(w io.Writer, quiet bool) *progress {
	return &progress{w: w, quiet: quiet, live: isTerminal(w)}
}

func (p *progress) show(ev engine.Event) {
	if p.quiet {
		return
	}
	var line string
	switch e := ev.(type) {
	case engine.QueryQueued:
		p.total++
		if p.live {
			return
		}
		line = fmt.Sprintf("queued     %s / %s", e.Database, e.Query)
	case engine.QueryStarted:
		line = fmt.Sprintf("started    %s / %s (attempt %d)", e.Database, e.Query, e.Attempt)
	case engine.QueryProgressed:
		if !p.live {
			return // one line per query event, not per progress tick
		}
		line = fmt.Sprintf("reading    %s / %s: %d rows", e.Database, e.Query, e.Rows)
	case engine.QueryRetrying:
		line = fmt.Sprintf("retrying   %s / %s in %s after attempt %d/%d: %s",
			e.Database, e.Query, e.Delay.Round(100*time.Millisecond), e.Attempt, e.MaxAttempts, display.ClassedError(string(e.Class), e.Err))
	case engine.QueryFinished:
		p.finished++
		line = fmt.Sprintf("ok         %s / %s: %d rows, %d rejected, %s",
			e.Database, e.Query, e.Rows, e.Rejected, e.Duration.Round(time.Millisecond))
		if e.RejectNote != "" {
			line += " (rejected: " + e.RejectNote + ")"
		}
	case engine.QueryFailed:
		p.finished++
		line = fmt.Sprintf("FAILED     %s / %s after %d attempt(s): %s", e.Database, e.Query, e.Attempts, display.ClassedError(string(e.Class), e.Err))
	case engine.QueryCancelled:
		p.finished++
		line = fmt.Sprintf("cancelled  %s / %s after %d rows", e.Database, e.Query, e.Rows)
	default:
		return
	}
	// Names and errors come from config and databases: one escape here
	// covers every line.
	line = inert.Text(line)
	if !p.live {
		fmt.Fprintln(p.w, line)
		return
	}
	// Failures and retries stay on screen; the rest overwrite one line.
	switch ev.(type) {
	case engine.QueryFailed, engine.QueryRetrying:
		p.clear()
		fmt.Fprintln(p.w, line)
		return
	}
	status := fmt.Sprintf("[%d/%d] %s", p.finished, p.total, line)
	p.clear()
	fmt.Fprint(p.w, status)
	p.lastLine = len(status)
}

func (p *progress) clear() {
	if p.lastLine > 0 {
		fmt.Fprint(p.w, "\r"+strings.Repeat(" ", p.lastLine)+"\r")
		p.lastLine = 0
	}
}

func (p *progress) done() {
	if p.live && !p.quiet {
		p.clear()
	}
}
