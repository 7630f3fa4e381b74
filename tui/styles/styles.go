// Package styles holds cam's palette and the lipgloss styles derived from
// it. Panes take a *Styles from the shared context; nothing here is a
// mutable package variable.
package styles

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Palette is the set of colours every style is built from. Adaptive colours
// keep text legible on light and dark terminals alike.
type Palette struct {
	Text      lipgloss.AdaptiveColor
	Muted     lipgloss.AdaptiveColor
	Accent    lipgloss.AdaptiveColor
	Border    lipgloss.AdaptiveColor
	Selection lipgloss.AdaptiveColor
	OK        lipgloss.AdaptiveColor
	Warn      lipgloss.AdaptiveColor
	Error     lipgloss.AdaptiveColor
	Critical  lipgloss.AdaptiveColor
	High      lipgloss.AdaptiveColor
	Medium    lipgloss.AdaptiveColor
	Low       lipgloss.AdaptiveColor
	Debug     lipgloss.AdaptiveColor
}

// DefaultPalette is cam's palette.
func DefaultPalette() Palette {
	return Palette{
		Text:      lipgloss.AdaptiveColor{Light: "#1f2328", Dark: "#e6edf3"},
		Muted:     lipgloss.AdaptiveColor{Light: "#656d76", Dark: "#8b949e"},
		Accent:    lipgloss.AdaptiveColor{Light: "#0969da", Dark: "#58a6ff"},
		Border:    lipgloss.AdaptiveColor{Light: "#d0d7de", Dark: "#30363d"},
		Selection: lipgloss.AdaptiveColor{Light: "#ddf4ff", Dark: "#1f3a5f"},
		OK:        lipgloss.AdaptiveColor{Light: "#1a7f37", Dark: "#3fb950"},
		Warn:      lipgloss.AdaptiveColor{Light: "#9a6700", Dark: "#d29922"},
		Error:     lipgloss.AdaptiveColor{Light: "#cf222e", Dark: "#f85149"},
		Critical:  lipgloss.AdaptiveColor{Light: "#a40e26", Dark: "#ff7b72"},
		High:      lipgloss.AdaptiveColor{Light: "#bc4c00", Dark: "#ffa657"},
		Medium:    lipgloss.AdaptiveColor{Light: "#9a6700", Dark: "#e3b341"},
		Low:       lipgloss.AdaptiveColor{Light: "#656d76", Dark: "#8b949e"},
		Debug:     lipgloss.AdaptiveColor{Light: "#8250df", Dark: "#bc8cff"},
	}
}

// Styles are the styles panes render with.
type Styles struct {
	Palette Palette

	App          lipgloss.Style // outermost frame
	Pane         lipgloss.Style // an unfocused pane's border
	PaneFocused  lipgloss.Style // the focused pane's border
	Title        lipgloss.Style // a pane title
	TitleFocused lipgloss.Style
	Tab          lipgloss.Style // narrow layout: an inactive tab
	TabActive    lipgloss.Style
	Help         lipgloss.Style // footer help line
	Muted        lipgloss.Style
	Text         lipgloss.Style
	Bold         lipgloss.Style
	Selected     lipgloss.Style // selected table row: reverse video, readable on any background
	// Marker is the gutter mark of the selected row: "▸", or ">" when the
	// terminal has no colour (NO_COLOR, TERM=dumb), where reverse video
	// and bold may not show either. Unmarked rows get Gutter.
	Marker string
	Gutter string
	// SortAsc and SortDesc mark the sorted column's direction in a header.
	SortAsc, SortDesc string
	Header            lipgloss.Style // table header row
	Label             lipgloss.Style // form label
	Input             lipgloss.Style
	InputFocused      lipgloss.Style
	ErrorText         lipgloss.Style // inline validation and failures
	WarnText          lipgloss.Style
	OKText            lipgloss.Style
	Toast             lipgloss.Style // short confirmation ("Copied 12 user IDs")
	ErrorBox          lipgloss.Style // fatal error view
	SeverityStyle     map[string]lipgloss.Style
	LevelStyle        map[string]lipgloss.Style // log levels: debug, info, warn, error, fatal
}

// New builds Styles from a palette.
func New(p Palette) *Styles {
	s := &Styles{Palette: p}
	border := lipgloss.RoundedBorder()
	s.App = lipgloss.NewStyle()
	s.Pane = lipgloss.NewStyle().Border(border).BorderForeground(p.Border)
	// The focused pane's border is thick as well as coloured, so it shows
	// without colour too.
	s.PaneFocused = lipgloss.NewStyle().Border(lipgloss.ThickBorder()).BorderForeground(p.Accent)
	s.Title = lipgloss.NewStyle().Foreground(p.Muted).Bold(true)
	s.TitleFocused = lipgloss.NewStyle().Foreground(p.Accent).Bold(true)
	s.Tab = lipgloss.NewStyle().Foreground(p.Muted).Padding(0, 1)
	s.TabActive = lipgloss.NewStyle().Foreground(p.Accent).Bold(true)
	s.Help = lipgloss.NewStyle().Foreground(p.Muted)
	s.Muted = lipgloss.NewStyle().Foreground(p.Muted)
	s.Text = lipgloss.NewStyle().Foreground(p.Text)
	s.Bold = lipgloss.NewStyle().Foreground(p.Text).Bold(true)
	// Reverse video swaps the terminal's own foreground and background, so
	// the pair always has the contrast the analyst chose for plain text,
	// on light and dark themes and in 16-colour terminals alike (a fixed
	// background degraded to cyan under bright cyan text was unreadable).
	s.Selected = lipgloss.NewStyle().Reverse(true).Bold(true)
	s.Marker, s.Gutter, s.SortAsc, s.SortDesc = "▸ ", "  ", "↑", "↓"
	if lipgloss.ColorProfile() == termenv.Ascii {
		s.Marker, s.SortAsc, s.SortDesc = "> ", "^", "v"
	}
	s.Header = lipgloss.NewStyle().Foreground(p.Muted).Bold(true)
	s.Label = lipgloss.NewStyle().Foreground(p.Muted)
	s.Input = lipgloss.NewStyle().Foreground(p.Text)
	s.InputFocused = lipgloss.NewStyle().Foreground(p.Accent)
	s.ErrorText = lipgloss.NewStyle().Foreground(p.Error)
	s.WarnText = lipgloss.NewStyle().Foreground(p.Warn)
	s.OKText = lipgloss.NewStyle().Foreground(p.OK)
	s.Toast = lipgloss.NewStyle().Foreground(p.OK).Bold(true)
	s.ErrorBox = lipgloss.NewStyle().Border(border).BorderForeground(p.Error).Padding(1, 2)
	s.SeverityStyle = map[string]lipgloss.Style{
		"critical": lipgloss.NewStyle().Foreground(p.Critical).Bold(true),
		"high":     lipgloss.NewStyle().Foreground(p.High).Bold(true),
		"medium":   lipgloss.NewStyle().Foreground(p.Medium),
		"low":      lipgloss.NewStyle().Foreground(p.Low),
	}
	s.LevelStyle = map[string]lipgloss.Style{
		"debug": lipgloss.NewStyle().Foreground(p.Debug),
		"info":  lipgloss.NewStyle().Foreground(p.Accent),
		"warn":  lipgloss.NewStyle().Foreground(p.Warn).Bold(true),
		"error": lipgloss.NewStyle().Foreground(p.Error).Bold(true),
		"fatal": lipgloss.NewStyle().Foreground(p.Error).Bold(true),
	}
	return s
}

// Mark prefixes a row with the selection gutter: Marker when selected,
// Gutter otherwise, so rows stay aligned.
func (s *Styles) Mark(row string, selected bool) string {
	if selected {
		return s.Marker + row
	}
	return s.Gutter + row
}

// Severity returns the style for a severity name, or Text when unknown.
func (s *Styles) Severity(name string) lipgloss.Style {
	if st, ok := s.SeverityStyle[name]; ok {
		return st
	}
	return s.Text
}

// Level returns the style for a log level name, or Text when unknown.
func (s *Styles) Level(name string) lipgloss.Style {
	if st, ok := s.LevelStyle[name]; ok {
		return st
	}
	return s.Text
}
