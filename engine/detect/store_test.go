package detect

import (
	"cmp"
	"math"
	"slices"
	"testing"
)

// storeRec is a change record as a store gives it back.
type storeRec struct {
	key uint64
	at  int64
}

// storeForms returns a store's records by form (whole seconds, 12-byte,
// wide), each in partition order and arrival order within a partition.
func storeForms(s *changeStore) (secs, narrow, wide []storeRec) {
	for k := range s.parts {
		for j := range len(s.parts[k].secs) + 1 {
			for _, r := range s.secChunk(k, j) {
				secs = append(secs, storeRec{uint64(r.key), s.at(r)})
			}
		}
		for j := range len(s.parts[k].full) + 1 {
			for _, r := range s.narrow(k, j) {
				narrow = append(narrow, storeRec{uint64(r.key), r.at()})
			}
		}
		w := &s.parts[k].wide
		for j := range len(w.full) + 1 {
			for _, r := range w.chunk(j) {
				wide = append(wide, storeRec(r))
			}
		}
	}
	return secs, narrow, wide
}

// splitNanos is at as Unix seconds (rounded down) and nanoseconds.
func splitNanos(at int64) (sec, nsec int64) {
	sec, nsec = at/1e9, at%1e9
	if nsec < 0 {
		sec, nsec = sec-1, nsec+1e9
	}
	return sec, nsec
}

// A store gives back every record as added, whatever the width of its key
// and the sign, size and fraction of its instant: a record takes the 8-byte
// form only with a key below 2^32 and a whole second within 2^32 seconds
// of the store's base, and each form keeps a user's records in arrival
// order.
func TestStoreKeepsKeysAndInstants(t *testing.T) {
	keys := []uint64{0, 7, 1<<32 - 1, 1 << 32, 1<<63 - 1, textual, textual | 5}
	const first = 1764300000 // the first instant sets the base
	base := int64(first - 1<<31)
	instants := []int64{first * 1e9, 0, -1, 1, math.MinInt64, math.MaxInt64, 1<<32 - 1, 1 << 32, -1 << 32,
		1764300000123456789, base * 1e9, (base - 1) * 1e9, (base + 1<<32 - 1) * 1e9, (base + 1<<32) * 1e9,
		(base+1<<32-1)*1e9 + 1}
	var want []storeRec
	s := newChangeStore(0, first)
	for i := range 3000 {
		r := storeRec{keys[i%len(keys)], instants[i/len(keys)%len(instants)] + int64(i/(len(keys)*len(instants)))*1e9}
		s.add(r.key, r.at)
		want = append(want, r)
	}
	secs, narrow, wide := storeForms(s)
	for _, r := range secs {
		if sec, nsec := splitNanos(r.at); r.key >= 1<<32 || nsec != 0 || sec < base || sec >= base+1<<32 {
			t.Errorf("key %d at %d stored in 8 bytes", r.key, r.at)
		}
	}
	for _, r := range narrow {
		if sec, nsec := splitNanos(r.at); nsec == 0 && sec >= base && sec < base+1<<32 {
			t.Errorf("key %d at %d stored in 12 bytes", r.key, r.at)
		}
	}
	for _, r := range wide {
		if r.key < 1<<32 {
			t.Errorf("key %d stored wide", r.key)
		}
	}
	if len(secs) == 0 || len(narrow) == 0 || len(wide) == 0 {
		t.Fatalf("forms hold %d, %d and %d records: the test misses one", len(secs), len(narrow), len(wide))
	}
	for k := range s.parts {
		if s.len(k) == 0 != s.empty(k) {
			t.Errorf("partition %d: %d records, empty %v", k, s.len(k), s.empty(k))
		}
	}
	// Partitions interleave users; each form keeps a user's records in
	// order, and together the forms hold every record once.
	got := slices.Concat(secs, narrow, wide)
	for _, key := range keys {
		other := func(r storeRec) bool { return r.key != key }
		for _, form := range [][]storeRec{secs, narrow, wide} {
			g := slices.DeleteFunc(slices.Clone(form), other)
			in := func(r storeRec) bool { return !slices.Contains(g, r) }
			if w := slices.DeleteFunc(slices.DeleteFunc(slices.Clone(want), other), in); !slices.Equal(g, w) {
				t.Errorf("key %#x: a form holds %d records, want %d (or out of order)", key, len(g), len(w))
			}
		}
		byTime := func(x, y storeRec) int { return cmp.Compare(x.at, y.at) }
		g, w := slices.DeleteFunc(slices.Clone(got), other), slices.DeleteFunc(slices.Clone(want), other)
		slices.SortFunc(g, byTime)
		slices.SortFunc(w, byTime)
		if !slices.Equal(g, w) {
			t.Errorf("key %#x: got %d records, want %d", key, len(g), len(w))
		}
	}
}
