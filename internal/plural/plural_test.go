package plural

import "testing"

func TestCountAndWord(t *testing.T) {
	cases := []struct {
		name string
		n    int
		want string
	}{
		{"none", 0, "0 queries"},
		{"one", 1, "1 query"},
		{"several", 3, "3 queries"},
		{"negative", -1, "-1 queries"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Count(c.n, "query", "queries"); got != c.want {
				t.Errorf("Count(%d) = %q, want %q", c.n, got, c.want)
			}
		})
	}
}
