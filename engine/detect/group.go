package detect

import "slices"

// grouper groups the change records of one sub-group of a partition (split)
// by user in tables sized to it, reused from one to the next: refs[start[u]:
// start[u+1]] are local user u's events (only for users who may qualify),
// in arrival order; hashes[u] is groupHash of u's key (key(u) is the key)
// and masks[u] the types u changed.
type grouper struct {
	slots  []groupSlot
	shift  uint
	hashes []uint64
	// tally[u*stride:(u+1)*stride] is what the first pass learns of local
	// user u, side by side so that a record touches one place, not three
	// arrays: its record count | the types it changed << 32, then the time
	// buckets of its events of each type, for takeoverRule.mayQualify.
	stride int
	tally  []uint64
	masks  []uint16
	may    []bool // mayQualify's answer
	start  []uint32
	lid    []uint32 // each record's local user
	refs   []changeRef
	subs   [][]subRec // split's sub-groups
	cuts   []uint32
}

// groupSlot is one entry of the grouping table: a user's key by its
// groupHash (a bijection, so equal hashes are equal keys); id 0 marks an
// empty slot, so it holds the local user plus one.
type groupSlot struct {
	h  uint64
	id uint32
}

// partRef is partition k of a store.
type partRef struct {
	s *changeStore
	k int
}

// subRec is a change record copied into a sub-group, its user's key
// hashed: split hashes every key to choose its sub-group, so the grouping
// table takes the hash as it is, and a key is recovered (unhash) only for
// the few users who make a finding. Its meta is its part's: a sub-group
// holds each part's records together (cuts).
type subRec struct {
	h  uint64 // groupHash(key)
	at int64
}

// subRecords is the records a sub-group aims at: ~2k records of ~200
// users, whose grouping table and tallies (~26 KB) stay in the level 1
// cache. A whole partition's (~40k records, ~4k users, in the benchmark)
// spill to level 2, which cost two misses a record (~15 ns). A variable so
// that tests can split small runs.
var subRecords = 2048

// maxSubBits bounds the sub-groups of a partition (64).
const maxSubBits = 6

// split copies the records of partition k of every store in parts into
// sub-groups by user, each in arrival order, and returns how many: a
// user's records all land in one. The copy is one sequential read and a
// sequential write per record, cheaper than the cache misses it spares.
// cuts[p*subs+s] is where part p's records end in sub-group s.
func (g *grouper) split(parts []partRef) int {
	n := 0
	for _, p := range parts {
		n += p.s.len(p.k)
	}
	subBits := uint(0)
	for n>>subBits > subRecords && subBits < maxSubBits {
		subBits++
	}
	if cap(g.subs) < 1<<subBits {
		g.subs = make([][]subRec, 1<<maxSubBits)
	}
	subs := g.subs[:1<<subBits]
	for s := range subs {
		subs[s] = subs[s][:0]
	}
	mask := uint64(1)<<subBits - 1
	g.cuts = g.cuts[:0]
	for _, p := range parts {
		for j := range len(p.s.parts[p.k].secs) + 1 {
			c := p.s.secChunk(p.k, j)
			for i := range c {
				h := groupHash(uint64(c[i].key))
				s := subOf(h, mask)
				subs[s] = append(subs[s], subRec{h: h, at: p.s.at(c[i])})
			}
		}
		for j := range len(p.s.parts[p.k].full) + 1 {
			c := p.s.narrow(p.k, j)
			for i := range c {
				h := groupHash(uint64(c[i].key))
				s := subOf(h, mask)
				subs[s] = append(subs[s], subRec{h: h, at: c[i].at()})
			}
		}
		wide := &p.s.parts[p.k].wide
		for j := range len(wide.full) + 1 {
			c := wide.chunk(j)
			for i := range c {
				h := groupHash(c[i].key)
				s := subOf(h, mask)
				subs[s] = append(subs[s], subRec{h: h, at: c[i].at})
			}
		}
		for s := range subs {
			g.cuts = append(g.cuts, uint32(len(subs[s])))
		}
	}
	return len(subs)
}

// groupHash mixes a user key for the grouping table: partitions use the
// top bits of another hash, so the keys of one partition still spread.
func groupHash(key uint64) uint64 { return (key ^ key>>29) * 0xbf58476d1ce4e5b9 }

// unhash returns the key whose groupHash is h: the product is undone by
// the constant's inverse modulo 2^64, then the shifted xor by itself
// (twice, as the shift is under half the width).
func unhash(h uint64) uint64 {
	x := h * 0x96de1b173f119089 // 0xbf58476d1ce4e5b9 * this == 1 mod 2^64
	return x ^ x>>29 ^ x>>58
}

// key returns local user u's key.
func (g *grouper) key(u int) uint64 { return unhash(g.hashes[u]) }

// subOf is the sub-group of a key's groupHash: bits 26 to 31, below those
// a table of up to 2^32 slots indexes by, and above the product's low
// bits, which depend on the key's low bits alone.
func subOf(h, mask uint64) uint64 { return h >> 26 & mask }

// group groups sub-group s of split's parts by user.
func (g *grouper) group(s int, parts []partRef, rule *takeoverRule) {
	recs, subs := g.subs[s], len(g.cuts)/len(parts)
	// Users are at most the records, usually far fewer: start the table
	// at a quarter of the records (so it stays in cache) and grow.
	bits := uint(4)
	for 1<<bits < len(recs)/4 {
		bits++
	}
	g.reset(bits)
	g.hashes, g.masks, g.tally = g.hashes[:0], g.masks[:0], g.tally[:0]
	g.lid = slices.Grow(g.lid[:0], len(recs))[:len(recs)]
	g.stride = 1 + rule.types
	from := uint32(0)
	for p := range parts {
		to := g.cuts[p*subs+s]
		g.count(recs, from, to, int(parts[p].s.meta&typeMask), rule)
		from = to
	}
	total := uint32(0)
	g.may = g.may[:0]
	// start[u+1] is u's next position while placing, then u's end.
	g.start = append(g.start[:0], 0)
	for u := range g.hashes {
		tally := g.tally[u*g.stride : (u+1)*g.stride]
		n, m := uint32(tally[0]), uint16(tally[0]>>32)
		may := rule.eligible(m) && rule.mayQualify(tally[1:])
		if !may {
			n = 0
		}
		g.masks = append(g.masks, m)
		g.may = append(g.may, may)
		g.start = append(g.start, total)
		total += n
	}
	g.refs = g.refs[:0]
	g.refs = append(g.refs, make([]changeRef, total)...)
	from = 0
	for p := range parts {
		meta, to := parts[p].s.meta, g.cuts[p*subs+s]
		for i := from; i < to; i++ {
			if u := g.lid[i]; g.may[u] {
				g.refs[g.start[u+1]] = changeRef{at: recs[i].at, meta: meta}
				g.start[u+1]++
			}
		}
		from = to
	}
}

// count counts records recs[from:to], of type t, towards their users'
// tallies, making users when new, and notes each record's user in lid.
// The table's probe is written out here rather than called (a call per
// record for the lookup and one for the tally cost more than the probe):
// only a new user leaves the loop.
func (g *grouper) count(recs []subRec, from, to uint32, t int, rule *takeoverRule) {
	slots, shift := g.slots, g.shift
	lid, stride := g.lid[:to], g.stride
	for i := from; i < to; i++ {
		h := recs[i].h
		var u uint32
		for j, mask := h>>shift, uint64(len(slots)-1); ; j = (j + 1) & mask {
			if s := &slots[j]; s.id == 0 {
				u = g.add(h)
				slots, shift = g.slots, g.shift // the table may have grown
				break
			} else if s.h == h {
				u = s.id - 1
				break
			}
		}
		lid[i] = u
		// A partition's records number far fewer than 2^32, so the
		// count never reaches the types.
		k, tally := int(u)*stride, g.tally
		tally[k] = (tally[k] + 1) | 1<<(32+t)
		tally[k+1+t] |= rule.bucketBit(recs[i].at)
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

// add makes a new local user, whose key's groupHash is h, and returns its
// number.
func (g *grouper) add(h uint64) uint32 {
	id := uint32(len(g.hashes))
	g.hashes = append(g.hashes, h)
	g.tally = append(g.tally, make([]uint64, g.stride)...)
	if 2*len(g.hashes) > len(g.slots) {
		g.grow()
	}
	g.insert(h, id)
	return id
}

func (g *grouper) insert(h uint64, id uint32) {
	mask := uint64(len(g.slots) - 1)
	i := h >> g.shift
	for g.slots[i].id != 0 {
		i = (i + 1) & mask
	}
	g.slots[i] = groupSlot{h: h, id: id + 1}
}

// grow doubles the table, keeping it at most half full.
func (g *grouper) grow() {
	old := g.slots
	g.slots = make([]groupSlot, 2*len(old))
	g.shift--
	for _, s := range old {
		if s.id != 0 {
			g.insert(s.h, s.id-1)
		}
	}
}
