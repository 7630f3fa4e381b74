package detect

import "strings"

// userTable interns user ids: each distinct id is stored once and events
// carry its dense number, which also indexes per-user slices.
type userTable struct {
	ids   map[string]uint32
	names []string
}

func newUserTable() userTable { return userTable{ids: map[string]uint32{}} }

func (t *userTable) id(user string) uint32 {
	if id, ok := t.ids[user]; ok {
		return id
	}
	// The row's string may share memory with a driver buffer; keep a copy
	// of the few bytes instead of the buffer.
	user = strings.Clone(user)
	id := uint32(len(t.names))
	t.ids[user] = id
	t.names = append(t.names, user)
	return id
}

func (t *userTable) name(id uint32) string { return t.names[id] }

func (t *userTable) len() int { return len(t.names) }

// source is the database and query an event came from.
type source struct{ db, query string }

// sourceTable interns (database, query) pairs; a run has a few dozen.
type sourceTable struct {
	ids  map[source]uint32
	list []source
	last source
	lid  uint32
}

func newSourceTable() sourceTable { return sourceTable{ids: map[source]uint32{}, lid: ^uint32(0)} }

func (t *sourceTable) id(db, query string) uint32 {
	// Rows arrive in long runs from one query: check the last pair first.
	if t.lid != ^uint32(0) && t.last.db == db && t.last.query == query {
		return t.lid
	}
	k := source{db, query}
	id, ok := t.ids[k]
	if !ok {
		id = uint32(len(t.list))
		k = source{strings.Clone(db), strings.Clone(query)}
		t.ids[k] = id
		t.list = append(t.list, k)
	}
	t.last, t.lid = k, id
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
	if info, ok := c[raw]; ok {
		return info
	}
	op := strings.ToUpper(strings.TrimSpace(raw))
	info := opInfo{name: op, login: op == "LOGIN", write: op == "INSERT" || op == "UPDATE" || op == "DELETE"}
	if len(c) < cacheLimit {
		c[strings.Clone(raw)] = info
	}
	return info
}

// roleCache remembers whether each role as stored is a guest role
// (compared trimmed and case-insensitively).
type roleCache struct {
	guests map[string]bool // lower-cased guest roles
	seen   map[string]bool
}

func newRoleCache(guests map[string]bool) roleCache {
	return roleCache{guests: guests, seen: map[string]bool{}}
}

func (c roleCache) guest(raw string) bool {
	if g, ok := c.seen[raw]; ok {
		return g
	}
	g := c.guests[strings.ToLower(strings.TrimSpace(raw))]
	if len(c.seen) < cacheLimit {
		c.seen[strings.Clone(raw)] = g
	}
	return g
}
