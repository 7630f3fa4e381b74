// Package common holds the context every pane shares: size, styles, keys
// and the analyst's time zone. Panes receive it instead of reading package
// variables.
package common

import (
	"time"

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

// Pane is what the root model needs from every pane. A pane's own Update
// returns its concrete type, so it is not part of this interface.
type Pane interface {
	// SetSize gives the pane its inner width and height (inside borders).
	SetSize(width, height int)
	View() string
	// Title is the pane's title, which may carry live state
	// ("Status 3/5 · 00:12").
	Title() string
	// InputFocused reports whether a text input inside the pane has focus;
	// the root then sends keys to the pane before its global bindings.
	InputFocused() bool
}
