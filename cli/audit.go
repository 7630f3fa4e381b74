package cli

import (
	"fmt"
	"io"
	"log/slog"
	"sync"

	"cam/config"
	"cam/journal"
)

// auditTrail records the analyst's actions in audit.jsonl. A trail that
// cannot be opened or written does not stop the analysis (losing the
// findings over a full log disk would be worse), but it is never silent:
// every failure is logged, returned to the caller (the TUI shows it in its
// header), printed on errOut when set (cam run), and remembered so cam run
// exits 3.
type auditTrail struct {
	a       *journal.Audit
	openErr error
	logger  *slog.Logger
	errOut  io.Writer

	mu     sync.Mutex
	failed bool
}

// openAudit opens the trail; errOut, when not nil, receives every failure.
func openAudit(cfg *config.Config, logger *slog.Logger, errOut io.Writer) *auditTrail {
	a, err := journal.OpenAudit(cfg.Settings.App.LogDir, cfg.Settings.User.SID)
	t := &auditTrail{a: a, openErr: err, logger: logger, errOut: errOut}
	if err != nil {
		t.fail(fmt.Sprintf("audit trail unavailable: %v", err), err)
	}
	return t
}

// Record appends one action; it satisfies tui.Auditor.
func (t *auditTrail) Record(action string, details map[string]any) error {
	err := t.openErr
	if t.a != nil {
		err = t.a.Record(action, details)
	}
	if err != nil {
		t.fail(fmt.Sprintf("audit trail: %s not recorded: %v", action, err), err)
	}
	return err
}

func (t *auditTrail) fail(msg string, err error) {
	t.mu.Lock()
	t.failed = true
	t.mu.Unlock()
	t.logger.Error("audit record failed", "err", err)
	if t.errOut != nil {
		fmt.Fprintf(t.errOut, "cam: %s\n", msg)
	}
}

// Failed reports whether any action went unrecorded.
func (t *auditTrail) Failed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.failed
}

func (t *auditTrail) Close() {
	if t.a != nil {
		t.a.Close()
	}
}
