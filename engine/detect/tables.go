package detect

import (
	"strconv"
	"strings"
)

// userTable interns user ids: each distinct id is stored once and events
// carry its dense number, which also indexes per-user slices. Bank user
// ids are mostly decimal numbers; those go through a flat open-addressing
// table of integers (one probe, no string compare, no allocation per
// user), the rest through a map.
type userTable struct {
	// keys[id] is the user's number, or numeric|index into others.
	keys   []uint64
	others []string
	byText map[string]uint32
	// slots is the numeric table, at most half full; a probe touches one
	// 16-byte slot, so a lookup costs one cache miss.
	slots []numSlot
	shift uint
}

// textual marks a key that indexes others instead of being a number.
const textual = 1 << 63

// maxNumeric is the longest digit string read as a number (10^18 < 2^63).
const maxNumeric = 18

// numSlot is one entry of the numeric table; id 0 marks an empty slot,
// so it holds the user id plus one.
type numSlot struct {
	num uint64
	id  uint32
}

func newUserTable() userTable {
	const bits = 10
	return userTable{byText: map[string]uint32{}, slots: make([]numSlot, 1<<bits), shift: 64 - bits}
}

// number returns s as a canonical decimal number: digits only, no
// leading zero (so "042" stays text and never meets "42").
func number(s string) (uint64, bool) {
	if len(s) == 0 || len(s) > maxNumeric || s[0] == '0' && len(s) > 1 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + uint64(c)
	}
	return n, true
}

func (t *userTable) id(user string) uint32 {
	if n, ok := number(user); ok {
		return t.numericID(n)
	}
	if id, ok := t.byText[user]; ok {
		return id
	}
	// The row's string may share memory with a driver buffer; keep a copy
	// of the few bytes instead of the buffer.
	user = strings.Clone(user)
	id := uint32(len(t.keys))
	t.byText[user] = id
	t.keys = append(t.keys, textual|uint64(len(t.others)))
	t.others = append(t.others, user)
	return id
}

func (t *userTable) numericID(n uint64) uint32 {
	mask := uint64(len(t.slots) - 1)
	for i := (n * 0x9e3779b97f4a7c15) >> t.shift; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.id == 0 {
			break
		}
		if s.num == n {
			return s.id - 1
		}
	}
	id := uint32(len(t.keys))
	t.keys = append(t.keys, n)
	if 2*len(t.keys) > len(t.slots) {
		t.grow()
	}
	t.insert(n, id)
	return id
}

func (t *userTable) insert(n uint64, id uint32) {
	mask := uint64(len(t.slots) - 1)
	i := (n * 0x9e3779b97f4a7c15) >> t.shift
	for t.slots[i].id != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = numSlot{num: n, id: id + 1}
}

// grow doubles the numeric table, keeping it at most half full.
func (t *userTable) grow() {
	old := t.slots
	t.slots = make([]numSlot, 2*len(old))
	t.shift--
	for _, s := range old {
		if s.id != 0 {
			t.insert(s.num, s.id-1)
		}
	}
}

func (t *userTable) name(id uint32) string {
	k := t.keys[id]
	if k&textual != 0 {
		return t.others[k&^textual]
	}
	return strconv.FormatUint(k, 10)
}

func (t *userTable) len() int { return len(t.keys) }

// source is the database and query an event came from.
type source struct{ db, query string }

// sourceTable interns (database, query) pairs; a run has a few dozen.
type sourceTable struct {
	ids  map[source]uint32
	list []source
	// recent are the last pairs looked up: rows arrive in runs from one
	// query, or from a few queries taking turns. The pair last found is
	// tried first; a new pair replaces the oldest (no moving to the
	// front, which copied the list on every row of queries taking turns).
	recent        [4]uint32
	nrecent, last int
	next          int // the slot a new pair takes
}

func newSourceTable() sourceTable { return sourceTable{ids: map[source]uint32{}} }

func (t *sourceTable) id(db, query string) uint32 {
	for j := range t.nrecent {
		k := t.last + j // slots 0 to nrecent-1 are filled
		if k >= t.nrecent {
			k -= t.nrecent
		}
		// The query first: queries differ where databases mostly do not.
		if id := t.recent[k]; t.list[id].query == query && t.list[id].db == db {
			t.last = k
			return id
		}
	}
	id, ok := t.ids[source{db, query}]
	if !ok {
		// The caller's strings may share a buffer that the next row
		// overwrites: the table keeps its own copies.
		id = uint32(len(t.list))
		k := source{strings.Clone(db), strings.Clone(query)}
		t.ids[k] = id
		t.list = append(t.list, k)
	}
	t.recent[t.next], t.last = id, t.next
	t.next = (t.next + 1) % len(t.recent)
	t.nrecent = min(t.nrecent+1, len(t.recent))
	return id
}

func (t *sourceTable) get(id uint32) source { return t.list[id] }

// interner maps repeated strings (operations, statuses, addresses) to
// small ids, so that millions of events share one copy of each.
type interner struct {
	ids   map[string]uint32
	names []string
}

func newInterner() interner { return interner{ids: map[string]uint32{}} }

func (n *interner) id(s string) uint32 {
	if id, ok := n.ids[s]; ok {
		return id
	}
	s = strings.Clone(s)
	id := uint32(len(n.names))
	n.ids[s] = id
	n.names = append(n.names, s)
	return id
}

func (n *interner) name(id uint32) string { return n.names[id] }

// lastID remembers the interned id of the last string one column gave: a
// column of activity rows (operation, status, address) mostly repeats its
// previous row's text, and comparing it costs less than hashing it.
type lastID struct {
	s  string // the interner's own copy
	id uint32
	ok bool
}

// of returns s's id in n, through the column's last string.
func (c *lastID) of(n *interner, s string) uint32 {
	if c.ok && s == c.s {
		return c.id
	}
	id := n.id(s)
	*c = lastID{s: n.name(id), id: id, ok: true}
	return id
}

// cacheLimit bounds the operation and role caches: a query returning free
// text in those columns must not grow them without limit.
const cacheLimit = 4096

// opInfo is an operation as the rules see it: trimmed, upper-cased.
type opInfo struct {
	name  string
	login bool // LOGIN
	write bool // INSERT, UPDATE or DELETE
}

// opCache remembers the normalised form of each operation as stored, so
// the per-row cost is one small map lookup instead of trimming and
// upper-casing.
type opCache map[string]opInfo

func newOpCache() opCache { return opCache{} }

func (c opCache) lookup(raw string) opInfo {
	// The usual spellings, as a DAM stores them, are their own
	// normalised form: told apart by length and first letter, then
	// compared whole, which beats hashing the text (and a switch on it,
	// a binary search of string comparisons). (The names are the
	// literals: raw may view a driver's buffer.)
	switch {
	case len(raw) == len("LOGIN"):
		if raw == "LOGIN" {
			return opInfo{name: "LOGIN", login: true}
		}
	case len(raw) == len("SELECT"):
		switch raw[0] {
		case 'S':
			if raw == "SELECT" {
				return opInfo{name: "SELECT"}
			}
		case 'L':
			if raw == "LOGOUT" {
				return opInfo{name: "LOGOUT"}
			}
		case 'I':
			if raw == "INSERT" {
				return opInfo{name: "INSERT", write: true}
			}
		case 'U':
			if raw == "UPDATE" {
				return opInfo{name: "UPDATE", write: true}
			}
		case 'D':
			if raw == "DELETE" {
				return opInfo{name: "DELETE", write: true}
			}
		}
	}
	if info, ok := c[raw]; ok {
		return info
	}
	// ToUpper returns raw itself when it has nothing to change, and raw
	// may view a driver's buffer: keep a copy.
	op := strings.Clone(strings.ToUpper(strings.TrimSpace(raw)))
	info := opInfo{name: op, login: op == "LOGIN", write: op == "INSERT" || op == "UPDATE" || op == "DELETE"}
	if len(c) < cacheLimit {
		c[strings.Clone(raw)] = info
	}
	return info
}

// roleCache remembers whether each role as stored is a guest role
// (compared trimmed and case-insensitively). The last role looked up is
// tried before the map: a query's rows mostly name one or two roles, and
// comparing a short string costs less than hashing it.
type roleCache struct {
	guests map[string]bool // lower-cased guest roles
	seen   map[string]seenRole
	last   seenRole // the last role looked up, once there is one
	isLast bool
}

// seenRole is a role as stored, in the cache's own copy (rows' strings may
// view a driver's buffer), and whether it is a guest role.
type seenRole struct {
	raw   string
	guest bool
}

func newRoleCache(guests map[string]bool) roleCache {
	return roleCache{guests: guests, seen: map[string]seenRole{}}
}

func (c *roleCache) guest(raw string) bool {
	if c.isLast && raw == c.last.raw {
		return c.last.guest
	}
	r, ok := c.seen[raw]
	if !ok {
		g := c.guests[strings.ToLower(strings.TrimSpace(raw))]
		if len(c.seen) >= cacheLimit {
			return g
		}
		r = seenRole{raw: strings.Clone(raw), guest: g}
		c.seen[r.raw] = r
	}
	c.last, c.isLast = r, true
	return r.guest
}
