package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"cam/tui/common"
)

// footerSep separates the footer's hints, as bubbles/help does.
const footerSep = " • "

// shortFooter is the one-line key hint: the focused pane's keys in the
// order the pane gives them (its most useful first), then r and tab, and
// always `? help` and `q quit` at the end. When the line is too wide the
// hints before those two are dropped from the end, so the two an analyst
// needs to find everything else never fall off.
func (m Model) shortFooter() string {
	own := enabled(m.ownShortHelp())
	if m.focusedInput() && m.message == nil {
		// Typing goes to the input: q types a q, so only the input's keys.
		return common.Truncate(m.hints(own), m.width)
	}
	k := m.c.Keys
	fixed := []key.Binding{k.Help, k.Quit}
	optional := own
	if m.message == nil { // over the message view only ? and q mean what they say
		optional = append(own, enabled([]key.Binding{k.Run, k.NextPane})...)
	}
	for n := len(optional); n > 0; n-- {
		line := m.hints(append(append([]key.Binding(nil), optional[:n]...), fixed...))
		if lipgloss.Width(line) <= m.width {
			return line
		}
	}
	return common.Truncate(m.hints(fixed), m.width)
}

// hints renders bindings as "key desc • key desc".
func (m Model) hints(bs []key.Binding) string {
	st := m.help.Styles
	parts := make([]string, 0, len(bs))
	for _, b := range bs {
		h := b.Help()
		parts = append(parts, st.ShortKey.Render(h.Key)+" "+st.ShortDesc.Render(h.Desc))
	}
	return strings.Join(parts, st.ShortSeparator.Render(footerSep))
}

// enabled keeps the bindings that apply now.
func enabled(bs []key.Binding) []key.Binding {
	out := make([]key.Binding, 0, len(bs))
	for _, b := range bs {
		if b.Enabled() {
			out = append(out, b)
		}
	}
	return out
}

// helpColumnGap separates the full help's columns.
const helpColumnGap = "    "

// fullHelpView is every key of the focused pane and the global ones, as
// columns that wrap onto more rows when the terminal is too narrow for
// all of them side by side: no column is ever cut.
func (m Model) fullHelpView() string {
	groups := append(m.ownFullHelp(), m.c.Keys.FullGlobalHelp()...)
	var rows []string
	var row []string
	rowW := 0
	for _, g := range groups {
		col := m.helpColumn(enabled(g))
		if col == "" {
			continue
		}
		w := lipgloss.Width(col)
		if len(row) > 0 && rowW+len(helpColumnGap)+w > m.width {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowW = nil, 0
		}
		if len(row) > 0 {
			row = append(row, helpColumnGap)
			rowW += len(helpColumnGap)
		}
		row = append(row, col)
		rowW += w
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	lines := strings.Split(strings.Join(rows, "\n"), "\n")
	for i, l := range lines {
		lines[i] = common.Truncate(strings.TrimRight(l, " "), m.width)
	}
	return strings.Join(lines, "\n")
}

// helpColumn renders one column of the full help: keys, then what they do.
func (m Model) helpColumn(bs []key.Binding) string {
	if len(bs) == 0 {
		return ""
	}
	st := m.help.Styles
	var keys, descs []string
	for _, b := range bs {
		keys = append(keys, st.FullKey.Render(b.Help().Key))
		descs = append(descs, st.FullDesc.Render(b.Help().Desc))
	}
	return lipgloss.JoinHorizontal(lipgloss.Top,
		strings.Join(keys, "\n"), " ", strings.Join(descs, "\n"))
}

// ownShortHelp is the keys of what has the keyboard: the message view
// when open, else the focused pane.
func (m Model) ownShortHelp() []key.Binding {
	if m.message != nil {
		return m.message.ShortHelp()
	}
	if _, ok := m.status.Selected(); ok && m.focus == paneStatus {
		// The root opens a row's whole text; the pane does not know it.
		whole := key.NewBinding(key.WithKeys(m.c.Keys.Detail.Keys()...), key.WithHelp(m.c.Keys.Detail.Help().Key, "whole text"))
		return append(m.focused().shortHelp(), whole)
	}
	return m.focused().shortHelp()
}

// ownFullHelp is ownShortHelp's full form.
func (m Model) ownFullHelp() [][]key.Binding {
	if m.message != nil {
		return m.message.FullHelp()
	}
	return m.focused().fullHelp()
}
