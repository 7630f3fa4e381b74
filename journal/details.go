package journal

import (
	"fmt"
	"time"
)

// detailKind is the one value type a detail key may carry.
type detailKind int

const (
	kindCount    detailKind = iota // any integer
	kindFlag                       // bool
	kindDuration                   // time.Duration, written in nanoseconds
	kindWord                       // a short string from a closed vocabulary (mode, format, rule)
	kindWords                      // []string of kindWord values
	kindPaths                      // []string of file paths that cam itself chose
	kindPath                       // one such path
)

// allowedDetails is the allow-list that keeps personal data out of the
// trail: only counts, flags, durations, cam's own vocabulary and the paths
// of files cam wrote. There is deliberately no free-text key: user ids,
// emails, phones and the filter text (which may be a user id) have nowhere
// to go. Filters are recorded only as filter_active and filter_len.
var allowedDetails = map[string]detailKind{
	"run_id":        kindCount,
	"queries":       kindCount,
	"failed":        kindCount,
	"rows":          kindCount,
	"rejected":      kindCount,
	"suspicious":    kindCount,
	"candidates":    kindCount,
	"alerts":        kindCount,
	"count":         kindCount,
	"recipients":    kindCount,
	"filter_len":    kindCount,
	"complete":      kindFlag,
	"cancelled":     kindFlag,
	"filter_active": kindFlag,
	"duration":      kindDuration,
	"mode":          kindWord,
	"what":          kindWord,
	"signal":        kindWord,
	"formats":       kindWords,
	"files":         kindPaths,
	// triage: the alert's id is a hash of its identity, a word of hex.
	"alert":          kindWord,
	"from":           kindWord,
	"to":             kindWord,
	"reason":         kindWord,
	"rule":           kindWord,
	"note_len":       kindCount,
	"suppression_id": kindCount,
	"file":           kindPath,
}

// maxWordLen bounds kindWord values so a word cannot smuggle a sentence.
const maxWordLen = 32

// CheckDetail reports whether key may appear in an audit line with value.
// Allowed keys and their types: counts run_id, queries, failed, rows,
// rejected, suspicious, candidates, alerts, count, recipients, filter_len
// (integers); flags complete, cancelled, filter_active (bool); duration
// (time.Duration); words mode, what, signal (letters, digits, '_' and
// '-', at most 32; signal names what cancelled a run, e.g. SIGTERM);
// formats ([]string of words); file (string path) and files ([]string
// paths) for files cam wrote; for triage, alert, from, to, reason and rule
// (words: an alert's id is a hash of its identity) and note_len and
// suppression_id (counts).
func CheckDetail(key string, value any) error {
	kind, ok := allowedDetails[key]
	if !ok {
		return fmt.Errorf("audit: detail %q is not allowed (the trail holds no personal values)", key)
	}
	bad := fmt.Errorf("audit: detail %q has a value of type %T, which it may not carry", key, value)
	switch kind {
	case kindCount:
		switch value.(type) {
		case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
			return nil
		}
		return bad
	case kindFlag:
		if _, ok := value.(bool); ok {
			return nil
		}
		return bad
	case kindDuration:
		if _, ok := value.(time.Duration); ok {
			return nil
		}
		return bad
	case kindWord:
		s, ok := value.(string)
		if !ok {
			return bad
		}
		return checkWord(key, s)
	case kindWords:
		ws, ok := value.([]string)
		if !ok {
			return bad
		}
		for _, w := range ws {
			if err := checkWord(key, w); err != nil {
				return err
			}
		}
		return nil
	case kindPath:
		if _, ok := value.(string); ok {
			return nil
		}
		return bad
	case kindPaths:
		if _, ok := value.([]string); ok {
			return nil
		}
		return bad
	}
	return bad
}

// checkWord accepts identifiers such as "sliding", "xlsx" or "brute_force"
// and nothing that could be an email, phone or sentence.
func checkWord(key, s string) error {
	if s == "" || len(s) > maxWordLen {
		return fmt.Errorf("audit: detail %q: word of length %d (1 to %d allowed)", key, len(s), maxWordLen)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return fmt.Errorf("audit: detail %q: %q is not a plain word", key, r)
		}
	}
	return nil
}
