package engine

import (
	"math/rand/v2"
	"time"
)

// Backoff returns the delay before retry number attempt (1 for the first
// retry): base 1 s, factor 2, with ±20% jitter so many analysts' runs do not
// hit a recovering database in step.
func Backoff(attempt int) time.Duration {
	d := time.Second << (attempt - 1)
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}
