package report

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"unicode/utf8"

	"cam/engine"
	"cam/engine/detect"
)

// WriteJSON streams the JSON document of a result to w: byte for byte what
// NewDocument(res, sid, reports) with Mailto set to mailto would Write,
// without holding the document. A run with a million alerts used to build
// them all as values and then the whole indented text; here each alert is
// encoded straight from the findings into a buffered writer.
func WriteJSON(w io.Writer, res engine.Result, sid string, reports []string, mailto string) error {
	return writeJSON(w, res, sid, reports, mailto, nil, false)
}

// WriteJSONTriage is WriteJSON with each alert's triage state from lookup:
// every alert gains id, status, first_seen_run, new and suppressed. Unless
// all, resolved and suppressed alerts are left out (`cam run --json`
// without --all).
func WriteJSONTriage(w io.Writer, res engine.Result, sid string, reports []string, mailto string, lookup TriageLookup, all bool) error {
	return writeJSON(w, res, sid, reports, mailto, lookup, all)
}

func writeJSON(w io.Writer, res engine.Result, sid string, reports []string, mailto string, lookup TriageLookup, all bool) error {
	head := NewDocument(engine.Result{RunID: res.RunID, StartedAt: res.StartedAt, FinishedAt: res.FinishedAt,
		StartDate: res.StartDate, Mode: res.Mode, LastEventTime: res.LastEventTime, Complete: res.Complete, TakeoverTypes: res.TakeoverTypes,
		Queries: res.Queries, Findings: detect.Findings{Takeovers: res.Findings.Takeovers, Candidates: res.Findings.Candidates}},
		sid, reports)
	bw := bufio.NewWriterSize(w, 64<<10)
	s := &jsonStream{w: bw}
	s.raw("{\n")
	s.field("run", head.Run, false)
	s.array("queries", len(head.Queries), func(i int) { s.value(head.Queries[i], "    ") })
	s.array("suspicious_users", len(head.SuspiciousUsers), func(i int) { s.value(head.SuspiciousUsers[i], "    ") })
	s.array("incomplete_candidates", len(head.IncompleteCandidates), func(i int) { s.value(head.IncompleteCandidates[i], "    ") })
	alerts := res.Findings.Alerts
	order := alertOrder(alerts)
	var states []*AlertTriage
	if lookup != nil {
		order, states = withTriage(alerts, order, lookup, all)
	}
	s.array("alerts", len(order), func(i int) {
		var t *AlertTriage
		if states != nil {
			t = states[i]
		}
		s.alert(&alerts[order[i]], t)
	})
	s.field("reports", head.Reports, mailto == "")
	if mailto != "" {
		s.field("mailto", mailto, true)
	}
	s.raw("}\n")
	if s.err != nil {
		return s.err
	}
	return bw.Flush()
}

// jsonStream writes the document's pieces, remembering the first error.
type jsonStream struct {
	w   *bufio.Writer
	buf []byte
	err error
}

func (s *jsonStream) raw(text string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(text)
	}
}

func (s *jsonStream) bytes(b []byte) {
	if s.err == nil {
		_, s.err = s.w.Write(b)
	}
}

// value writes v as encoding/json indents it at depth prefix.
func (s *jsonStream) value(v any, prefix string) {
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil && s.err == nil {
		s.err = err
	}
	s.bytes(b)
}

// field writes a top-level member.
func (s *jsonStream) field(name string, v any, last bool) {
	s.raw("  \"" + name + "\": ")
	s.value(v, "  ")
	if last {
		s.raw("\n")
	} else {
		s.raw(",\n")
	}
}

// array writes a top-level array member of n elements, each by elem.
func (s *jsonStream) array(name string, n int, elem func(i int)) {
	s.raw("  \"" + name + "\": ")
	if n == 0 {
		s.raw("[],\n")
		return
	}
	s.raw("[\n")
	for i := range n {
		s.raw("    ")
		elem(i)
		if i < n-1 {
			s.raw(",\n")
		}
	}
	s.raw("\n  ],\n")
}

// alert writes one AlertInfo exactly as encoding/json would, without the
// reflection and the intermediate value.
func (s *jsonStream) alert(a *detect.Alert, t *AlertTriage) {
	b := s.buf[:0]
	b = append(b, "{\n      \"rule\": "...)
	b = appendJSONString(b, string(a.Rule))
	b = append(b, ",\n      \"severity\": "...)
	b = appendJSONString(b, a.Severity.String())
	b = append(b, ",\n      \"user\": "...)
	b = appendJSONString(b, a.User)
	b = append(b, ",\n      \"database\": "...)
	b = appendJSONString(b, a.Database)
	b = append(b, ",\n      \"first_seen\": \""...)
	b = a.FirstSeen.UTC().AppendFormat(b, "2006-01-02T15:04:05Z07:00")
	b = append(b, "\",\n      \"last_seen\": \""...)
	b = a.LastSeen.UTC().AppendFormat(b, "2006-01-02T15:04:05Z07:00")
	b = append(b, "\",\n      \"count\": "...)
	b = strconv.AppendInt(b, int64(a.Count), 10)
	b = append(b, ",\n      \"message\": "...)
	b = appendJSONString(b, a.Message)
	if t != nil {
		b = appendTriage(b, t)
	}
	b = append(b, "\n    }"...)
	s.buf = b
	s.bytes(b)
}

// appendJSONString appends s quoted as encoding/json quotes it. Text that
// encoding/json writes unchanged (valid UTF-8 without control characters,
// quotes, backslashes, <, >, & or U+2028/U+2029) is copied; anything else
// goes through encoding/json itself.
func appendJSONString(b []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				plain = false
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			plain = false
			break
		}
		i += size
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, q...)
}
