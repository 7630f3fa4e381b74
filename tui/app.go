package tui

import (
	"log/slog"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"cam/config"
	"cam/engine"
	"cam/session"
	"cam/tui/clipboard"
	"cam/tui/common"
	"cam/tui/history"
	"cam/tui/logs"
	"cam/tui/message"
	"cam/tui/results"
	"cam/tui/runpane"
	"cam/tui/settings"
	"cam/tui/status"
	"cam/tui/toast"
)

// Model is the root model: the layout, the focus and the routing of
// messages to the panes. What the analyst does happens in the session.
type Model struct {
	c    *common.Common
	opts Options
	cfg  *config.Config
	sess *session.Session

	settings settings.Model
	run      runpane.Model
	status   status.Model
	logs     logs.Model
	results  results.Model
	history  history.Model
	// past is a past run opened read-only from the history pane; while
	// pastOpen it stands in the results pane's place (resultsSlot).
	past     history.Past
	pastOpen bool
	help     help.Model
	toast    toast.Model
	// message is the open message view (`!`, enter on a status row), over
	// the panes; nil when closed.
	message *message.Model
	log     *slog.Logger

	focus       pane
	width       int
	height      int
	showResults bool // the results have the screen (wide too: their columns need it)
	fullHelp    bool
	confirmQuit bool
	quitting    bool

	// active is the latest run the session started; its id tells stale
	// events apart, and it knows whether it is still going.
	active *session.Run
	watch  watchState // W: a run every 15 minutes
}

// running reports whether a run is in progress.
func (m Model) running() bool { return m.active != nil && !m.active.Finished() }

// lastRun is the finished run's result, or nil while none has finished
// (or one is in progress).
func (m Model) lastRun() *engine.Result {
	if m.active == nil {
		return nil
	}
	return m.active.Result()
}

// New builds the root model and the session it is a client of.
func New(opts Options) Model {
	c := common.New()
	c.ClipboardMode = opts.Config.Settings.App.Clipboard
	if opts.Now != nil {
		c.Now = opts.Now
	}
	// Times show in the display zone (the business zone unless the
	// settings name another); Options.Zone pins it for tests.
	if loc := opts.Config.Settings.App.DisplayLocation; loc != nil {
		c.Zone = loc
	}
	if opts.Zone != nil {
		c.Zone = opts.Zone
	}
	sess := session.New(session.Options{Config: opts.Config, Engine: opts.Engine, Trail: opts.Audit,
		Version: opts.Version, Now: c.Now, Zone: c.Zone})
	m := Model{c: c, opts: opts, cfg: opts.Config, sess: sess, focus: paneRun}
	m.settings = settings.New(c, opts.Config)
	m.run = runpane.New(c, opts.Ticket != nil)
	m.status = status.New(c)
	m.logs = logs.New(c, opts.Logs)
	m.results = results.New(c)
	m.history = history.New(c, sess)
	m.results.SetDatabaseZones(results.DatabaseZones(opts.Config))
	if opts.State {
		// Opening the state is startup I/O, like reading the settings;
		// every change later runs in a command.
		if _, err := sess.OpenState(); err != nil {
			m.results.SetStateError(err)
		} else {
			m.results.SetTriager(sess)
		}
	}
	m.help = help.New()
	m.toast = toast.New(c)
	m.log = opts.Logger
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	m.refreshPlan()
	return m
}

// Init starts listening for log records and audit failures and checks
// the Kerberos ticket.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.logs.Init(), waitForAuditFailure(m.sess.Trail()), m.results.Init()}
	if m.run.NeedsKerberos() {
		cmds = append(cmds, m.checkTicket(), ticketTick())
	}
	return tea.Batch(cmds...)
}

// auditFailedMsg says the audit trail failed to record an action; the
// header reads the failure from the session.
type auditFailedMsg struct{}

// waitForAuditFailure wakes the screen when the trail, writing on its own
// goroutine, fails.
func waitForAuditFailure(t *session.Trail) tea.Cmd {
	return func() tea.Msg {
		<-t.Failures()
		return auditFailedMsg{}
	}
}

// Update handles global messages first, then keys for the focused pane.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case logs.RecordsMsg:
		var cmd tea.Cmd
		m.logs, cmd = m.logs.Update(msg)
		return m, cmd
	case auditFailedMsg:
		return m, waitForAuditFailure(m.sess.Trail())
	case engineEventMsg:
		if m.active == nil || msg.id != m.active.ID() {
			return m, nil // a stale run's event
		}
		next, cmd := m.onEvent(msg.ev)
		nm := next.(Model)
		nm.settleQuit() // a run that ended is no longer a reason to ask
		return nm, cmd
	case runEndedMsg:
		return m, nil
	case watchTickMsg:
		return m.onWatchTick(msg)
	case spinner.TickMsg:
		if !m.running() {
			return m, nil
		}
		var cmd tea.Cmd
		m.status, cmd = m.status.Update(msg)
		return m, cmd
	case clipboard.CopiedMsg:
		return m.onCopied(msg)
	case summaryCopiedMsg:
		return m.onSummaryCopied(msg)
	case exportedMsg:
		return m.onExported(msg)
	case ticketCheckedMsg:
		m.run.SetTicket(msg.state)
		return m, nil
	case ticketTickMsg:
		return m, tea.Batch(m.checkTicket(), ticketTick())
	case kinitDoneMsg:
		return m.onKinitDone(msg)
	case toast.ExpiredMsg:
		m.toast, _ = m.toast.Update(msg)
		return m, nil
	case settings.SavedMsg:
		m.sess.SettingsSaved(msg.Settings)
		m.c.ClipboardMode = msg.Settings.App.Clipboard
		if loc := msg.Settings.App.DisplayLocation; loc != nil && m.opts.Zone == nil {
			m.c.Zone = loc // a saved display_zone applies at once
		}
		var cmd tea.Cmd
		m.settings, cmd = m.settings.Update(msg)
		m.refreshPlan()
		// The cache or krb5.conf path may have changed.
		return m, tea.Batch(cmd, m.checkTicket())
	case settings.SaveFailedMsg:
		var cmd tea.Cmd
		m.settings, cmd = m.settings.Update(msg)
		return m, cmd
	case history.LoadedMsg, history.OpenedMsg, history.ClosedMsg:
		return m.onHistory(msg)
	case results.WholeRowMsg:
		return m.openMessage(msg.Title, msg.Text)
	case concludedMsg:
		return m.onConcluded(msg)
	case results.StateMsg: // triage answers and polls, whatever has the focus
		var cmd tea.Cmd
		m.results, cmd = m.results.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		return m.onKeysRefreshingHistory(msg)
	}
	return m.updateFocused(msg)
}

// setFocus focuses p and shows it: the results take the screen (wide
// too); settings, run, status and logs share the grid.
func (m *Model) setFocus(p pane) {
	m.focus = p
	m.showResults = p == paneResults
	m.layout() // wide, the results and the grid size the panes differently
}

func (m *Model) focusedInput() bool { return m.focused().inputFocused() }

// updateFocused sends msg to the focused pane.
func (m Model) updateFocused(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.focused().update(msg)
	if m.focus == paneSettings {
		m.refreshPlan() // an edit may change what the next run does
	}
	return m, cmd
}

// refreshPlan recomputes what the next run does and whether it may start.
func (m *Model) refreshPlan() {
	last, err := m.settings.LastEventTime()
	if err != nil {
		last = nil
	}
	blocked := ""
	if p := m.settings.Problems(); len(p) > 0 {
		blocked = "fix settings: " + p[0]
	}
	m.run.SetPlan(runpane.Plan{Config: m.cfg, LastEventTime: last, Now: m.c.Now()}, blocked)
}

// quit leaves the program; Run then cancels a run in progress and records
// its end once the terminal is restored, instead of blocking Update.
func (m Model) quit() (tea.Model, tea.Cmd) {
	m.quitting = true
	return m, tea.Quit
}
