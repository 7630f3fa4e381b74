package results

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// BenchmarkFilterKeystroke is one keystroke in the filter over 150k
// results, as the analyst feels it: the key's Update (which re-filters)
// and the View that renders the frame. Each iteration types a character
// and then deletes it, so it reports the cost of two keystrokes; the
// issue's budget is 16 ms per keystroke.
func BenchmarkFilterKeystroke(b *testing.B) {
	m := model(150_000)
	m.SetSize(160, 40)
	m, _ = typeKeys(m, "/", "u", "s", "e", "r", "0")
	backspace := tea.KeyMsg{Type: tea.KeyBackspace}
	b.ReportAllocs()
	for b.Loop() {
		m, _ = m.Update(keyMsg("4"))
		_ = m.View()
		m, _ = m.Update(backspace)
		_ = m.View()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N)/1e6, "ms/keystroke")
}

// BenchmarkView renders one frame of the table over 150k results.
func BenchmarkView(b *testing.B) {
	m := model(150_000)
	m.SetSize(160, 40)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}
