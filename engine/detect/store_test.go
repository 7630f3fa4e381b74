package detect

import (
	"math"
	"slices"
	"testing"
)

// A store gives back every record as added, in arrival order per user,
// whatever the width of its key and the sign and size of its instant.
func TestStoreKeepsKeysAndInstants(t *testing.T) {
	keys := []uint64{0, 7, 1<<32 - 1, 1 << 32, 1<<63 - 1, textual, textual | 5}
	instants := []int64{0, -1, 1, math.MinInt64, math.MaxInt64, 1<<32 - 1, 1 << 32, -1 << 32, 1764300000123456789}
	type rec struct {
		key uint64
		at  int64
	}
	var want []rec
	s := newChangeStore(0)
	for i := range 3000 {
		r := rec{keys[i%len(keys)], instants[i/len(keys)%len(instants)] + int64(i/(len(keys)*len(instants)))}
		s.add(r.key, r.at)
		want = append(want, r)
	}
	var got []rec
	for k := range s.parts {
		for j := range len(s.parts[k].full) + 1 {
			for _, r := range s.narrow(k, j) {
				got = append(got, rec{uint64(r.key), r.at()})
			}
		}
		wide := &s.parts[k].wide
		for j := range len(wide.full) + 1 {
			for _, r := range wide.chunk(j) {
				if r.key < 1<<32 {
					t.Errorf("key %d stored wide", r.key)
				}
				got = append(got, rec(r))
			}
		}
		if s.len(k) == 0 != s.empty(k) {
			t.Errorf("partition %d: %d records, empty %v", k, s.len(k), s.empty(k))
		}
	}
	// Partitions interleave users; each user's records keep their order.
	for _, key := range keys {
		isKey := func(r rec) bool { return r.key != key }
		w, g := slices.DeleteFunc(slices.Clone(want), isKey), slices.DeleteFunc(slices.Clone(got), isKey)
		if !slices.Equal(g, w) {
			t.Errorf("key %#x: got %d records, want %d (or out of order)", key, len(g), len(w))
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d records, want %d", len(got), len(want))
	}
}
