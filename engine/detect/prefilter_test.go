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
// events, spans from zero to decades, events close together or spread over
// many buckets, instants from 1900 to 2200, and any minimum. It must also reject often,
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
		r.setBuckets()
		// Events within a few spans of one another, or spread over more
		// than 64 buckets (which then share bits), within the instants
		// the accumulator keeps; now and then one at either end of them,
		// where firstWindow's differences overflow.
		// (hi - lo overflows int64, not uint64.)
		width := uint64(hi - lo)
		spread := width
		if f := []uint64{4, 300}[rng.IntN(2)]; uint64(r.span) < width/f {
			spread = 1 + f*uint64(r.span)
		}
		base := lo + int64(rng.Uint64N(width-spread+1))
		recs := make([]changeRef, 1+rng.IntN(40))
		for i := range recs {
			at := base + int64(rng.Uint64N(spread))
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
		r.types = nt
		in := make([]uint64, nt)
		for _, c := range recs {
			in[c.typ()] |= r.bucketBit(c.at)
		}
		got := r.mayQualify(in)
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
