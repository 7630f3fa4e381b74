package session

import (
	"path/filepath"

	"cam/config"
	"cam/engine"
	"cam/journal"
	"cam/report"
)

// Export writes view of res in formats to dir, with meta (from Meta, taken
// on the caller's goroutine before the settings can change), and records
// the export. It does disk I/O: the TUI calls it from a command. The files
// are kept for the mail that may follow (ReportFor).
func (s *Session) Export(dir string, formats []string, res engine.Result, view report.View, meta report.Meta) ([]string, error) {
	paths, err := report.Export(dir, formats, res, view, meta)
	if err != nil {
		return nil, err
	}
	s.trail.Record(journal.ActionExport, journal.ExportDetails(res.RunID, formats, paths,
		len(view.Alerts), len(view.Takeovers), view.Filter))
	s.mu.Lock()
	if s.run != nil && s.run.ID() == res.RunID {
		s.exported = append(s.exported, paths...)
	}
	s.mu.Unlock()
	return paths, nil
}

// Exported is every file exported from the current run, oldest first.
func (s *Session) Exported() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.exported...)
}

// ReportFor is the file a mail about paths points to: the newest workbook,
// else the first file that is not itself the mail draft, else "".
func ReportFor(paths []string) string {
	for i := len(paths) - 1; i >= 0; i-- {
		if filepath.Ext(paths[i]) == "."+report.FormatXLSX {
			return paths[i]
		}
	}
	for _, p := range paths {
		if filepath.Ext(p) != "."+report.FormatEML {
			return p
		}
	}
	return ""
}

// MailLink is the mailto: link to the configured recipients about every
// finding of res (the headless run has no filter), pointing to
// ReportFor(reports); it records the mail. The link has no recipient when
// none is configured (the caller says so).
func (s *Session) MailLink(res engine.Result, reports []string) string {
	return s.mailLink(res, report.FullView(res), s.Meta(), ReportFor(reports))
}

// Mail is the `m` hand-off of what the analyst sees: it writes the .eml
// draft about view to dir and returns its paths and the mailto link. Both
// say the same subject and body and name the same report (the newest file
// exported from this run), and the trail records the view's counts and
// filter as sent. meta is taken on the caller's goroutine (Export). Mail
// does disk I/O: the TUI calls it from a command.
func (s *Session) Mail(dir string, res engine.Result, view report.View, meta report.Meta) ([]string, string, error) {
	meta.ReportPath = ReportFor(s.Exported())
	paths, err := s.Export(dir, []string{report.FormatEML}, res, view, meta)
	if err != nil {
		return nil, "", err
	}
	return paths, s.mailLink(res, view, meta, meta.ReportPath), nil
}

// mailLink builds the link about view and records the mail with what it
// says: the alerts and suspicious users it counts and whether a filter
// chose them (never the filter's text, which may hold a user id).
func (s *Session) mailLink(res engine.Result, view report.View, meta report.Meta, reportPath string) string {
	recipients := meta.Recipients
	link := report.Mailto(recipients, res, view, meta, reportPath)
	d := viewDetails(res.RunID, view)
	d["recipients"] = len(recipients)
	s.trail.Record(journal.ActionMail, d)
	return link
}

// viewDetails are the audit details of a hand-off of view: the same
// counts every hand-off's text says.
func viewDetails(runID int64, view report.View) map[string]any {
	return map[string]any{"run_id": runID, "alerts": len(view.Alerts), "suspicious": len(view.Takeovers),
		"filter_active": view.Filter != "", "filter_len": len(view.Filter)}
}

// Summary is the paste-ready summary of view; it is recorded once copied
// (SummaryCopied), since the copy may fail.
func (s *Session) Summary(res engine.Result, view report.View) string {
	return report.PasteSummary(res, view, s.Meta())
}

// SummaryCopied records that the paste summary of view reached the
// clipboard, with the counts its text says.
func (s *Session) SummaryCopied(runID int64, view report.View) {
	d := viewDetails(runID, view)
	d["count"] = len(view.Alerts)
	s.trail.Record(journal.ActionSummaryCopy, d)
}

// What a copy carried, as Copied records it.
const (
	CopiedUserIDs = "user_ids" // the selected or every visible user id
	CopiedSummary = "summary"  // the paste summary
)

// Copied records a copy to the clipboard by what and how many, never the
// values. Copies of anything else (the mailto link) are not audited.
func (s *Session) Copied(what string, count int) {
	switch what {
	case CopiedUserIDs:
		s.trail.Record(journal.ActionYank, map[string]any{"what": what, "count": count})
	case CopiedSummary:
		s.trail.Record(journal.ActionSummaryCopy, map[string]any{"count": count})
	}
}

// SettingsSaved records a settings save and applies st to the session's
// configuration, so the next run uses it.
func (s *Session) SettingsSaved(st config.Settings) {
	s.trail.Record(journal.ActionSettingsSaved, nil)
	s.mu.Lock()
	s.cfg.Settings = st
	s.mu.Unlock()
}
