package detect

import (
	"fmt"
	"testing"
)

// Numeric and text ids share one id space: each distinct trimmed string is
// one user, "042" is not "42", and names come back exactly as given, also
// after the numeric table has grown many times.
func TestUserTableIDs(t *testing.T) {
	tab := newUserTable()
	const n = 5000
	for i := range n {
		if got := tab.id(fmt.Sprint(i * 7919)); got != uint32(i) {
			t.Fatalf("user %d got id %d", i*7919, got)
		}
	}
	for _, s := range []string{"042", "0", "x42", "1234567890123456789", "-5", "4 2"} {
		tab.id(s)
	}
	for i := range n {
		if got := tab.id(fmt.Sprint(i * 7919)); got != uint32(i) {
			t.Fatalf("second lookup of %d: id %d", i*7919, got)
		}
		if name := tab.name(uint32(i)); name != fmt.Sprint(i*7919) {
			t.Fatalf("name of %d is %q", i, name)
		}
	}
	cases := []struct{ a, b string }{{"042", "42"}, {"0", "00"}, {"1234567890123456789", "123456789012345678"}}
	for _, c := range cases {
		t.Run(c.a+" vs "+c.b, func(t *testing.T) {
			if tab.id(c.a) == tab.id(c.b) {
				t.Errorf("%q and %q got one id", c.a, c.b)
			}
			if tab.name(tab.id(c.a)) != c.a || tab.name(tab.id(c.b)) != c.b {
				t.Errorf("names %q %q", tab.name(tab.id(c.a)), tab.name(tab.id(c.b)))
			}
		})
	}
	// "0" was already user 0; the cases add "42", "00" and an 18-digit id.
	if tab.len() != n+5+3 {
		t.Errorf("%d users, want %d", tab.len(), n+5+3)
	}
}
