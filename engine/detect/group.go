package detect

// grouper groups one partition's change records by user in tables sized
// to the partition, reused from one partition to the next: refs[start[u]:
// start[u+1]] are local user u's events (only for users who may qualify),
// in arrival order; keys[u] is u's key and masks[u] the types u changed.
type grouper struct {
	slots []groupSlot
	shift uint
	keys  []uint64
	masks []uint16
	// buckets[u*types+t] is the time buckets of u's type t events, for
	// takeoverRule.mayQualify; may[u] is its answer.
	types   int
	buckets []uint64
	may     []bool
	start   []uint32
	lid     []uint32 // each record's local user
	refs    []changeRef
}

// groupSlot is one entry of the grouping table; id 0 marks an empty slot,
// so it holds the local user plus one.
type groupSlot struct {
	key uint64
	id  uint32
}

// partRef is partition k of a store.
type partRef struct {
	s *changeStore
	k int
}

func (g *grouper) group(parts []partRef, rule *takeoverRule) {
	n := 0
	for _, p := range parts {
		n += p.s.len(p.k)
	}
	// Users are at most the records, usually far fewer: start the table
	// at a quarter of the records (so it stays in cache) and grow.
	bits := uint(4)
	for 1<<bits < n/4 {
		bits++
	}
	g.reset(bits)
	g.keys, g.masks, g.lid, g.buckets = g.keys[:0], g.masks[:0], g.lid[:0], g.buckets[:0]
	g.types = rule.types
	// start[u+1] counts u's records first, then is u's next position.
	g.start = append(g.start[:0], 0)
	for _, p := range parts {
		t := int(p.s.meta & typeMask)
		bit := uint16(1) << t
		for j := range len(p.s.parts[p.k].full) + 1 {
			c := p.s.narrow(p.k, j)
			for i := range c {
				g.note(uint64(c[i].key), c[i].at(), t, bit, rule)
			}
		}
		wide := &p.s.parts[p.k].wide
		for j := range len(wide.full) + 1 {
			c := wide.chunk(j)
			for i := range c {
				g.note(c[i].key, c[i].at, t, bit, rule)
			}
		}
	}
	total := uint32(0)
	g.may = g.may[:0]
	for u, m := range g.masks {
		n := g.start[u+1]
		may := rule.eligible(m) && rule.mayQualify(g.buckets[u*g.types:(u+1)*g.types])
		if !may {
			n = 0
		}
		g.may = append(g.may, may)
		g.start[u+1] = total
		total += n
	}
	g.refs = g.refs[:0]
	g.refs = append(g.refs, make([]changeRef, total)...)
	i := 0
	for _, p := range parts {
		meta := p.s.meta
		for j := range len(p.s.parts[p.k].full) + 1 {
			c := p.s.narrow(p.k, j)
			for k := range c {
				g.place(i, c[k].at(), meta)
				i++
			}
		}
		wide := &p.s.parts[p.k].wide
		for j := range len(wide.full) + 1 {
			c := wide.chunk(j)
			for k := range c {
				g.place(i, c[k].at, meta)
				i++
			}
		}
	}
}

// note counts the record that comes i-th in the partition's order
// towards its user's tables, making the user when new.
func (g *grouper) note(key uint64, at int64, t int, bit uint16, rule *takeoverRule) {
	u := g.id(key)
	g.lid = append(g.lid, u)
	g.start[u+1]++
	g.masks[u] |= bit
	g.buckets[int(u)*g.types+t] |= rule.bucketBit(at)
}

// place puts the i-th record among its user's, when the user may qualify.
func (g *grouper) place(i int, at int64, meta uint32) {
	if u := g.lid[i]; g.may[u] {
		g.refs[g.start[u+1]] = changeRef{at: at, meta: meta}
		g.start[u+1]++
	}
}

func (g *grouper) reset(bits uint) {
	if n := 1 << bits; cap(g.slots) >= n {
		g.slots = g.slots[:n]
		clear(g.slots)
	} else {
		g.slots = make([]groupSlot, n)
	}
	g.shift = 64 - bits
}

// id returns the local number of a user key, adding it when new.
func (g *grouper) id(key uint64) uint32 {
	// Partitions use the hash's top bits; mix again so that the keys of
	// one partition spread over this table.
	h := (key ^ key>>29) * 0xbf58476d1ce4e5b9
	mask := uint64(len(g.slots) - 1)
	for i := h >> g.shift; ; i = (i + 1) & mask {
		s := &g.slots[i]
		if s.id == 0 {
			break
		}
		if s.key == key {
			return s.id - 1
		}
	}
	id := uint32(len(g.keys))
	g.keys = append(g.keys, key)
	g.masks = append(g.masks, 0)
	for range g.types {
		g.buckets = append(g.buckets, 0)
	}
	g.start = append(g.start, 0)
	if 2*len(g.keys) > len(g.slots) {
		g.grow()
	}
	g.insert(key, h, id)
	return id
}

func (g *grouper) insert(key, h uint64, id uint32) {
	mask := uint64(len(g.slots) - 1)
	i := h >> g.shift
	for g.slots[i].id != 0 {
		i = (i + 1) & mask
	}
	g.slots[i] = groupSlot{key: key, id: id + 1}
}

// grow doubles the table, keeping it at most half full.
func (g *grouper) grow() {
	old := g.slots
	g.slots = make([]groupSlot, 2*len(old))
	g.shift--
	for _, s := range old {
		if s.id != 0 {
			g.insert(s.key, (s.key^s.key>>29)*0xbf58476d1ce4e5b9, s.id-1)
		}
	}
}
