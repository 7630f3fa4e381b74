package config

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// section reads the keys of one YAML mapping, records a problem for every
// value of the wrong type, and afterwards reports keys nobody asked for, so
// a typo is never silently ignored.
type section struct {
	file, entry, prefix string
	m                   map[string]any
	used                map[string]bool
	probs               *Problems
}

func newSection(file, entry, prefix string, raw any, probs *Problems) *section {
	s := &section{file: file, entry: entry, prefix: prefix, used: map[string]bool{}, probs: probs}
	switch m := raw.(type) {
	case map[string]any:
		s.m = m
	case nil:
		s.m = map[string]any{}
	default:
		probs.add(file, entry, strings.TrimSuffix(prefix, "."), "must be a mapping of keys to values, got %v", describe(raw))
		s.m = map[string]any{}
	}
	return s
}

func (s *section) field(key string) string { return s.prefix + key }

func (s *section) get(key string) (any, bool) {
	s.used[key] = true
	v, ok := s.m[key]
	return v, ok && v != nil
}

func (s *section) bad(key, format string, args ...any) {
	s.probs.add(s.file, s.entry, s.field(key), format, args...)
}

func (s *section) str(key, def string) string {
	v, ok := s.get(key)
	if !ok {
		return def
	}
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case int, int64, float64, bool:
		return fmt.Sprint(t)
	}
	s.bad(key, "must be text, got %s", describe(v))
	return def
}

func (s *section) integer(key string, def int) int {
	v, ok := s.get(key)
	if !ok {
		return def
	}
	switch t := v.(type) {
	case int:
		return t
	case int64:
		return int(t)
	case float64:
		// YAML reads a number too big for an int as a float: say so,
		// rather than wrap it or call it a fraction.
		if t == math.Trunc(t) && math.Abs(t) >= math.MaxInt64 {
			s.bad(key, "%s is too large", describe(v))
			return def
		}
		if t == float64(int(t)) {
			return int(t)
		}
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(t))
		if err == nil {
			return n
		}
		if errors.Is(err, strconv.ErrRange) {
			s.bad(key, "%s is too large", describe(v))
			return def
		}
	}
	s.bad(key, "must be a whole number, got %s", describe(v))
	return def
}

func (s *section) boolean(key string, def bool) bool {
	v, ok := s.get(key)
	if !ok {
		return def
	}
	switch t := v.(type) {
	case bool:
		return t
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true", "yes", "on":
			return true
		case "false", "no", "off":
			return false
		}
	}
	s.bad(key, "must be true or false, got %s", describe(v))
	return def
}

func (s *section) duration(key string, def time.Duration) time.Duration {
	v, ok := s.get(key)
	if !ok {
		return def
	}
	text := fmt.Sprint(v)
	d, err := ParseDuration(text)
	if err != nil {
		s.bad(key, "%v", err)
		return def
	}
	return d
}

func (s *section) strings(key string, def []string) []string {
	v, ok := s.get(key)
	if !ok {
		return def
	}
	switch t := v.(type) {
	case []any:
		out := make([]string, 0, len(t))
		for i, e := range t {
			str, isStr := e.(string)
			if !isStr {
				s.bad(fmt.Sprintf("%s[%d]", key, i), "must be text, got %s", describe(e))
				continue
			}
			out = append(out, strings.TrimSpace(str))
		}
		return out
	case string:
		return SplitList(t)
	}
	s.bad(key, "must be a list, got %s", describe(v))
	return def
}

// written returns every key the section sets (to anything but null) with
// its value as text, trimmed, as the admin wrote it. It marks no key
// read.
func (s *section) written() map[string]string {
	out := make(map[string]string, len(s.m))
	for k, v := range s.m {
		if v == nil {
			continue
		}
		if str, isStr := v.(string); isStr {
			out[k] = strings.TrimSpace(str)
		} else {
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}

// reportUnknown records every key that was never read.
func (s *section) reportUnknown() {
	var unknown []string
	for k := range s.m {
		if !s.used[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		s.bad(k, "unknown key (check the spelling)")
	}
}

// SplitList splits a comma-separated list, trimming items and dropping
// empty ones ("a@x.com, b@x.com").
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func describe(v any) string {
	switch v.(type) {
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("%q", fmt.Sprint(v))
}
