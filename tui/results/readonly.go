package results

import "github.com/charmbracelet/bubbles/key"

// ReadOnlyKeys are the bindings that only look at the results: moving,
// filtering, sorting, the detail and timeline views, and yanking ids. A
// read-only view of a past run lets these through and nothing else, so a
// key that changes an alert's triage state never reaches a past run,
// whatever keys the pane learns later.
func (m Model) ReadOnlyKeys() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Filter, k.Detail, k.Sort, k.Reverse,
		k.Yank, k.YankAll, k.Cancel, m.pk.Left, m.pk.Right, m.pk.Pivot, m.pk.Timeline}
}
