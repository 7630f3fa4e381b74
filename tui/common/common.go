// Package common holds the context every pane shares: size, styles, keys
// and the analyst's time zone. Panes receive it instead of reading package
// variables.
package common

import (
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"cam/tui/keys"
	"cam/tui/styles"
)

// Common is shared by the root model and every pane.
type Common struct {
	Styles *styles.Styles
	Keys   *keys.KeyMap
	// Zone is the analyst's time zone for displayed times (UTC is shown
	// beside it where it matters).
	Zone *time.Location
	// Now is the clock; tests pin it.
	Now func() time.Time
	// ClipboardMode is the app setting clipboard: auto, osc52, system, off.
	ClipboardMode string
}

// New returns a Common with cam's default styles and keys.
func New() *Common {
	return &Common{
		Styles: styles.New(styles.DefaultPalette()),
		Keys:   keys.New(),
		Zone:   time.Local,
		Now:    time.Now,

		ClipboardMode: "auto",
	}
}

// Component is the contract every pane meets, after soft-serve's
// common.Component: Bubble Tea's Init, Update and View, the pane's keys
// for the help footer (help.KeyMap), and its size. Update returns the
// pane's own type P, so its parent needs no type assertion; SetSize is
// the pane's pointer method (see Sized).
type Component[P any] interface {
	Init() tea.Cmd
	Update(msg tea.Msg) (P, tea.Cmd)
	View() string
	help.KeyMap
	// Title is the pane's title, which may carry live state
	// ("Status 3/5 · 00:12").
	Title() string
	// InputFocused reports whether a text input inside the pane has focus;
	// the root then sends keys to the pane before its global bindings.
	InputFocused() bool
}

// Sized is a pointer to a Component P that takes its inner width and
// height (inside borders) from the root.
type Sized[P Component[P]] interface {
	*P
	SetSize(width, height int)
}
