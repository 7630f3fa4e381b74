package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"cam/internal/inert"
	"cam/tui/common"
)

// wideWidth is where the grid layout starts; narrower terminals show one
// pane at a time behind a tab bar. Wide, the results (and the evidence in
// their detail) take the whole width behind the same tab bar, since their
// columns need it; 1 or 2 brings settings and run back beside status and
// logs.
const wideWidth = 120

// box geometry: a rounded border and a title line inside it.
const boxChrome = 3

func (m Model) wide() bool { return m.width >= wideWidth }

// grid reports whether the panes are laid out side by side: wide, unless
// the results have the screen.
func (m Model) grid() bool { return m.wide() && !m.showResults }

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
	if m.grid() {
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

// sizes is each pane's outer width and height, indexed by pane.
func (m Model) sizes() [paneCount][2]int {
	g := m.geometry()
	var out [paneCount][2]int
	if !m.grid() {
		for p := range out {
			out[p] = [2]int{m.width, g.bodyH}
		}
		return out
	}
	out[paneSettings] = [2]int{g.leftW, g.settingsH}
	out[paneRun] = [2]int{g.leftW, g.runH}
	out[paneStatus] = [2]int{g.rightW, g.statusH}
	out[paneLogs] = [2]int{g.rightW, g.logsH}
	out[paneResults] = [2]int{g.rightW, g.bodyH}
	out[paneHistory] = [2]int{g.rightW, g.bodyH}
	return out
}

// layout pushes inner sizes down to the panes.
func (m *Model) layout() {
	if m.width == 0 {
		return
	}
	sizes := m.sizes()
	for p, c := range m.panes() {
		c.setSize(max(1, sizes[p][0]-2), max(1, sizes[p][1]-boxChrome))
	}
	if m.message != nil {
		m.message.SetSize(max(1, m.width-2), max(1, m.messageHeight()-boxChrome))
	}
}

// messageHeight is the message view's box height: the whole body, tab bar
// included.
func (m Model) messageHeight() int { return max(3, m.height-1-m.footerHeight()) }

// View renders header, body and footer.
func (m Model) View() string {
	if m.quitting {
		return ""
	}
	if m.width == 0 {
		return "starting cam…"
	}
	var body string
	if m.message != nil {
		body = m.drawBox(m.message.Title(), m.message.View(), m.width, m.messageHeight(), true)
		return m.header() + "\n" + body + "\n" + m.footer()
	}
	if m.grid() {
		left := lipgloss.JoinVertical(lipgloss.Left, m.box(paneSettings), m.box(paneRun))
		right := lipgloss.JoinVertical(lipgloss.Left, m.box(paneStatus), m.box(paneLogs))
		if m.focus == paneHistory {
			right = m.box(paneHistory)
		}
		body = lipgloss.JoinHorizontal(lipgloss.Top, left, right)
	} else {
		body = m.tabBar() + "\n" + m.box(m.focus)
	}
	return m.header() + "\n" + body + "\n" + m.footer()
}

// box draws pane p with its title inside a border of exactly its size.
func (m Model) box(p pane) string {
	c := m.panes()[p]
	size := m.sizes()[p]
	return m.drawBox(fmt.Sprintf("%d %s", p+1, c.title()), c.view(), size[0], size[1], m.focus == p)
}

// drawBox draws content under title inside a border of exactly w×h.
func (m Model) drawBox(title, content string, w, h int, focused bool) string {
	st := m.c.Styles
	frame, titleStyle := st.Pane, st.Title
	if focused {
		frame, titleStyle = st.PaneFocused, st.TitleFocused
	}
	innerW, innerH := max(1, w-2), max(1, h-boxChrome)
	head := titleStyle.Render(common.Truncate(title, innerW))
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
	switch last := m.lastRun(); {
	case m.running():
		state = fmt.Sprintf("running %d/%d", m.status.Done(), len(m.status.Rows()))
	case last != nil && last.Cancelled:
		state = "cancelled"
	case last != nil && !last.Complete:
		state = st.WarnText.Render("incomplete")
	case last != nil:
		state = fmt.Sprintf("%d suspicious", len(last.Findings.Takeovers))
	}
	parts = append(parts, state)
	if w := m.watchHeader(); w != "" {
		parts = append(parts, w)
	}
	if err := m.sess.AuditErr(); err != nil { // first, so a narrow terminal cannot cut it off
		parts = append([]string{st.ErrorText.Render("⚠ AUDIT TRAIL NOT WRITTEN: " + err.Error())}, parts...)
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

func (m Model) helpView() string { return m.fullHelpView() }

func (m Model) footer() string {
	st := m.c.Styles
	if m.confirmQuit {
		return st.WarnText.Render(m.quitLine(m.width))
	}
	if m.fullHelp { // asked for: it has the room layout gave it, before any toast
		return m.helpView()
	}
	if m.toast.Visible() {
		return m.toast.View(m.width)
	}
	return m.shortFooter()
}
