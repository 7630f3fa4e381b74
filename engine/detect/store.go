package detect

import "cam/config"

// Change events are kept partitioned by user: the partition of a record is
// a hash of its user key, so every event of one user lands in one
// partition. Adding is an append to one of a thousand tails (which stay in
// cache); Findings then groups one partition at a time in a table small
// enough for the processor's cache, instead of looking a million users up
// in one table that misses the cache on every event.

// partitionBits sizes the partitioning: 256 partitions, so that 10M events
// over 1M users give ~40k records (~800 KB) and ~4k users per partition,
// whose grouping table stays in the processor's cache, while the 256 tails
// being appended to stay few enough for the cache too (1,024 partitions
// measured slower: ~4.4M against ~5.2M events per CPU second).
const partitionBits = 8

const partitions = 1 << partitionBits

// maxChunk is the largest chunk of a partition, in records (20 KiB).
// Chunks never move once full, so a partition grows without the copy (and
// the momentary double size) of one growing slice; the first chunks are
// small so that a demo run does not pay for a thousand full chunks.
const maxChunk = 1024

const firstChunk = 8

// changeRec is one change event in 20 bytes: its 64-bit fields are kept
// as halves so that the record needs no 8-byte alignment (24 bytes with
// padding; a fifth of the store for ten million events).
type changeRec struct {
	keyLo, keyHi uint32 // the user's number, or textual|index into the text ids
	atLo, atHi   uint32 // Unix nanoseconds
	meta         uint32 // source id << typeBits | change type index
}

func newChangeRec(key uint64, at int64, meta uint32) changeRec {
	return changeRec{keyLo: uint32(key), keyHi: uint32(key >> 32), atLo: uint32(at), atHi: uint32(uint64(at) >> 32), meta: meta}
}

func (r *changeRec) key() uint64 { return uint64(r.keyHi)<<32 | uint64(r.keyLo) }
func (r *changeRec) at() int64   { return int64(uint64(r.atHi)<<32 | uint64(r.atLo)) }

// typeBits is the width of the change type index in a record's meta.
const typeBits = 4

// MaxChangeTypes is the most change types the takeover rule can take; the
// type index must fit in typeBits.
const MaxChangeTypes = config.MaxChangeTypes

const _ = uint(1<<typeBits - MaxChangeTypes) // fails to compile when the index does not fit

const typeMask = MaxChangeTypes - 1

// partition is the change records of the users that hash to it, in
// arrival order: the full chunks, then the tail being filled.
type partition struct {
	full [][]changeRec
	tail []changeRec
	n    int
}

// changeStore is every change event of a run.
type changeStore struct {
	parts []partition
	n     int
}

func newChangeStore() changeStore { return changeStore{parts: make([]partition, partitions)} }

// partitionOf spreads user keys over the partitions (the top bits of a
// multiplicative hash; the grouping table uses other bits).
func partitionOf(key uint64) uint64 { return (key * 0x9e3779b97f4a7c15) >> (64 - partitionBits) }

func (s *changeStore) add(r changeRec) {
	p := &s.parts[partitionOf(r.key())]
	if len(p.tail) == cap(p.tail) {
		if len(p.tail) > 0 {
			p.full = append(p.full, p.tail)
		}
		// Chunks double up to maxChunk: no chunk is ever copied.
		p.tail = make([]changeRec, 0, max(firstChunk, min(2*cap(p.tail), maxChunk)))
	}
	p.tail = append(p.tail, r)
	p.n++
	s.n++
}

// each calls f for every chunk of the partition, in arrival order.
func (p *partition) each(f func([]changeRec)) {
	for _, c := range p.full {
		f(c)
	}
	if len(p.tail) > 0 {
		f(p.tail)
	}
}

// Activity flags: which rules an activity record feeds.
const (
	flagOffHours uint8 = 1 << iota
	flagGuestWrite
	flagFailedLogin
)

// activityRec is one activity event that some rule can use; the rest are
// dropped on arrival. Strings are interned ids.
type activityRec struct {
	at         int64 // Unix nanoseconds
	user       uint32
	day        int32 // days since 1970-01-01 in the business zone
	src        uint32
	op, status uint32
	ip         uint32
	flags      uint8
}
