package detect

import (
	"math/rand/v2"
	"testing"
)

// The grouping keeps users by their keys' hashes and names the users of
// its findings from them: every key, narrow, wide or textual, comes back.
func TestUnhashRecoversKeys(t *testing.T) {
	keys := []uint64{0, 1, 1<<29 - 1, 1 << 29, 1<<32 - 1, 1 << 32, 1<<58 + 3, textual, textual | 5, ^uint64(0)}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		keys = append(keys, rng.Uint64())
	}
	for _, k := range keys {
		if got := unhash(groupHash(k)); got != k {
			t.Fatalf("unhash(groupHash(%#x)) = %#x", k, got)
		}
	}
}
