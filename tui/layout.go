package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"cam/internal/inert"
	"cam/report"
	"cam/tui/common"
)

// wideWidth is where the grid layout starts; narrower terminals show one
// pane at a time behind a tab bar.
const wideWidth = 120

// box geometry: a rounded border and a title line inside it.
const boxChrome = 3

func (m Model) wide() bool { return m.width >= wideWidth }

// footerHeight is the help footer's height.
func (m Model) footerHeight() int {
	if m.fullHelp {
		return lipgloss.Height(m.helpView())
	}
	return 1
}

// geometry is where each pane goes.
type geometry struct {
	leftW, rightW                   int
	settingsH, runH, statusH, logsH int // box heights, wide layout
	bodyH                           int
}

func (m Model) geometry() geometry {
	g := geometry{bodyH: max(3, m.height-1-m.footerHeight())} // header line
	if m.wide() {
		g.leftW = max(40, min(52, m.width/3))
		g.rightW = m.width - g.leftW
		g.runH = min(14, g.bodyH/2)
		g.settingsH = g.bodyH - g.runH
		g.statusH = max(boxChrome+2, g.bodyH*2/5)
		g.logsH = g.bodyH - g.statusH
	} else {
		g.bodyH-- // tab bar
	}
	return g
}

// layout pushes inner sizes down to the panes.
func (m *Model) layout() {
	if m.width == 0 {
		return
	}
	g := m.geometry()
	inner := func(w, h int) (int, int) { return max(1, w-2), max(1, h-boxChrome) }
	if m.wide() {
		m.settings.SetSize(inner(g.leftW, g.settingsH))
		m.run.SetSize(inner(g.leftW, g.runH))
		m.status.SetSize(inner(g.rightW, g.statusH))
		m.logs.SetSize(inner(g.rightW, g.logsH))
		m.results.SetSize(inner(g.rightW, g.bodyH))
		return
	}
	w, h := inner(m.width, g.bodyH)
	m.settings.SetSize(w, h)
	m.run.SetSize(w, h)
	m.status.SetSize(w, h)
	m.logs.SetSize(w, h)
	m.results.SetSize(w, h)
}

// View renders header, body and footer.
func (m Model) View() string {
	if m.quitting {
		return ""
	}
	if m.width == 0 {
		return "starting cam…"
	}
	if m.fatal != nil {
		box := m.c.Styles.ErrorBox.Width(min(70, m.width-4)).Render("Error\n\n" + inert.Lines(m.fatal.Error()) + "\n\npress any key")
		return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, box)
	}
	g := m.geometry()
	var body string
	if m.wide() {
		left := lipgloss.JoinVertical(lipgloss.Left,
			m.box(paneSettings, m.settings.Title(), m.settings.View(), g.leftW, g.settingsH),
			m.box(paneRun, m.run.Title(), m.run.View(), g.leftW, g.runH))
		var right string
		if m.showResults {
			right = m.box(paneResults, m.results.Title(), m.results.View(), g.rightW, g.bodyH)
		} else {
			right = lipgloss.JoinVertical(lipgloss.Left,
				m.box(paneStatus, m.status.Title(), m.status.View(), g.rightW, g.statusH),
				m.box(paneLogs, m.logs.Title(), m.logs.View(), g.rightW, g.logsH))
		}
		body = lipgloss.JoinHorizontal(lipgloss.Top, left, right)
	} else {
		title, view := m.focusedTitleView()
		body = m.tabBar() + "\n" + m.box(m.focus, title, view, m.width, g.bodyH)
	}
	return m.header() + "\n" + body + "\n" + m.footer()
}

func (m Model) focusedTitleView() (string, string) {
	switch m.focus {
	case paneSettings:
		return m.settings.Title(), m.settings.View()
	case paneRun:
		return m.run.Title(), m.run.View()
	case paneStatus:
		return m.status.Title(), m.status.View()
	case paneLogs:
		return m.logs.Title(), m.logs.View()
	}
	return m.results.Title(), m.results.View()
}

// box draws a pane with its title inside a border of exactly w x h cells.
func (m Model) box(p pane, title, content string, w, h int) string {
	st := m.c.Styles
	frame, titleStyle := st.Pane, st.Title
	if m.focus == p {
		frame, titleStyle = st.PaneFocused, st.TitleFocused
	}
	innerW, innerH := max(1, w-2), max(1, h-boxChrome)
	head := titleStyle.Render(common.Truncate(fmt.Sprintf("%d %s", p+1, title), innerW))
	lines := strings.Split(content, "\n")
	if len(lines) > innerH {
		lines = lines[:innerH]
	}
	text := common.FitLines(append([]string{head}, lines...), innerW, innerH+1)
	return frame.Width(innerW).Height(innerH + 1).Render(text)
}

func (m Model) header() string {
	st := m.c.Styles
	parts := []string{st.TitleFocused.Render("cam") + st.Muted.Render(" Client Activity Monitor")}
	if m.opts.Demo {
		parts = append(parts, st.WarnText.Render("[DEMO]"))
	}
	parts = append(parts, "SID "+inert.Text(m.cfg.Settings.User.SID))
	state := "idle"
	switch {
	case m.running:
		state = fmt.Sprintf("running %d/%d", m.status.Done(), len(m.status.Rows()))
	case m.lastRun != nil && m.lastRun.Cancelled:
		state = "cancelled"
	case m.lastRun != nil && !m.lastRun.Complete:
		state = st.WarnText.Render("incomplete")
	case m.lastRun != nil:
		state = fmt.Sprintf("%d suspicious", len(m.lastRun.Findings.Takeovers))
	}
	parts = append(parts, state)
	if m.auditErr != nil { // first, so a narrow terminal cannot cut it off
		parts = append([]string{st.ErrorText.Render("⚠ AUDIT TRAIL NOT WRITTEN: " + m.auditErr.Error())}, parts...)
	}
	return common.Truncate(strings.Join(parts, " · "), m.width)
}

func (m Model) tabBar() string {
	st := m.c.Styles
	var tabs []string
	for p := pane(0); p < paneCount; p++ {
		label := fmt.Sprintf("%d %s", p+1, paneNames[p])
		if p == m.focus { // brackets keep the active tab visible with NO_COLOR
			tabs = append(tabs, st.TabActive.Render("["+label+"]"))
		} else {
			tabs = append(tabs, st.Tab.Render(label))
		}
	}
	return common.Truncate(strings.Join(tabs, ""), m.width)
}

// focusedHelp is the focused pane's keys plus the global ones.
func (m Model) focusedHelp() []key.Binding {
	var own []key.Binding
	switch m.focus {
	case paneSettings:
		own = m.settings.ShortHelp()
	case paneRun:
		own = m.run.ShortHelp()
	case paneStatus:
		own = m.status.ShortHelp()
	case paneLogs:
		own = m.logs.ShortHelp()
	case paneResults:
		own = m.results.ShortHelp()
	}
	if m.focusedInput() {
		return own
	}
	return append(own, m.c.Keys.GlobalHelp()...)
}

func (m Model) helpView() string {
	m.help.Width = m.width
	groups := m.c.Keys.FullGlobalHelp()
	switch m.focus {
	case paneSettings:
		groups = append(m.settings.FullHelp(), groups...)
	case paneRun:
		groups = append(m.run.FullHelp(), groups...)
	case paneStatus:
		groups = append(m.status.FullHelp(), groups...)
	case paneLogs:
		groups = append(m.logs.FullHelp(), groups...)
	case paneResults:
		groups = append(m.results.FullHelp(), groups...)
	}
	return m.help.FullHelpView(groups)
}

func (m Model) footer() string {
	st := m.c.Styles
	if m.confirmQuit {
		return st.WarnText.Render("A run is in progress. Quit and cancel it? (y/n)")
	}
	if m.toast != "" {
		style := st.Toast
		if m.toastErr {
			style = st.ErrorText
		}
		if m.toastLink != "" {
			// The label is the clickable part (OSC 8); terminals without
			// hyperlinks show the label and the link is on the clipboard.
			const label = "[open mail]"
			text := common.Truncate(inert.Text(m.toast), max(0, m.width-len(label)-1))
			return style.Render(text) + " " + report.Hyperlink(m.toastLink, label)
		}
		return style.Render(common.Truncate(inert.Text(m.toast), m.width))
	}
	if m.fullHelp {
		return m.helpView()
	}
	m.help.Width = m.width
	// help cuts at the width only roughly (it leaves out separators), so
	// cut again: the footer must never wrap.
	return common.Truncate(m.help.ShortHelpView(m.focusedHelp()), m.width)
}
