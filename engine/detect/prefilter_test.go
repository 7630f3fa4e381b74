package detect

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// mayQualify never rejects a user in whom firstWindow finds a window (for
// the rule's minimum or a candidate's types): random users of up to 40
// events, spans from zero to decades, instants from 1900 to 2200 (where
// the differences overflow), and any minimum. It must also reject often,
// or it saves nothing.
func TestMayQualifyNeverRejectsAWindow(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	spans := []time.Duration{0, 1, time.Second, time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 100 * 365 * 24 * time.Hour}
	lo, hi := MinTime.UnixNano(), MaxTime.UnixNano()
	rejected, found := 0, 0
	for iter := range 50000 {
		nt := 1 + rng.IntN(MaxChangeTypes)
		r := takeoverRule{all: 1<<nt - 1, span: spans[rng.IntN(len(spans))]}
		r.need = 1 + rng.IntN(nt)
		if rng.IntN(3) == 0 {
			r.partial = uint16(rng.IntN(1<<nt)) & r.all
		}
		r.bucketShift = uint(bits.Len64(uint64(max(r.span, 1) - 1)))
		// Events within a few spans of one another, now and then one at
		// either end of the range cam accepts.
		base, spread := int64(rng.Uint64N(1<<62)), 1+4*int64(r.span)
		recs := make([]changeRef, 1+rng.IntN(40))
		for i := range recs {
			at := base + rng.Int64N(max(spread, 1))
			switch rng.IntN(50) {
			case 0:
				at = lo + rng.Int64N(1000)
			case 1:
				at = hi - rng.Int64N(1000)
			}
			recs[i] = changeRef{at: at, meta: uint32(rng.IntN(nt))}
		}
		sorted := slices.Clone(recs)
		sortChanges(sorted)
		_, want := firstWindow(sorted, r.all, r.need, r.span)
		if r.partial != 0 {
			_, ok := firstWindow(sorted, r.partial, bits.OnesCount16(r.partial), r.span)
			want = want || ok
		}
		got := r.mayQualify(recs)
		if want && !got {
			t.Fatalf("iteration %d: rejected a user with a window: rule %+v, events %v", iter, r, recs)
		}
		if !got {
			rejected++
		}
		if want {
			found++
		}
	}
	if rejected < 5000 || found < 5000 {
		t.Errorf("%d users rejected, %d with a window, of 50000: the cases do not exercise the filter", rejected, found)
	}
}
