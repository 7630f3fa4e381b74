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

// MailLink is the mailto: link to the configured recipients about res,
// pointing to ReportFor(reports); it records the mail. The link has no
// recipient when none is configured (the caller says so).
func (s *Session) MailLink(res engine.Result, reports []string) string {
	recipients := s.cfg.Settings.App.EmailRecipients
	link := report.Mailto(recipients, res, s.Meta(), ReportFor(reports))
	s.trail.Record(journal.ActionMail, map[string]any{"run_id": res.RunID,
		"recipients": len(recipients), "suspicious": len(res.Findings.Takeovers)})
	return link
}

// Summary is the paste-ready summary of view; it is recorded once copied
// (Copied), since the copy may fail.
func (s *Session) Summary(res engine.Result, view report.View) string {
	return report.PasteSummary(res, view, s.Meta())
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
