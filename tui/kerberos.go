package tui

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"cam/config"
	"cam/krb5"
	"cam/session"
	"cam/tui/keys"
	"cam/tui/runpane"
	"cam/tui/toast"
)

// TicketChecker checks the analyst's Kerberos ticket with the settings'
// krb5_conf and krb5_cache and returns the facts. cli passes the
// session's check; tests fake it.
type TicketChecker func(oc config.OracleClient) session.TicketStatus

// KinitCommand builds the kinit the Kinit key runs in the foreground, for
// principal when known.
type KinitCommand func(oc config.OracleClient, principal string) (*exec.Cmd, error)

// ticketRecheck is how often the ticket is checked again, so the run pane
// shows expiry approaching while the analyst works.
const ticketRecheck = time.Minute

// ticketCheckedMsg carries a ticket check's outcome in the run pane's words.
type ticketCheckedMsg struct{ state runpane.TicketState }

// ticketTickMsg asks for the periodic re-check.
type ticketTickMsg struct{}

// kinitDoneMsg says the foreground kinit ended; detail is the last line
// kinit wrote to stderr, which the resumed screen would otherwise hide.
type kinitDoneMsg struct {
	err    error
	detail string
}

// checkTicket reads the cache in a command: never in Update or View.
func (m Model) checkTicket() tea.Cmd {
	check := m.opts.Ticket // nil when no database uses Kerberos
	if check == nil {
		return nil
	}
	oc := m.cfg.Settings.OracleClient
	km, zone := m.c.Keys, m.c.Zone
	return func() tea.Msg { return ticketCheckedMsg{ticketWords(check(oc), time.Now(), zone, km)} }
}

// ticketWords says what a ticket check means for a run, naming the keys
// of km that help: Kinit to get or renew a ticket, Confirm to vouch for
// one cam cannot read.
func ticketWords(s krb5.Status, now time.Time, zone *time.Location, km *keys.KeyMap) runpane.TicketState {
	if zone == nil {
		zone = time.Local
	}
	kinit, confirm := km.Kinit.Help().Key, km.Confirm.Help().Key
	switch s.State {
	case krb5.StateCacheUnreadable:
		return runpane.TicketState{State: s.State, Level: runpane.TicketOverridable, Line: s.Problem,
			Reason: "cam cannot read your ticket cache — press " + confirm + " if you ran kinit"}
	case krb5.StateConfigUnreadable:
		return runpane.TicketState{State: s.State, Level: runpane.TicketOverridable, Line: s.Problem,
			Reason: "cannot check your ticket — press " + confirm + " if you ran kinit"}
	case krb5.StateExpired:
		return runpane.TicketState{State: s.State, Level: runpane.TicketBlocked, Principal: s.Ticket.Principal, Line: s.Problem,
			Reason: "Kerberos ticket expired — press " + kinit + " to run kinit"}
	case krb5.StateMissing:
		return runpane.TicketState{State: s.State, Level: runpane.TicketBlocked, Line: s.Problem,
			Reason: "no Kerberos ticket — press " + kinit + " to run kinit"}
	}
	t := s.Ticket
	line := t.Summary(now)
	if !t.RenewUntil.IsZero() {
		line += ", renewable until " + t.RenewUntil.In(zone).Format("01-02 15:04")
	}
	if s.State == krb5.StateExpiringSoon {
		return runpane.TicketState{State: s.State, Level: runpane.TicketWarn, Principal: t.Principal, Line: line + " — press " + kinit + " to renew"}
	}
	return runpane.TicketState{State: s.State, Level: runpane.TicketOK, Principal: t.Principal, Line: line}
}

func ticketTick() tea.Cmd {
	return tea.Tick(ticketRecheck, func(time.Time) tea.Msg { return ticketTickMsg{} })
}

// kinit suspends the TUI for kinit's password prompt and checks the
// ticket again when it returns.
func (m Model) kinit() (tea.Model, tea.Cmd) {
	if !m.run.NeedsKerberos() || m.opts.Kinit == nil {
		return m.flash(toast.Toast{Text: "No database uses Kerberos: kinit is not needed"})
	}
	cmd, err := m.opts.Kinit(m.cfg.Settings.OracleClient, m.run.Principal())
	if err != nil {
		return m.flash(toastSticky("kinit: " + err.Error()))
	}
	// Keep kinit's complaint: the TUI repaints over it when it resumes.
	errOut := &lastLine{}
	if cmd.Stderr == nil {
		cmd.Stderr = io.MultiWriter(os.Stderr, errOut)
	}
	return m, tea.ExecProcess(cmd, func(err error) tea.Msg { return kinitDoneMsg{err, errOut.String()} })
}

// lastLine remembers the last non-empty line written to it.
type lastLine struct {
	mu   sync.Mutex
	buf  []byte
	last string
}

func (l *lastLine) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			break
		}
		if line := strings.TrimSpace(string(l.buf[:i])); line != "" {
			l.last = line
		}
		l.buf = l.buf[i+1:]
	}
	return len(p), nil
}

func (l *lastLine) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if line := strings.TrimSpace(string(l.buf)); line != "" {
		return line
	}
	return l.last
}

func (m Model) onKinitDone(msg kinitDoneMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		text := "kinit failed: " + msg.err.Error()
		if msg.detail != "" {
			text = "kinit failed: " + msg.detail
		}
		t := toastSticky(text)
		t.Detail = text + "\n\n(" + msg.err.Error() + ")"
		m.toast.Show(t)
		return m, tea.Batch(m.checkTicket(),
			logged(m.log, slog.LevelError, "kinit failed", "err", msg.err, "detail", msg.detail))
	}
	// The run pane shows the fresh ticket; an earlier kinit failure is old
	// news.
	if m.toast.Level() == toast.Error {
		m.toast.Dismiss()
	}
	return m, tea.Batch(m.checkTicket(), logged(m.log, slog.LevelInfo, "kinit finished"))
}
