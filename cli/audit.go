package cli

import (
	"fmt"
	"io"
	"log/slog"

	"cam/config"
	"cam/internal/inert"
	"cam/session"
)

// openAudit opens the audit trail. A trail that cannot be opened or
// written does not stop the analysis (losing the findings over a full log
// disk would be worse), but it is never silent: every failure is logged,
// printed on errOut when set (cam run; the TUI shows it in its header),
// and remembered (Failed) so cam run exits 3.
func openAudit(cfg *config.Config, logger *slog.Logger, errOut io.Writer) *session.Trail {
	say := func(msg string, err error) {
		logger.Error("audit record failed", "err", err)
		if errOut != nil {
			fmt.Fprintf(errOut, "cam: %s\n", inert.Text(msg))
		}
	}
	trail, err := session.OpenTrail(cfg, func(action string, err error) {
		say(fmt.Sprintf("audit trail: %s not recorded: %v", action, err), err)
	})
	if err != nil {
		say(fmt.Sprintf("audit trail unavailable: %v", err), err)
	}
	return trail
}
