// Package settings is the settings pane: the analyst's app settings with
// inline validation, the run's Last Event Time, and databases.yaml shown
// read-only.
package settings

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"cam/config"
	"cam/engine"
	"cam/internal/inert"
	"cam/tui/common"
)

// SavedMsg reports a successful save.
type SavedMsg struct {
	Settings config.Settings
	Path     string
	Stamp    config.Stamp // the file as saved, for the next save's check
}

// SaveFailedMsg reports a failed save; the form keeps the edits.
type SaveFailedMsg struct{ Err error }

// field is one editable line of the form.
type field struct {
	label    string
	input    textinput.Model
	validate func(string) error
	err      error
	// key is the setting the field saves ("user_settings.sid"); "" when
	// it is not saved. envVar names the environment variable overriding
	// it, which makes the field read-only.
	key, envVar string
	// saved is the value as loaded or last saved, for Dirty.
	saved string
}

const (
	fSID = iota
	fKrb5Conf
	fKrb5Cache
	fTrace
	fReports
	fRecipients
	fLastEvent
)

// Model is the settings pane.
type Model struct {
	c       *common.Common
	cfg     *config.Config
	fields  []field
	cursor  int
	editing bool
	before  string // the value when editing began, restored by esc
	status  string
	saveErr error
	w, h    int
	// stamp is app_settings.yaml as last loaded or saved; askOverwrite is
	// set while the pane asks whether to replace a file changed on disk.
	stamp        config.Stamp
	askOverwrite bool
}

// New builds the form from the loaded configuration.
func New(c *common.Common, cfg *config.Config) Model {
	s := cfg.Settings
	mk := func(label, setting, value string, validate func(string) error) field {
		ti := textinput.New()
		ti.Prompt = ""
		ti.SetValue(value)
		f := field{label: label, input: ti, validate: validate, key: setting, envVar: cfg.EnvOverrides[setting], saved: value}
		if validate != nil {
			f.err = validate(value)
		}
		return f
	}
	m := Model{c: c, cfg: cfg, stamp: cfg.SettingsStamp}
	m.fields = []field{
		mk("SID", "user_settings.sid", s.User.SID, config.ValidateSID),
		mk("krb5 config", "oracle_client.krb5_conf", s.OracleClient.Krb5Conf, nil),
		mk("krb5 cache", "oracle_client.krb5_cache", s.OracleClient.Krb5Cache, nil),
		mk("Trace dir", "oracle_client.trace_directory", s.OracleClient.TraceDirectory, nil),
		mk("Report dir", "app_settings.report_output_dir", s.App.ReportOutputDir, notEmpty("a report directory")),
		mk("Recipients", "app_settings.email_recipients", strings.Join(s.App.EmailRecipients, ", "), func(v string) error { return config.ValidateEmails(config.SplitList(v)) }),
		mk("Last event", "", "", func(v string) error { _, err := engine.ParseLastEventTime(v, c.Zone); return err }),
	}
	m.fields[fLastEvent].input.Placeholder = "empty = sliding over the lookback"
	return m
}

func notEmpty(what string) func(string) error {
	return func(v string) error {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("needs %s", what)
		}
		return nil
	}
}

// Settings returns the settings as edited.
func (m Model) Settings() config.Settings {
	s := m.cfg.Settings
	v := func(i int) string { return strings.TrimSpace(m.fields[i].input.Value()) }
	s.User.SID = v(fSID)
	s.OracleClient.Krb5Conf = v(fKrb5Conf)
	s.OracleClient.Krb5Cache = v(fKrb5Cache)
	s.OracleClient.TraceDirectory = v(fTrace)
	s.App.ReportOutputDir = v(fReports)
	if s.App.ReportOutputDir != "" && !filepath.IsAbs(s.App.ReportOutputDir) {
		s.App.ReportOutputDir = filepath.Join(m.cfg.Dir, s.App.ReportOutputDir)
	}
	s.App.EmailRecipients = config.SplitList(v(fRecipients))
	return s
}

// LastEventTime is the anchor typed by the analyst, nil for sliding mode.
func (m Model) LastEventTime() (*time.Time, error) {
	return engine.ParseLastEventTime(m.fields[fLastEvent].input.Value(), m.c.Zone)
}

// Problems lists what is invalid in the form; empty means runnable.
func (m Model) Problems() []string {
	var out []string
	for _, f := range m.fields {
		if f.err != nil {
			out = append(out, f.label+": "+f.err.Error())
		}
	}
	return out
}

// Dirty reports whether some saved field differs from the file as loaded
// or last saved, so quitting can ask before dropping the edits. The Last
// Event Time is the run's, never saved, and does not count.
func (m Model) Dirty() bool {
	for _, f := range m.fields {
		if f.key != "" && f.envVar == "" && f.input.Value() != f.saved {
			return true
		}
	}
	return false
}

// InputFocused reports whether a field is being edited or the pane is
// asking a question: either way every key is the pane's.
func (m Model) InputFocused() bool { return m.editing || m.askOverwrite }

// Init is part of the pane contract (common.Component); the pane starts
// nothing of its own.
func (m Model) Init() tea.Cmd { return nil }

// Update handles navigation, editing and saving.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case SavedMsg:
		m.status, m.saveErr = "Saved to "+msg.Path, nil
		m.cfg.Settings = msg.Settings
		m.stamp = msg.Stamp
		for i := range m.fields {
			m.fields[i].saved = m.fields[i].input.Value()
		}
		return m, nil
	case SaveFailedMsg:
		m.status, m.saveErr = "", msg.Err
		var changed *config.ChangedOnDiskError
		m.askOverwrite = errors.As(msg.Err, &changed)
		return m, nil
	case tea.KeyMsg:
		return m.key(msg)
	}
	if m.editing {
		var cmd tea.Cmd
		m.fields[m.cursor].input, cmd = m.fields[m.cursor].input.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m Model) key(k tea.KeyMsg) (Model, tea.Cmd) {
	keys := m.c.Keys
	if m.askOverwrite {
		switch {
		case key.Matches(k, keys.Yes):
			m.askOverwrite = false
			return m, m.save(true)
		case key.Matches(k, keys.No):
			m.askOverwrite = false
			m.saveErr = fmt.Errorf("not saved: %s was changed on disk; your edits are still in the form (ctrl+s asks again)", m.cfg.SettingsFile)
		}
		return m, nil
	}
	if key.Matches(k, keys.Save) {
		cmd := m.save(false)
		return m, cmd
	}
	if m.editing {
		f := &m.fields[m.cursor]
		switch {
		case key.Matches(k, keys.Submit, keys.SubmitNext):
			m.stopEditing()
			if key.Matches(k, keys.SubmitNext) && m.cursor < len(m.fields)-1 {
				m.cursor++
				return m, m.startEditing()
			}
			return m, nil
		case key.Matches(k, keys.Discard):
			f.input.SetValue(m.before)
			m.validate(m.cursor)
			m.stopEditing()
			m.clearStaleSaveError()
			return m, nil
		}
		var cmd tea.Cmd
		f.input, cmd = f.input.Update(k)
		m.validate(m.cursor)
		m.clearStaleSaveError()
		return m, cmd
	}
	switch {
	case key.Matches(k, keys.Up):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(k, keys.Down):
		m.cursor = min(len(m.fields)-1, m.cursor+1)
	case key.Matches(k, keys.Detail): // enter edits the field under the cursor
		if v := m.fields[m.cursor].envVar; v != "" {
			m.saveErr = fmt.Errorf("%s is set by the environment variable %s: unset it to edit the field here", m.fields[m.cursor].label, v)
			return m, nil
		}
		return m, m.startEditing()
	}
	return m, nil
}

// clearStaleSaveError drops a "not saved" error once the form no longer
// has the problem it named: after esc restores a valid value, the old
// error would send the analyst looking for a fault that is gone.
func (m *Model) clearStaleSaveError() {
	if m.saveErr == nil || m.askOverwrite {
		return
	}
	var changed *config.ChangedOnDiskError
	if errors.As(m.saveErr, &changed) {
		return
	}
	if strings.HasPrefix(m.saveErr.Error(), "not saved: ") && len(m.Problems()) == 0 {
		m.saveErr = nil
	}
}

func (m *Model) startEditing() tea.Cmd {
	m.editing = true
	m.before = m.fields[m.cursor].input.Value()
	m.fields[m.cursor].input.CursorEnd()
	return m.fields[m.cursor].input.Focus()
}

func (m *Model) stopEditing() {
	m.editing = false
	m.fields[m.cursor].input.Blur()
}

func (m *Model) validate(i int) {
	if v := m.fields[i].validate; v != nil {
		m.fields[i].err = v(m.fields[i].input.Value())
	}
}

// save writes app_settings.yaml in a command, never blocking Update. It
// refuses to replace a file changed on disk since it was loaded or saved
// unless overwrite is set (the analyst answered yes).
func (m *Model) save(overwrite bool) tea.Cmd {
	if p := m.Problems(); len(p) > 0 {
		m.saveErr = fmt.Errorf("not saved: %s", p[0])
		return nil
	}
	if m.editing {
		m.stopEditing()
	}
	s, path, loaded, skip := m.Settings(), m.cfg.SettingsFile, m.stamp, m.cfg.EnvOverrides
	return func() tea.Msg {
		stamp, err := config.SaveSettingsWith(path, s, config.SaveOptions{Loaded: &loaded, Overwrite: overwrite, Skip: skip})
		if err != nil {
			return SaveFailedMsg{Err: err}
		}
		return SavedMsg{Settings: s, Path: path, Stamp: stamp}
	}
}

// SetSize sets the inner size.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h }

// Title names the pane.
func (m Model) Title() string {
	if m.editing {
		return "Settings (editing)"
	}
	return "Settings"
}

// ShortHelp lists the pane's keys.
func (m Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	edit := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit"))
	if m.askOverwrite {
		yes, no := k.Yes, k.No
		yes.SetHelp("y", "overwrite")
		no.SetHelp("n/esc", "keep the file")
		return []key.Binding{yes, no}
	}
	if m.editing {
		done := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done"))
		undo := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "undo"))
		return []key.Binding{done, undo, k.Save}
	}
	return []key.Binding{k.Up, k.Down, edit, k.Save}
}

// FullHelp lists the pane's keys.
func (m Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// View renders the form, messages, and the databases.
func (m Model) View() string {
	st := m.c.Styles
	labelW := 12
	var lines []string
	for i, f := range m.fields {
		marker := st.Gutter
		if i == m.cursor {
			marker = st.TitleFocused.Render(st.Marker)
		}
		value := f.input.Value()
		if f.envVar != "" {
			value = common.Truncate(inert.Text(value)+" "+st.WarnText.Render("(from "+f.envVar+", read-only)"), m.w-labelW-3)
		} else if m.editing && i == m.cursor {
			f.input.Width = max(5, m.w-labelW-4)
			value = f.input.View()
		} else if value == "" {
			value = st.Muted.Render(common.Truncate(orDash(f.input.Placeholder), m.w-labelW-3))
		} else {
			value = common.Truncate(inert.Text(value), m.w-labelW-3)
		}
		lines = append(lines, marker+st.Label.Render(common.Pad(f.label, labelW))+" "+value)
		if f.err != nil {
			lines = append(lines, "    "+st.ErrorText.Render(common.Truncate(inert.Text(f.err.Error()), m.w-4)))
		}
	}
	if m.saveErr != nil { // wrapped, not cut: the reason is at the end
		lines = append(lines, strings.Split(st.ErrorText.Width(max(10, m.w)).Render(inert.Lines(m.saveErr.Error())), "\n")...)
		if m.askOverwrite {
			lines = append(lines, strings.Split(st.WarnText.Width(max(10, m.w)).Render(
				"Overwrite it with your edits? y overwrites, n keeps the file on disk"), "\n")...)
		}
	} else if m.status != "" {
		lines = append(lines, st.OKText.Render(common.Truncate(inert.Text(m.status), m.w)))
	}
	lines = append(lines, "", st.Header.Render("databases.yaml (read-only)"))
	for _, db := range m.cfg.Databases {
		lines = append(lines, common.Truncate(inert.Text(fmt.Sprintf("%s (%s) %s", db.Name, db.Driver, engine.Address(db))), m.w))
		for _, q := range db.Queries {
			what := string(q.ChangeType)
			if q.Kind == config.KindActivity {
				what = "activity"
			}
			lines = append(lines, st.Muted.Render(common.Truncate(fmt.Sprintf("  · %s [%s]", inert.Text(q.Name), what), m.w)))
		}
	}
	// Keep the cursor's field on screen when the form is taller than the pane.
	start := 0
	if m.cursor+2 > m.h {
		start = m.cursor + 2 - m.h
	}
	return common.FitLines(lines[min(start, len(lines)):], m.w, m.h)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
