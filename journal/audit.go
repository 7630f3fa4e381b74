package journal

import (
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"sync"
	"time"
)

// AuditFileName is the audit trail inside the log directory.
const AuditFileName = "audit.jsonl"

// Audit actions: every analyst action cam records.
const (
	ActionRunStarted    = "run_started"
	ActionRunFinished   = "run_finished"
	ActionExport        = "export"
	ActionYank          = "yank"
	ActionMail          = "mail"
	ActionSummaryCopy   = "summary_copy"
	ActionSettingsSaved = "settings_saved"
	// ActionTrailRepaired marks where cam found the trail ending in a
	// partial line (a crash or a full disk mid-write) and went on after it.
	ActionTrailRepaired = "trail_repaired"
)

var knownActions = map[string]bool{
	ActionRunStarted: true, ActionRunFinished: true, ActionExport: true, ActionYank: true,
	ActionMail: true, ActionSummaryCopy: true, ActionSettingsSaved: true,
	ActionTrailRepaired: true,
	ActionTriageSet:     true, ActionTriageUndo: true, ActionSuppressionAdded: true,
}

// Audit appends one JSON line per analyst action to audit.jsonl. It is safe
// for concurrent use. The zero value is not usable; call OpenAudit.
type Audit struct {
	mu     sync.Mutex
	f      *os.File
	sid    string
	osUser string
	host   string
	now    func() time.Time
	// partial is set after a failed write that may have left part of a
	// line at the end of the file; the next line starts on a fresh line.
	partial bool
}

// AuditEntry is one line of the audit trail.
type AuditEntry struct {
	Time    time.Time      `json:"time"`
	SID     string         `json:"sid"`
	OSUser  string         `json:"os_user"`
	Host    string         `json:"host"`
	Action  string         `json:"action"`
	Details map[string]any `json:"details,omitempty"`
}

// OpenAudit opens (creating if needed) logDir/audit.jsonl for appending.
// sid is the analyst's database login recorded on every line. A trail
// whose last line was cut short (a crash or a full disk mid-write) is
// repaired by appending a newline and a trail_repaired line: what is
// already on record is never rewritten.
func OpenAudit(logDir, sid string) (*Audit, error) {
	return openAudit(logDir, sid, time.Now)
}

func openAudit(logDir, sid string, now func() time.Time) (*Audit, error) {
	if err := os.MkdirAll(logDir, 0o700); err != nil {
		return nil, fmt.Errorf("audit: log directory %s: %w", logDir, err)
	}
	path := filepath.Join(logDir, AuditFileName)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: %s: %w", path, err)
	}
	host, _ := os.Hostname()
	a := &Audit{f: f, sid: sid, osUser: osUserName(), host: host, now: now}
	cut, err := endsMidLine(path)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("audit: %s: %w", path, err)
	}
	if cut {
		a.partial = true
		if err := a.Record(ActionTrailRepaired, nil); err != nil {
			f.Close()
			return nil, err
		}
	}
	return a, nil
}

// endsMidLine reports whether the file at path is non-empty and does not
// end in a newline. It reads through its own descriptor: an O_APPEND
// descriptor is write-only.
func endsMidLine(path string) (bool, error) {
	r, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer r.Close()
	st, err := r.Stat()
	if err != nil || st.Size() == 0 {
		return false, err
	}
	last := make([]byte, 1)
	if _, err := r.ReadAt(last, st.Size()-1); err != nil {
		return false, err
	}
	return last[0] != '\n', nil
}

// osUserName names the operating-system account running cam, for the
// trail's "who"; it falls back to $USER where user lookup is unavailable.
func osUserName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}

// Record appends one action with its details and syncs the file, so a
// crash right after an export still leaves the export on record. The
// action must be one of the Action constants and every detail must pass
// CheckDetail; otherwise nothing is written and the error says why.
func (a *Audit) Record(action string, details map[string]any) error {
	if !knownActions[action] {
		return fmt.Errorf("audit: unknown action %q", action)
	}
	for k, v := range details {
		if err := CheckDetail(k, v); err != nil {
			return err
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return fmt.Errorf("audit: record %s: trail is closed", action)
	}
	line, err := json.Marshal(AuditEntry{
		Time: a.now().UTC(), SID: a.sid, OSUser: a.osUser, Host: a.host, Action: action, Details: details,
	})
	if err != nil {
		return fmt.Errorf("audit: encode %s: %w", action, err)
	}
	// One write per line: with O_APPEND the kernel places it whole at the
	// end even when another cam process appends to the same trail. After a
	// failed write the file may end in part of a line; a leading newline
	// keeps this line whole and parseable.
	buf := make([]byte, 0, len(line)+2)
	if a.partial {
		buf = append(buf, '\n')
	}
	buf = append(append(buf, line...), '\n')
	if n, err := a.f.Write(buf); err != nil {
		a.partial = a.partial || n > 0
		return fmt.Errorf("audit: write %s: %w", a.f.Name(), err)
	}
	a.partial = false
	if err := a.f.Sync(); err != nil {
		return fmt.Errorf("audit: sync %s: %w", a.f.Name(), err)
	}
	return nil
}

// Close closes the trail; later Records fail.
func (a *Audit) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	err := a.f.Close()
	a.f = nil
	return err
}
