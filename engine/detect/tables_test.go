package detect

import (
	"fmt"
	"testing"
	"unsafe"
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

// Sources taking turns (more of them than the recent list holds) keep
// their ids, and the table keeps its own copy of a name given in a buffer
// that is overwritten afterwards.
func TestSourceTableIDs(t *testing.T) {
	tab := newSourceTable()
	buf := []byte("db-0")
	first := map[string]uint32{}
	for round := range 3 {
		for i := range 7 {
			buf[3] = byte('0' + i)
			q := fmt.Sprint("q", i%2)
			id := tab.id(string(buf), q) // a fresh string each time, as a driver's
			if round == 0 {
				first[string(buf)+q] = id
			} else if id != first[string(buf)+q] {
				t.Fatalf("round %d: %s %s got id %d, first %d", round, buf, q, id, first[string(buf)+q])
			}
		}
	}
	view := unsafe.String(&buf[0], len(buf))
	id := tab.id(view, "q9")
	buf[3] = 'x'
	if got := tab.get(id); got.db != "db-6" || got.query != "q9" {
		t.Errorf("source %d is %+v, want db-6/q9", id, got)
	}
	if len(first) != 7 || len(tab.list) != 8 {
		t.Errorf("%d distinct sources, %d in the table, want 7 and 8", len(first), len(tab.list))
	}
}

// The role cache answers from its last role without keeping the caller's
// bytes: a driver reuses its buffer for the next row's role.
func TestRoleCacheKeepsItsOwnCopy(t *testing.T) {
	c := newRoleCache(map[string]bool{"guest": true})
	buf := []byte("User ")
	view := unsafe.String(&buf[0], len(buf))
	cases := []struct {
		name, role string
		want       bool
	}{
		{"user", "User ", false},
		{"user again", "User ", false},
		{"guest in the same bytes", "GUEST", true},
		{"guest again", "GUEST", true},
		{"user back in the same bytes", "User ", false},
		{"lower-case guest in the same bytes", "guest", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			copy(buf, tc.role)
			if got := c.guest(view); got != tc.want {
				t.Errorf("guest(%q) = %v, want %v", tc.role, got, tc.want)
			}
		})
	}
	t.Run("empty role", func(t *testing.T) {
		if c.guest("") {
			t.Error(`guest("") = true`)
		}
		if !c.guest(" Guest ") || c.guest("") {
			t.Error("roles taking turns answer wrong")
		}
	})
}

// An operation is known by its trimmed, upper-cased text: the usual
// spellings, told apart by length and first letter, and near misses of
// them alike.
func TestOpCacheNormalises(t *testing.T) {
	cases := []struct {
		raw          string
		name         string
		login, write bool
	}{
		{"LOGIN", "LOGIN", true, false}, {"SELECT", "SELECT", false, false}, {"LOGOUT", "LOGOUT", false, false},
		{"INSERT", "INSERT", false, true}, {"UPDATE", "UPDATE", false, true}, {"DELETE", "DELETE", false, true},
		{"login ", "LOGIN", true, false}, {"Delete", "DELETE", false, true}, {" update", "UPDATE", false, true},
		{"LOGIX", "LOGIX", false, false}, {"DELETF", "DELETF", false, false}, {"SELECTS", "SELECTS", false, false},
		{"UPSERT", "UPSERT", false, false}, {"", "", false, false}, {"LOGINS", "LOGINS", false, false},
	}
	c := newOpCache()
	for _, tc := range cases {
		t.Run(tc.raw, func(t *testing.T) {
			for range 2 { // the second time from the cache
				if got := c.lookup(tc.raw); got != (opInfo{name: tc.name, login: tc.login, write: tc.write}) {
					t.Fatalf("lookup(%q) = %+v", tc.raw, got)
				}
			}
		})
	}
}

// A column's last string answers repeats without keeping the caller's
// bytes: a driver reuses its buffer for the next row's text, and ids come
// back as the interner gives them.
func TestLastIDKeepsItsOwnCopy(t *testing.T) {
	n := newInterner()
	var c lastID
	buf := []byte("SUCCESS")
	view := unsafe.String(&buf[0], len(buf))
	for _, s := range []string{"SUCCESS", "SUCCESS", "FAILED!", "FAILED!", "SUCCESS", "DENIED.", "SUCCESS"} {
		t.Run(s, func(t *testing.T) {
			copy(buf, s)
			id := c.of(&n, view)
			if want := n.id(s); id != want {
				t.Errorf("of(%q) = %d, the interner's id is %d", s, id, want)
			}
			if n.name(id) != s {
				t.Errorf("id %d names %q, want %q", id, n.name(id), s)
			}
		})
	}
	if len(n.names) != 3 {
		t.Errorf("%d strings interned, want 3: %q", len(n.names), n.names)
	}
}
