package display

import "strings"

// Bar sets a sparkline is drawn with, lowest first: eight block heights,
// or five ASCII characters for terminals without colour or Unicode
// blocks (NO_COLOR, the ASCII profile).
var (
	blockBars = []rune("▁▂▃▄▅▆▇█")
	asciiBars = []rune("_.-=#")
)

// Sparkline draws counts as one bar each. A zero is the lowest bar; the
// days with findings spread linearly from the second bar (the quietest)
// to the highest (the peak), so a day with one finding among days with
// hundreds is not drawn as none.
func Sparkline(counts []int, ascii bool) string {
	bars := blockBars
	if ascii {
		bars = asciiBars
	}
	top := 0
	for _, c := range counts {
		top = max(top, c)
	}
	var b strings.Builder
	for _, c := range counts {
		i := 0
		switch {
		case c <= 0:
		case top == 1:
			i = len(bars) - 1
		default:
			i = 1 + (c-1)*(len(bars)-2)/(top-1)
		}
		b.WriteRune(bars[i])
	}
	return b.String()
}
