package detect

import (
	"strings"

	"cam/config"
)

// ChangeRow is one row of a change query as its ChangeShard takes it. The
// shard knows the query's source and change type, which are the same for
// every row, so a row is only its user and instant: 24 bytes to write and
// read back per row, where a ChangeEvent is 88.
type ChangeRow struct {
	User string // the id as read; trimmed here when it is not plain digits
	At   int64  // Unix nanoseconds: every instant cam accepts fits
}

// ChangeShard takes one query's change rows without the accumulator's
// lock: the records go to the shard's own store, which Findings reads
// beside the accumulator's (a user's events may lie in several shards; the
// partition of a user is the same in each). Only a text user id takes the
// lock, to intern it. A shard is used by one goroutine at a time, and all
// adds must be done before Findings is called.
type ChangeShard struct {
	a       *Accumulator
	changes changeStores
	meta    uint32       // the query's source and type, as a store's meta
	use     bool         // the takeover rule uses the query's type
	st      *changeStore // the store of meta, made by the first row kept
}

// NewChangeShard returns a shard for the rows of one change query, of
// change type ct from source (database, query), whose events count in
// this accumulator's findings. Rows of a type the takeover rule does not
// use are ignored.
func (a *Accumulator) NewChangeShard(database, query string, ct config.ChangeType) *ChangeShard {
	s := &ChangeShard{a: a}
	typ := a.typeIndex(ct)
	s.use = typ >= 0
	a.mu.Lock()
	s.meta = a.sources.id(database, query)<<typeBits | uint32(max(typ, 0))
	a.shards = append(a.shards, s)
	a.mu.Unlock()
	return s
}

// window returns the instants a change counts between, inclusive, in Unix
// nanoseconds: cam's range, cut in anchored mode to [T - window, T]. An
// anchor outside cam's range leaves an empty or whole window, as comparing
// each instant with it would. NewAccumulator keeps it as from and to, which
// both ways of adding changes compare with.
func (a *Accumulator) window() (from, to int64) {
	from, to = MinTime.UnixNano(), MaxTime.UnixNano()
	at := a.p.Anchor
	if at == nil {
		return from, to
	}
	if at.Before(MinTime) {
		return from, from - 1 // nothing counts
	}
	if at.Before(MaxTime) {
		to = at.UnixNano()
	}
	if start := at.Add(-a.p.TakeoverWindow); start.After(MinTime) && !start.After(MaxTime) {
		from = start.UnixNano()
	} else if start.After(MaxTime) {
		return from, from - 1
	}
	return from, to
}

// AddChanges records a batch of the query's rows. In anchored mode rows
// outside [T - window, T] are dropped here, so they cost no memory, as are
// rows outside cam's range and rows without a user. The users' text may be
// reused once it returns.
func (s *ChangeShard) AddChanges(batch []ChangeRow) {
	if !s.use {
		return
	}
	from, to := s.a.from, s.a.to
	st := s.st
	for i := range batch {
		r := &batch[i]
		at := r.At
		if at < from || at > to {
			continue
		}
		// Most ids are plain digits, read without trimming.
		key, ok := number(r.User)
		if !ok {
			if key = s.textKey(r.User); key == notNumeric {
				continue
			}
		}
		if st == nil {
			st = s.changes.of(s.meta, at/1e9)
			s.st = st
		}
		st.add(key, at)
	}
}

// textKey returns the key of an id that is not plain digits: the number
// it holds once trimmed, or its interned text, or notNumeric when it is
// blank.
func (s *ChangeShard) textKey(user string) uint64 {
	user = strings.TrimSpace(user)
	if user == "" {
		return notNumeric
	}
	a := s.a
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.userKey(user)
}
