package tui

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"cam/config"
	"cam/engine"
	"cam/journal"
	"cam/tui/clipboard"
	"cam/tui/common"
	"cam/tui/logs"
	"cam/tui/results"
	"cam/tui/runpane"
	"cam/tui/settings"
	"cam/tui/status"
)

// pane identifies a pane; the numbers are the 1–5 jump keys.
type pane int

const (
	paneSettings pane = iota
	paneRun
	paneStatus
	paneLogs
	paneResults
	paneCount
)

var paneNames = [...]string{"Settings", "Run", "Status", "Logs", "Results"}

// Model is the root model: it owns the panes, the window size, the focus
// and the current run.
type Model struct {
	c    *common.Common
	opts Options
	cfg  *config.Config

	settings settings.Model
	run      runpane.Model
	status   status.Model
	logs     logs.Model
	results  results.Model
	help     help.Model

	focus       pane
	width       int
	height      int
	showResults bool // wide layout: results replace status and logs
	fullHelp    bool
	confirmQuit bool
	toast       string
	toastErr    bool
	toastID     int
	toastLink   string   // a URL shown as a terminal hyperlink after the toast
	exported    []string // files exported from the current run
	fatal       error

	runID    int64
	handle   RunHandle
	tap      *runTap // the run's events, read for the model
	cancel   context.CancelFunc
	running  bool
	lastRun  *engine.Result
	quitting bool
	// auditErr is the last failure to write the audit trail; the header
	// shows it until cam exits.
	auditErr error
}

// New builds the root model.
func New(opts Options) Model {
	c := common.New()
	c.ClipboardMode = opts.Config.Settings.App.Clipboard
	if opts.Now != nil {
		c.Now = opts.Now
	}
	if opts.Zone != nil {
		c.Zone = opts.Zone
	}
	m := Model{c: c, opts: opts, cfg: opts.Config, focus: paneRun}
	m.settings = settings.New(c, opts.Config)
	m.run = runpane.New(c, opts.Ticket != nil)
	m.status = status.New(c)
	m.logs = logs.New(c, opts.Logs)
	m.results = results.New(c)
	m.help = help.New()
	m.refreshPlan()
	return m
}

// Init starts listening for log records and checks the Kerberos ticket.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.logs.Init()}
	if m.run.NeedsKerberos() {
		cmds = append(cmds, m.checkTicket(), ticketTick())
	}
	return tea.Batch(cmds...)
}

// engineEventMsg wraps one engine event of run id.
type engineEventMsg struct {
	id int64
	ev engine.Event
}

// runEndedMsg says a run's event channel closed.
type runEndedMsg struct{ id int64 }

// toastExpiredMsg clears toast number id.
type toastExpiredMsg struct{ id int }

// waitForEvent returns the next event of a run as a message; Update re-arms
// it after each event.
func waitForEvent(id int64, ch <-chan engine.Event) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return runEndedMsg{id}
		}
		return engineEventMsg{id, ev}
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
	case engineEventMsg:
		if msg.id != m.runID {
			return m, nil // a stale run's event
		}
		return m.onEvent(msg.ev)
	case runEndedMsg:
		return m, nil
	case spinner.TickMsg:
		if !m.running {
			return m, nil
		}
		var cmd tea.Cmd
		m.status, cmd = m.status.Update(msg)
		return m, cmd
	case clipboard.CopiedMsg:
		return m.onCopied(msg)
	case exportedMsg:
		return m.onExported(msg)
	case ticketCheckedMsg:
		m.run.SetTicket(msg.state)
		return m, nil
	case ticketTickMsg:
		return m, tea.Batch(m.checkTicket(), ticketTick())
	case kinitDoneMsg:
		return m.onKinitDone(msg)
	case toastExpiredMsg:
		if msg.id == m.toastID {
			m.toast, m.toastLink = "", ""
		}
		return m, nil
	case settings.SavedMsg:
		m.audit(journal.ActionSettingsSaved, nil)
		m.cfg.Settings = msg.Settings
		m.c.ClipboardMode = msg.Settings.App.Clipboard
		var cmd tea.Cmd
		m.settings, cmd = m.settings.Update(msg)
		m.refreshPlan()
		// The cache or krb5.conf path may have changed.
		return m, tea.Batch(cmd, m.checkTicket())
	case settings.SaveFailedMsg:
		var cmd tea.Cmd
		m.settings, cmd = m.settings.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		return m.onKey(msg)
	}
	return m.updateFocused(msg)
}

func (m Model) showToast(text string, isErr bool) (tea.Model, tea.Cmd) {
	d := 3 * time.Second
	if isErr {
		d = 6 * time.Second // an error takes longer to read
	}
	return m.showToastFor(text, isErr, d)
}

func (m Model) showToastFor(text string, isErr bool, d time.Duration) (tea.Model, tea.Cmd) {
	m.toastID++
	m.toast, m.toastErr, m.toastLink = text, isErr, ""
	id := m.toastID
	return m, tea.Tick(d, func(time.Time) tea.Msg { return toastExpiredMsg{id} })
}

// showSticky shows an error that stays until the next message replaces it
// or the analyst presses esc: a failed export must not vanish unread.
func (m Model) showSticky(text string) (tea.Model, tea.Cmd) {
	m.toastID++
	m.toast, m.toastErr, m.toastLink = text, true, ""
	return m, nil
}

// onKey: a fatal error view eats one key; a focused text input gets every
// key; then the quit prompt, the global bindings, and the focused pane.
func (m Model) onKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	keys := m.c.Keys
	if key.Matches(k, keys.ForceQuit) {
		return m.quit()
	}
	if m.fatal != nil {
		m.fatal = nil
		return m, nil
	}
	if m.confirmQuit {
		m.confirmQuit = false
		if k.String() == "y" || k.String() == "Y" {
			return m.quit()
		}
		return m, nil
	}
	if m.focusedInput() {
		return m.updateFocused(k)
	}
	switch {
	case key.Matches(k, keys.Quit):
		if m.running {
			m.confirmQuit = true
			return m, nil
		}
		return m.quit()
	case key.Matches(k, keys.Help):
		m.fullHelp = !m.fullHelp
		m.layout()
		return m, nil
	case key.Matches(k, keys.Run):
		return m.startRun()
	case key.Matches(k, keys.Export):
		return m.export()
	case key.Matches(k, keys.Mail):
		return m.mail()
	case key.Matches(k, keys.Summary):
		return m.summary()
	case key.Matches(k, keys.Kinit):
		return m.kinit()
	case key.Matches(k, keys.Cancel) && m.toastErr && m.toast != "":
		m.toast = "" // esc dismisses an error first
		return m, nil
	case key.Matches(k, keys.Cancel) && !(m.focus == paneResults && m.results.EscConsumed()):
		if m.running {
			m.cancelRun()
			return m, nil
		}
	case key.Matches(k, keys.NextPane):
		m.setFocus((m.focus + 1) % paneCount)
		return m, nil
	case key.Matches(k, keys.PrevPane):
		m.setFocus((m.focus + paneCount - 1) % paneCount)
		return m, nil
	case key.Matches(k, keys.ToggleResults):
		m.showResults = !m.showResults
		if m.showResults {
			m.setFocus(paneResults)
		} else if m.focus == paneResults {
			m.setFocus(paneStatus)
		}
		return m, nil
	}
	for i, b := range []key.Binding{keys.Pane1, keys.Pane2, keys.Pane3, keys.Pane4, keys.Pane5} {
		if key.Matches(k, b) {
			m.setFocus(pane(i))
			return m, nil
		}
	}
	return m.updateFocused(k)
}

func (m *Model) setFocus(p pane) {
	m.focus = p
	if p == paneResults {
		m.showResults = true
	} else if p == paneStatus || p == paneLogs {
		m.showResults = false
	}
}

func (m Model) focusedInput() bool {
	switch m.focus {
	case paneSettings:
		return m.settings.InputFocused()
	case paneResults:
		return m.results.InputFocused()
	}
	return false
}

// updateFocused sends msg to the focused pane.
func (m Model) updateFocused(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.focus {
	case paneSettings:
		m.settings, cmd = m.settings.Update(msg)
		m.refreshPlan()
	case paneRun:
		m.run, cmd = m.run.Update(msg)
	case paneStatus:
		m.status, cmd = m.status.Update(msg)
	case paneLogs:
		m.logs, cmd = m.logs.Update(msg)
	case paneResults:
		m.results, cmd = m.results.Update(msg)
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
