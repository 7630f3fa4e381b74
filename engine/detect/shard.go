package detect

import (
	"strings"
	"unsafe"
)

// ChangeShard takes one query's change events without the accumulator's
// lock: the records go to the shard's own partitions, which Findings reads
// beside the accumulator's (a user's events may lie in several shards; the
// partition of a user is the same in each). Only a text user id or a new
// source takes the lock, to intern it. A shard is used by one goroutine at
// a time, and all adds must be done before Findings is called.
type ChangeShard struct {
	a       *Accumulator
	changes changeStores
	// The last source: a query's rows all name the same one.
	db, query string
	src       uint32
	hasSrc    bool
}

// NewChangeShard returns a shard whose events count in this accumulator's
// findings.
func (a *Accumulator) NewChangeShard() *ChangeShard {
	s := &ChangeShard{a: a}
	a.mu.Lock()
	a.shards = append(a.shards, s)
	a.mu.Unlock()
	return s
}

// AddChanges records a batch of change events, as Accumulator.AddChanges
// does. The strings of the batch may be reused once it returns.
func (s *ChangeShard) AddChanges(batch []ChangeEvent) {
	a := s.a
	// A query's events share a type: look it up when it changes.
	lastType, lastIndex := "", -1
	// Nor does its source change: within one batch (whose strings stay
	// put until it returns) a source naming the same bytes as the last
	// event's is the same source, without comparing the text.
	var srcDB, srcQuery string // the last event's, compared by address and length
	var src uint32
	haveSrc := false
	// And so their store: found again only when the meta changes.
	var st *changeStore
	anchored := a.p.Anchor != nil
	for i := range batch {
		e := &batch[i]
		if lastIndex < 0 || !sameBytes(string(e.Type), lastType) && string(e.Type) != lastType {
			lastType, lastIndex = string(e.Type), a.typeIndex(e.Type)
		}
		if lastIndex < 0 {
			continue // a type the rule does not use
		}
		// The usual event is prepareTyped's first case, checked here
		// without its calls: an instant well inside the range, no
		// anchor, an id of plain digits. prepareTyped decides the rest.
		sec, nsec := e.Time.Unix(), int64(e.Time.Nanosecond())
		key, ok := number(e.User)
		if !ok || sec <= minSec || sec >= maxSec || anchored {
			p := a.prepareTyped(e, preparedChange{typ: int8(lastIndex), key: notNumeric})
			if p.typ < 0 {
				continue
			}
			sec, nsec, key = p.sec, int64(p.nsec), p.key
			if key == notNumeric {
				a.mu.Lock()
				key = textual | uint64(a.users.id(strings.TrimSpace(e.User)))
				a.mu.Unlock()
			}
		}
		if !haveSrc || !sameBytes(e.Database, srcDB) || !sameBytes(e.Query, srcQuery) {
			src, srcDB, srcQuery, haveSrc = s.source(e), e.Database, e.Query, true
		}
		if meta := src<<typeBits | uint32(lastIndex); st == nil || st.meta != meta {
			st = s.changes.of(meta, sec)
		}
		st.add(key, sec, nsec)
	}
}

// sameBytes reports whether two strings are the same bytes in memory
// (and so equal, while neither is overwritten).
func sameBytes(x, y string) bool {
	return len(x) == len(y) && unsafe.StringData(x) == unsafe.StringData(y)
}

// source returns the event's source id, interning it under the lock when
// it differs from the last one.
func (s *ChangeShard) source(e *ChangeEvent) uint32 {
	if s.hasSrc && e.Database == s.db && e.Query == s.query {
		return s.src
	}
	a := s.a
	a.mu.Lock()
	s.src = a.sources.id(e.Database, e.Query)
	src := a.sources.get(s.src) // the table's own copies
	a.mu.Unlock()
	s.db, s.query, s.hasSrc = src.db, src.query, true
	return s.src
}
