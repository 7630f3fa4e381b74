package tui

import (
	"fmt"
	"path/filepath"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/internal/plural"
	"cam/journal"
	"cam/report"
	"cam/tui/clipboard"
)

// Auditor records the analyst's actions (the audit trail). cli passes
// the journal's trail; nil records nothing. A failure is returned so the
// header can say that actions are going unrecorded.
type Auditor interface {
	Record(action string, details map[string]any) error
}

// audit records an action; a failure stays in the header until cam exits,
// since every later action may be going unrecorded too.
func (m *Model) audit(action string, details map[string]any) {
	if m.opts.Audit == nil {
		return
	}
	if err := m.opts.Audit.Record(action, details); err != nil {
		m.auditErr = err
	}
}

// exportedMsg reports an export written by a command.
type exportedMsg struct {
	runID   int64
	formats []string
	paths   []string
	view    report.View
	err     error
	mail    bool // the export was the .eml draft of `m`
}

// handoffReady says why there is nothing to hand off yet, or "".
func (m Model) handoffReady() string {
	switch {
	case m.running:
		return "wait for the run to finish (esc cancels it)"
	case m.lastRun == nil:
		return "nothing to hand off yet — press r to run"
	}
	return ""
}

// meta is the run context printed beside the findings.
func (m Model) meta() report.Meta {
	meta := report.NewMeta(m.cfg, m.opts.Version)
	meta.Zone = m.c.Zone
	return meta
}

// view is what the results pane shows, so hand-offs match the screen.
func (m Model) view() report.View {
	return report.FilteredView(*m.lastRun, m.results.Visible(), m.results.Filter())
}

// export writes the workbook and CSV files of what is on screen, in a
// command: a slow disk must not freeze the screen.
func (m Model) export() (tea.Model, tea.Cmd) {
	if why := m.handoffReady(); why != "" {
		return m.showToast("Export: "+why, true)
	}
	res, view, meta := *m.lastRun, m.view(), m.meta()
	dir := m.cfg.Settings.App.ReportOutputDir
	formats := []string{report.FormatXLSX, report.FormatCSV}
	m.toast, m.toastErr, m.toastLink = "Exporting…", false, ""
	return m, func() tea.Msg {
		paths, err := report.Export(dir, formats, res, view, meta)
		return exportedMsg{runID: res.RunID, formats: formats, paths: paths, view: view, err: err}
	}
}

// mail writes the .eml draft, then yanks the mailto link and shows it as
// a terminal hyperlink.
func (m Model) mail() (tea.Model, tea.Cmd) {
	if why := m.handoffReady(); why != "" {
		return m.showToast("Mail: "+why, true)
	}
	if len(m.cfg.Settings.App.EmailRecipients) == 0 {
		return m.showSticky("Mail: no recipients — add email_recipients in Settings (1) and save")
	}
	res, view, meta := *m.lastRun, m.view(), m.meta()
	dir := m.cfg.Settings.App.ReportOutputDir
	formats := []string{report.FormatEML}
	return m, func() tea.Msg {
		paths, err := report.Export(dir, formats, res, view, meta)
		return exportedMsg{runID: res.RunID, formats: formats, paths: paths, view: view, err: err, mail: true}
	}
}

// onExported reports an export; a failure stays on screen (the results
// stay too, so the analyst can fix the cause and press e again).
func (m Model) onExported(msg exportedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		return m.showSticky(msg.err.Error())
	}
	m.audit(journal.ActionExport, journal.ExportDetails(msg.runID, msg.formats, msg.paths,
		len(msg.view.Alerts), len(msg.view.Takeovers), msg.view.Filter))
	if msg.mail {
		return m.mailReady(msg)
	}
	m.exported = append(m.exported, msg.paths...)
	what := plural.Count(len(msg.view.Alerts), "alert", "alerts")
	if msg.view.Filter != "" {
		what = fmt.Sprintf("%s (filter %q)", plural.Count(len(msg.view.Alerts), "filtered alert", "filtered alerts"), msg.view.Filter)
	}
	text := fmt.Sprintf("Exported %s to %s", what, filepath.Dir(msg.paths[0]))
	return m.showToast(text, false)
}

// mailReady yanks the link and shows it once the draft is written.
func (m Model) mailReady(msg exportedMsg) (tea.Model, tea.Cmd) {
	res, meta := *m.lastRun, m.meta()
	link := report.Mailto(m.cfg.Settings.App.EmailRecipients, res, meta, m.lastWorkbook())
	m.audit(journal.ActionMail, map[string]any{"run_id": res.RunID,
		"recipients": len(m.cfg.Settings.App.EmailRecipients), "suspicious": len(res.Findings.Takeovers)})
	text := "Mail link copied · draft " + filepath.Base(msg.paths[0])
	// The link stays long enough to be clicked.
	model, tick := m.showToastFor(text, false, 20*time.Second)
	mm := model.(Model)
	mm.toastLink = link
	copyCmd := clipboard.CopyCounted(m.c.ClipboardMode, link, "", "mailto", 1)
	return mm, tea.Batch(tick, quietCopy(copyCmd))
}

// quietCopy runs a copy whose success needs no toast of its own.
func quietCopy(cmd tea.Cmd) tea.Cmd {
	return func() tea.Msg {
		msg, _ := cmd().(clipboard.CopiedMsg)
		msg.Summary = ""
		return msg
	}
}

// lastWorkbook is the newest workbook exported from this run, for the
// mail body; "" when none was.
func (m Model) lastWorkbook() string {
	for i := len(m.exported) - 1; i >= 0; i-- {
		if filepath.Ext(m.exported[i]) == ".xlsx" {
			return m.exported[i]
		}
	}
	return ""
}

// summary copies the paste-ready summary of what is on screen.
func (m Model) summary() (tea.Model, tea.Cmd) {
	if why := m.handoffReady(); why != "" {
		return m.showToast("Summary: "+why, true)
	}
	view := m.view()
	text := report.PasteSummary(*m.lastRun, view, m.meta())
	note := fmt.Sprintf("Copied summary of %s — paste into OneNote, Excel or Teams", plural.Count(len(view.Alerts), "alert", "alerts"))
	return m, clipboard.CopyCounted(m.c.ClipboardMode, text, note, "summary", len(view.Alerts))
}

// onCopied shows a copy's outcome and records it.
func (m Model) onCopied(msg clipboard.CopiedMsg) (tea.Model, tea.Cmd) {
	if msg.Err != nil {
		return m.showSticky(msg.Err.Error())
	}
	switch msg.What {
	case "user_ids":
		m.audit(journal.ActionYank, map[string]any{"what": "user_ids", "count": msg.Count})
	case "summary":
		m.audit(journal.ActionSummaryCopy, map[string]any{"count": msg.Count})
	}
	if msg.Summary == "" {
		return m, nil
	}
	return m.showToast(msg.Summary, false)
}
