package detect

import (
	"slices"

	"cam/config"
)

// Change events are kept partitioned by user: the partition of a record is
// a hash of its user key, so every event of one user lands in partition k
// of whichever store (one per source and type, in the accumulator and in
// each shard) takes it. Adding is an append to one of a store's 256 tails
// (which stay in cache); Findings then takes partition k of every store
// at once, split by user into sub-groups whose tables fit the level 1
// cache, instead of looking a million users up in one table that misses
// the cache on every event.

// partitionBits sizes the partitioning: 256 partitions, so that 10M events
// over 1M users give ~40k records (320-480 KB) and ~4k users per partition,
// whose grouping table stays in the processor's cache, while the 256 tails
// being appended to stay few enough for the cache too (1,024 partitions
// measured slower: ~4.4M against ~5.2M events per CPU second; in the third
// round 512 and 1,024 both ~13% slower than 256, and 128 no better).
const partitionBits = 8

const partitions = 1 << partitionBits

// maxChunk is the largest chunk of a partition, in records (12 KiB of
// narrow ones). Chunks never move once full, so a partition grows without
// the copy (and the momentary double size) of one growing slice; the first
// chunks are small so that a demo run does not pay for a thousand full
// chunks.
const maxChunk = 1024

const firstChunk = 8

// secRec is one change event in 8 bytes, the usual form: the user's
// number (when it fits 32 bits, as bank ids do) and the instant in whole
// seconds from its store's base (text timestamps mostly have no
// fraction). Its source and type (the record's meta) are those of its
// store: a query adds events of one source and one type, so they are kept
// once per store instead of in every record. Each byte saved is a page
// fault fewer per 4 KiB of records (~2.8 us each on the test VM) and less
// memory to stream while grouping.
type secRec struct {
	key uint32 // the user's number
	sec uint32 // Unix seconds - the store's base
}

// changeRec is a change event with a narrow key whose instant has a
// fraction of a second, or lies too far from its store's base for a
// secRec, in 12 bytes: the instant as two halves, so that the record needs
// no 8-byte alignment.
type changeRec struct {
	key    uint32 // the user's number
	lo, hi uint32 // Unix nanoseconds, low and high halves
}

func (r *changeRec) at() int64 { return int64(uint64(r.hi)<<32 | uint64(r.lo)) }

// wideRec is a change event whose user key does not fit 32 bits: a text
// id (textual|index) or a number of 2^32 or more.
type wideRec struct {
	key uint64
	at  int64 // Unix nanoseconds
}

// typeBits is the width of the change type index in a record's meta.
const typeBits = 4

// MaxChangeTypes is the most change types the takeover rule can take; the
// type index must fit in typeBits.
const MaxChangeTypes = config.MaxChangeTypes

const _ = uint(1<<typeBits - MaxChangeTypes) // fails to compile when the index does not fit

const typeMask = MaxChangeTypes - 1

// chunks is records of one width in arrival order: the full chunks, then
// the tail being filled (empty only while there are none). It keeps no
// count, which cost a write per add: grouping sums its few chunks instead.
type chunks[R secRec | changeRec | wideRec] struct {
	full [][]R
	tail []R
}

func (c *chunks[R]) add(r R) { addTo(&c.full, &c.tail, r) }

// addTo appends r to the records whose full chunks and tail these are.
func addTo[R secRec | changeRec | wideRec](full *[][]R, tail *[]R, r R) {
	if len(*tail) == cap(*tail) {
		retire(full, tail)
	}
	*tail = append(*tail, r)
}

// retire moves a full tail to the full chunks and starts the next, kept
// out of addTo so that the common append inlines.
//
//go:noinline
func retire[R secRec | changeRec | wideRec](full *[][]R, tail *[]R) {
	if len(*tail) > 0 {
		*full = append(*full, *tail)
	}
	// Chunks double up to maxChunk: no chunk is ever copied.
	*tail = make([]R, 0, max(firstChunk, min(2*cap(*tail), maxChunk)))
}

// chunk returns the i-th chunk in arrival order, for i up to len(c.full)
// (the tail).
func (c *chunks[R]) chunk(i int) []R { return chunkOf(c.full, c.tail, i) }

// chunkOf returns the i-th of full chunks followed by a tail.
func chunkOf[R secRec | changeRec | wideRec](full [][]R, tail []R, i int) []R {
	if i < len(full) {
		return full[i]
	}
	return tail
}

// len returns the number of records.
func (c *chunks[R]) len() int {
	n := len(c.tail)
	for _, f := range c.full {
		n += len(f)
	}
	return n
}

// partition is the change records of the users that hash to it, but for
// its tails (in its store's tail arrays), in three forms: whole seconds
// near the store's base with a narrow key (secRec), other instants with a
// narrow key (changeRec), and wide keys. A user's records may lie in
// several forms, each in arrival order: the rule sorts a user's records by
// time and type, and two records of one store at one instant are the same
// event to it (same source, type and instant), so their order within a
// store never shows in the findings.
type partition struct {
	secs [][]secRec    // whole-second records' full chunks
	full [][]changeRec // other narrow records' full chunks
	wide chunks[wideRec]
}

// changeStore is the change events of one meta (source id << typeBits |
// change type index).
type changeStore struct {
	meta uint32
	// base is the Unix second a secRec counts from: 2^31 seconds (68
	// years) before the store's first instant, so that a secRec holds
	// the 136 years around it, and instants further away take the
	// 12-byte form.
	base int64
	// secs[k] is partition k's whole-second tail, where nearly every
	// add goes: the 256 tails' headers lie together (6 KiB), so that
	// adds spread over them touch a quarter of the cache lines they did
	// inside the partitions. tails[k] is its 12-byte tail, idle unless
	// instants have fractions. Arrays: indexing by partitionOf needs no
	// bounds check.
	secs  [partitions][]secRec
	tails [partitions][]changeRec
	parts [partitions]partition
}

// newChangeStore returns the store of meta, whose first instant is sec
// (Unix seconds).
func newChangeStore(meta uint32, sec int64) *changeStore {
	return &changeStore{meta: meta, base: sec - 1<<31}
}

// partitionOf spreads user keys over the partitions (the top bits of a
// multiplicative hash; the grouping table uses other bits).
func partitionOf(key uint64) uint64 { return (key * 0x9e3779b97f4a7c15) >> (64 - partitionBits) }

// add stores the event of user key at Unix nanosecond at.
func (s *changeStore) add(key uint64, at int64) {
	k := partitionOf(key)
	if key >= 1<<32 {
		s.parts[k].wide.add(wideRec{key: key, at: at})
		return
	}
	// The usual case: a whole second within 2^32 seconds of the base (sec
	// is within about ±2^33 of it, so the difference never overflows).
	// Division truncates towards zero, so a whole second before 1970 is
	// still the one whose product is at.
	sec := at / 1e9
	if off := uint64(sec - s.base); off>>32 == 0 && sec*1e9 == at {
		addTo(&s.parts[k].secs, &s.secs[k], secRec{key: uint32(key), sec: uint32(off)})
		return
	}
	addTo(&s.parts[k].full, &s.tails[k], changeRec{key: uint32(key), lo: uint32(at), hi: uint32(uint64(at) >> 32)})
}

// secChunk returns partition k's i-th whole-second chunk in arrival
// order, for i up to len(s.parts[k].secs) (the tail).
func (s *changeStore) secChunk(k, i int) []secRec { return chunkOf(s.parts[k].secs, s.secs[k], i) }

// narrow returns partition k's i-th 12-byte chunk in arrival order, for i
// up to len(s.parts[k].full) (the tail).
func (s *changeStore) narrow(k, i int) []changeRec { return chunkOf(s.parts[k].full, s.tails[k], i) }

// at returns the Unix nanoseconds of a whole-second record.
func (s *changeStore) at(r secRec) int64 { return (s.base + int64(r.sec)) * 1e9 }

// len returns the number of records in partition k.
func (s *changeStore) len(k int) int {
	n := len(s.secs[k]) + len(s.tails[k]) + s.parts[k].wide.len()
	for _, c := range s.parts[k].secs {
		n += len(c)
	}
	for _, c := range s.parts[k].full {
		n += len(c)
	}
	return n
}

// empty reports whether partition k has no records.
func (s *changeStore) empty(k int) bool {
	return len(s.secs[k]) == 0 && len(s.tails[k]) == 0 && len(s.parts[k].wide.tail) == 0
}

// changeStores is the change events of a run (or of one shard), a store
// per meta. A query's events share one; events added one by one from
// several queries switch among a few, so a store is found through a small
// table indexed by the meta's low bits (its type, mostly) before the list.
type changeStores struct {
	list   []*changeStore
	recent [16]*changeStore
}

func (s *changeStores) add(meta uint32, key uint64, at int64) {
	st := s.recent[meta%16]
	if st == nil || st.meta != meta {
		st = s.of(meta, at/1e9)
	}
	st.add(key, at)
}

// of returns the store of meta, making it when new with its base near sec
// (the instant about to be added).
func (s *changeStores) of(meta uint32, sec int64) *changeStore {
	i := slices.IndexFunc(s.list, func(st *changeStore) bool { return st.meta == meta })
	if i < 0 {
		i = len(s.list)
		s.list = append(s.list, newChangeStore(meta, sec))
	}
	s.recent[meta%16] = s.list[i]
	return s.list[i]
}

// Activity flags: which rules an activity record feeds.
const (
	flagOffHours uint8 = 1 << iota
	flagGuestWrite
	flagFailedLogin
)

// activityRec is one activity event that some rule can use; the rest are
// dropped on arrival. Strings are interned ids; a numeric user id is its
// number, which spares a lookup in the table of a million users per row.
type activityRec struct {
	at         int64  // Unix nanoseconds
	user       uint64 // the user's key, as a change record's
	day        int32  // days since 1970-01-01 in the business zone
	src        uint32
	op, status uint32
	ip         uint32
	flags      uint8
}
