package detect

import (
	"strings"
	"testing"
)

// isFailure reads a status as the rule always has (trimmed, six or seven
// bytes, lower-cased, "failed" or "failure"), also for letters that fold
// or lower-case oddly: the Turkish dotted and dotless i, the Kelvin sign,
// the long s, full-width letters.
func TestIsFailureMatchesLowerCasing(t *testing.T) {
	for _, s := range []string{"FAILED", "Failed", " failure ", "FaIlUrE", "failed\t", "fail", "SUCCESS", "",
		"FAİLED", "faıled", "FAILURE\u212a", "FAİLURE", "fai\u212aed", "faiſed", "ﬁled", "failedx", "ailure", "FAILUREs", "ＦＡＩＬＥＤ"} {
		t.Run(s, func(t *testing.T) {
			// The rule as it was: trimmed, six or seven bytes, lower-cased.
			low := strings.TrimSpace(s)
			if len(low) == 6 || len(low) == 7 {
				low = strings.ToLower(low)
			}
			if want := low == "failed" || low == "failure"; isFailure(s) != want {
				t.Errorf("isFailure(%q) = %v, want %v", s, !want, want)
			}
		})
	}
}
