package tui

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/report"
	"cam/session"
	"cam/tui/clipboard"
	"cam/tui/toast"
)

// exportedMsg reports an export written by a command (the session has
// recorded it already).
type exportedMsg struct {
	paths []string
	view  report.View
	err   error
	mail  bool   // the export was the .eml draft of `m`
	link  string // the mailto link of `m`, saying what the draft says
}

// handoffReady says why there is nothing to hand off yet, or "".
func (m Model) handoffReady() string {
	switch {
	case m.running():
		return "wait for the run to finish (esc cancels it)"
	case m.lastRun() == nil:
		return "nothing to hand off yet — press r to run"
	}
	return ""
}

// view is what the results pane shows, so hand-offs match the screen.
func (m Model) view() report.View {
	v := report.FilteredView(*m.lastRun(), m.results.Visible(), m.results.Filter())
	v.Triage = m.results.TriageLookup() // the status columns, with a state
	return v
}

// export writes the workbook and CSV files of what is on screen, in a
// command: a slow disk must not freeze the screen.
func (m Model) export() (tea.Model, tea.Cmd) {
	if why := m.handoffReady(); why != "" {
		return m.flash(toastError("Export: " + why))
	}
	sess, res, view, meta := m.sess, *m.lastRun(), m.view(), m.sess.Meta()
	dir := m.cfg.Settings.App.ReportOutputDir
	formats := []string{report.FormatXLSX, report.FormatCSV}
	m.toast.Show(toast.Toast{Text: "Exporting…", Sticky: true, Progress: true})
	log := m.log
	return m, func() tea.Msg {
		paths, err := sess.Export(dir, formats, res, view, meta)
		logExport(log, "export", paths, view, err)
		return exportedMsg{paths: paths, view: view, err: err}
	}
}

// logExport writes an export's outcome to the application log (its file
// and the log pane): the paths, or the failure. Counts only: the filter's
// text may hold a user id.
func logExport(log *slog.Logger, what string, paths []string, view report.View, err error) {
	if err != nil {
		log.Error(what+" failed", "err", err)
		return
	}
	// The names first: a narrow log pane cuts the line's end, and the
	// directory is the same for every export.
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	dir := ""
	if len(paths) > 0 {
		dir = filepath.Dir(paths[0])
	}
	log.Info(what+" written", "files", names, "alerts", len(view.Alerts), "filter_active", view.Filter != "", "dir", dir)
}

// mail writes the .eml draft, then yanks the mailto link and shows it as
// a terminal hyperlink.
func (m Model) mail() (tea.Model, tea.Cmd) {
	if why := m.handoffReady(); why != "" {
		return m.flash(toastError("Mail: " + why))
	}
	if len(m.cfg.Settings.App.EmailRecipients) == 0 {
		return m.flash(toastSticky("Mail: no recipients — add email_recipients in Settings (1) and save"))
	}
	sess, res, view, meta := m.sess, *m.lastRun(), m.view(), m.sess.Meta()
	dir := m.cfg.Settings.App.ReportOutputDir
	log := m.log
	return m, func() tea.Msg {
		paths, link, err := sess.Mail(dir, res, view, meta)
		logExport(log, "mail draft", paths, view, err)
		return exportedMsg{paths: paths, view: view, err: err, mail: true, link: link}
	}
}

// onExported reports an export; a failure stays on screen (the results
// stay too, so the analyst can fix the cause and press e again).
func (m Model) onExported(msg exportedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		return m.flash(toastSticky(msg.err.Error()))
	}
	if msg.mail {
		return m.mailReady(msg)
	}
	text := fmt.Sprintf("Exported %s to %s", msg.view.Headline(), filepath.Dir(msg.paths[0]))
	return m.flash(toast.Toast{Text: text, Detail: text + ":\n" + strings.Join(msg.paths, "\n")})
}

// mailReady yanks the link and shows it once the draft is written.
func (m Model) mailReady(msg exportedMsg) (tea.Model, tea.Cmd) {
	link := msg.link
	// The link stays long enough to be clicked.
	text := "Mail link copied (" + msg.view.Headline() + ") · draft " + filepath.Base(msg.paths[0])
	detail := "Mail about " + msg.view.Headline() + " (the link is on the clipboard)\n\nSubject: " +
		report.MailSubject(*m.lastRun(), msg.view, m.sess.Meta()) + "\nDraft: " + msg.paths[0]
	if r := session.ReportFor(m.sess.Exported()); r != "" {
		detail += "\nReport: " + r
	}
	tick := m.toast.Show(toast.Toast{Text: text, Detail: detail,
		Link: link, LinkLabel: "[open mail]", For: 20 * time.Second})
	copyCmd := clipboard.CopyCounted(m.c.ClipboardMode, link, "", "mailto", 1)
	return m, tea.Batch(tick, quietCopy(copyCmd))
}

// quietCopy runs a copy whose success needs no toast of its own.
func quietCopy(cmd tea.Cmd) tea.Cmd {
	return func() tea.Msg {
		msg, _ := cmd().(clipboard.CopiedMsg)
		msg.Summary = ""
		return msg
	}
}

// summary copies the paste-ready summary of what is on screen.
func (m Model) summary() (tea.Model, tea.Cmd) {
	if why := m.handoffReady(); why != "" {
		return m.flash(toastError("Summary: " + why))
	}
	view, runID := m.view(), m.lastRun().RunID
	text := m.sess.Summary(*m.lastRun(), view)
	note := fmt.Sprintf("Copied summary of %s — paste into OneNote, Excel or Teams", view.Headline())
	copyCmd := clipboard.CopyCounted(m.c.ClipboardMode, text, note, session.CopiedSummary, len(view.Alerts))
	return m, func() tea.Msg {
		copied, _ := copyCmd().(clipboard.CopiedMsg)
		return summaryCopiedMsg{copied: copied, runID: runID, view: view}
	}
}

// summaryCopiedMsg is the paste summary's copy, with the view it
// summarised, so the trail records what was copied.
type summaryCopiedMsg struct {
	copied clipboard.CopiedMsg
	runID  int64
	view   report.View
}

// onSummaryCopied shows the copy's outcome and records what it held.
func (m Model) onSummaryCopied(msg summaryCopiedMsg) (tea.Model, tea.Cmd) {
	if msg.copied.Err != nil {
		return m.flash(toastSticky(msg.copied.Err.Error()))
	}
	m.sess.SummaryCopied(msg.runID, msg.view)
	return m.flash(toast.Toast{Text: msg.copied.Summary})
}

// onCopied shows a copy's outcome and records it.
func (m Model) onCopied(msg clipboard.CopiedMsg) (tea.Model, tea.Cmd) {
	if msg.Err != nil {
		return m.flash(toastSticky(msg.Err.Error()))
	}
	m.sess.Copied(msg.What, msg.Count)
	if msg.Summary == "" {
		return m, nil
	}
	return m.flash(toast.Toast{Text: msg.Summary})
}
