package display

import "testing"

func TestSparkline(t *testing.T) {
	cases := []struct {
		name   string
		counts []int
		ascii  bool
		want   string
	}{
		{"empty", nil, false, ""},
		{"all zero", []int{0, 0, 0}, false, "▁▁▁"},
		{"scaled to the peak", []int{0, 1, 2, 4, 8}, false, "▁▂▂▄█"},
		{"one finding beside many shows", []int{1, 1000}, false, "▂█"},
		{"a lone finding is the peak", []int{0, 1, 0}, false, "▁█▁"},
		{"every height", []int{0, 1, 2, 3, 4, 5, 6}, false, "▁▂▃▄▅▆█"},
		{"ascii all zero", []int{0, 0}, true, "__"},
		{"ascii scaled", []int{0, 1, 2, 3, 6}, true, "_..-#"},
		{"ascii one beside many", []int{1, 1000}, true, ".#"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sparkline(tc.counts, tc.ascii); got != tc.want {
				t.Errorf("Sparkline(%v, ascii %v) = %q, want %q", tc.counts, tc.ascii, got, tc.want)
			}
		})
	}
}
