package cli

import (
	"github.com/charmbracelet/log"

	"cam/config"
	"cam/journal"
)

// auditTrail records the analyst's actions in audit.jsonl. A trail that
// cannot be opened or written is logged and does not stop the analysis:
// losing the findings over a full log disk would be worse.
type auditTrail struct {
	a      *journal.Audit
	logger *log.Logger
}

func openAudit(cfg *config.Config, logger *log.Logger) auditTrail {
	a, err := journal.OpenAudit(cfg.Settings.App.LogDir, cfg.Settings.User.SID)
	if err != nil {
		logger.Error("audit trail unavailable", "err", err)
	}
	return auditTrail{a: a, logger: logger}
}

// Record appends one action; it satisfies tui.Auditor.
func (t auditTrail) Record(action string, details map[string]any) {
	if t.a == nil {
		return
	}
	if err := t.a.Record(action, details); err != nil {
		t.logger.Error("audit record failed", "action", action, "err", err)
	}
}

func (t auditTrail) Close() {
	if t.a != nil {
		t.a.Close()
	}
}
