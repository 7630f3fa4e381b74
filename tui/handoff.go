package tui

import (
	"fmt"
	"path/filepath"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/internal/plural"
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
	mail  bool // the export was the .eml draft of `m`
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
	return report.FilteredView(*m.lastRun(), m.results.Visible(), m.results.Filter())
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
	m.toast.Show(toast.Toast{Text: "Exporting…", Sticky: true})
	return m, func() tea.Msg {
		paths, err := sess.Export(dir, formats, res, view, meta)
		return exportedMsg{paths: paths, view: view, err: err}
	}
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
	return m, func() tea.Msg {
		paths, err := sess.Export(dir, []string{report.FormatEML}, res, view, meta)
		return exportedMsg{paths: paths, view: view, err: err, mail: true}
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
	what := plural.Count(len(msg.view.Alerts), "alert", "alerts")
	if msg.view.Filter != "" {
		what = fmt.Sprintf("%s (filter %q)", plural.Count(len(msg.view.Alerts), "filtered alert", "filtered alerts"), msg.view.Filter)
	}
	return m.flash(toast.Toast{Text: fmt.Sprintf("Exported %s to %s", what, filepath.Dir(msg.paths[0]))})
}

// mailReady yanks the link and shows it once the draft is written.
func (m Model) mailReady(msg exportedMsg) (tea.Model, tea.Cmd) {
	link := m.sess.MailLink(*m.lastRun(), m.sess.Exported())
	// The link stays long enough to be clicked.
	tick := m.toast.Show(toast.Toast{Text: "Mail link copied · draft " + filepath.Base(msg.paths[0]),
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
	view := m.view()
	text := m.sess.Summary(*m.lastRun(), view)
	note := fmt.Sprintf("Copied summary of %s — paste into OneNote, Excel or Teams", plural.Count(len(view.Alerts), "alert", "alerts"))
	return m, clipboard.CopyCounted(m.c.ClipboardMode, text, note, session.CopiedSummary, len(view.Alerts))
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
