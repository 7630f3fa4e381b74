package report

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// schema is the subset of JSON Schema (2020-12) that
// testdata/ecs-alert.schema.json uses. A keyword outside it fails the load,
// so the schema cannot grow a rule this validator silently ignores.
type schema struct {
	Type                 any                `json:"type"`
	Required             []string           `json:"required"`
	Properties           map[string]*schema `json:"properties"`
	AdditionalProperties *bool              `json:"additionalProperties"`
	Items                *schema            `json:"items"`
	Enum                 []any              `json:"enum"`
	Const                any                `json:"const"`
	Minimum              *float64           `json:"minimum"`
	Maximum              *float64           `json:"maximum"`
	MinItems             *int               `json:"minItems"`
	MinLength            *int               `json:"minLength"`
	Pattern              string             `json:"pattern"`
	Format               string             `json:"format"`
	AnyOf                []*schema          `json:"anyOf"`
	// Annotations, not checked.
	Schema string `json:"$schema"`
	ID     string `json:"$id"`
	Title  string `json:"title"`
}

// schemaFile is the JSON Schema every NDJSON line must meet.
const schemaFile = "testdata/ecs-alert.schema.json"

func loadSchema(t *testing.T) *schema {
	t.Helper()
	b, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	var s schema
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("%s: %v (a keyword the test validator does not know?)", schemaFile, err)
	}
	return &s
}

// validate returns every way v (decoded with UseNumber) breaks s, each
// naming the field's path.
func (s *schema) validate(path string, v any) []string {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	if s.Type != nil && !typeMatches(s.Type, v) {
		bad("is %T, want type %v", v, s.Type)
		return errs
	}
	if s.Const != nil && !jsonEqual(s.Const, v) {
		bad("is %v, want %v", v, s.Const)
	}
	if s.Enum != nil && !slices.ContainsFunc(s.Enum, func(e any) bool { return jsonEqual(e, v) }) {
		bad("%v is not one of %v", v, s.Enum)
	}
	if len(s.AnyOf) > 0 && !slices.ContainsFunc(s.AnyOf, func(sub *schema) bool { return len(sub.validate(path, v)) == 0 }) {
		bad("%v matches none of anyOf", v)
	}
	switch x := v.(type) {
	case map[string]any:
		for _, r := range s.Required {
			if _, ok := x[r]; !ok {
				bad("%q is missing", r)
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub, ok := s.Properties[k]
			switch {
			case ok:
				errs = append(errs, sub.validate(path+"."+k, x[k])...)
			case s.AdditionalProperties != nil && !*s.AdditionalProperties:
				bad("%q is not in the schema", k)
			}
		}
	case []any:
		if s.MinItems != nil && len(x) < *s.MinItems {
			bad("has %d items, want at least %d", len(x), *s.MinItems)
		}
		if s.Items != nil {
			for i, e := range x {
				errs = append(errs, s.Items.validate(fmt.Sprintf("%s[%d]", path, i), e)...)
			}
		}
	case json.Number:
		f, _ := x.Float64()
		if s.Minimum != nil && f < *s.Minimum {
			bad("%v is below %v", f, *s.Minimum)
		}
		if s.Maximum != nil && f > *s.Maximum {
			bad("%v is above %v", f, *s.Maximum)
		}
	case string:
		if s.MinLength != nil && len([]rune(x)) < *s.MinLength {
			bad("%q is shorter than %d", x, *s.MinLength)
		}
		if s.Pattern != "" && !regexp.MustCompile(s.Pattern).MatchString(x) {
			bad("%q does not match %s", x, s.Pattern)
		}
		if s.Format != "" && !formatMatches(s.Format, x) {
			bad("%q is not a %s", x, s.Format)
		}
	}
	return errs
}

func typeMatches(want any, v any) bool {
	var names []string
	switch w := want.(type) {
	case string:
		names = []string{w}
	case []any:
		for _, n := range w {
			names = append(names, fmt.Sprint(n))
		}
	}
	for _, n := range names {
		switch x := v.(type) {
		case map[string]any:
			if n == "object" {
				return true
			}
		case []any:
			if n == "array" {
				return true
			}
		case string:
			if n == "string" {
				return true
			}
		case bool:
			if n == "boolean" {
				return true
			}
		case nil:
			if n == "null" {
				return true
			}
		case json.Number:
			if n == "number" {
				return true
			}
			if _, err := x.Int64(); n == "integer" && err == nil {
				return true
			}
		}
	}
	return false
}

func formatMatches(format, s string) bool {
	switch format {
	case "date-time":
		_, err := time.Parse(time.RFC3339, s)
		return err == nil
	case "ipv4":
		a, err := netip.ParseAddr(s)
		return err == nil && a.Is4()
	case "ipv6":
		a, err := netip.ParseAddr(s)
		return err == nil && a.Is6()
	}
	panic("the test validator does not know format " + format)
}

// jsonEqual compares a schema value with a decoded one (numbers as text).
func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// validateNDJSON checks every line of out against the schema and returns
// how many lines there were.
func validateNDJSON(t *testing.T, s *schema, out string) int {
	t.Helper()
	n := 0
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			t.Errorf("line %d is empty", i+1)
			continue
		}
		n++
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Errorf("line %d is not JSON: %v", i+1, err)
			continue
		}
		if dec.More() {
			t.Errorf("line %d holds more than one value", i+1)
		}
		for _, e := range s.validate("$", v) {
			t.Errorf("line %d: %s", i+1, e)
		}
	}
	return n
}

// TestValidatorRejects keeps the validator honest: each broken line must
// be refused, naming the field.
func TestValidatorRejects(t *testing.T) {
	s := loadSchema(t)
	var buf strings.Builder
	if err := WriteNDJSON(&buf, fixture(), NDJSONOptions{SID: "AUDITOR1"}); err != nil {
		t.Fatal(err)
	}
	first := strings.SplitN(buf.String(), "\n", 2)[0]
	cases := []struct {
		name, field string
		edit        func(m map[string]any)
	}{
		{"kind not alert", "$.event.kind", func(m map[string]any) { m["event"].(map[string]any)["kind"] = "event" }},
		{"severity as a word", "$.event.severity", func(m map[string]any) { m["event"].(map[string]any)["severity"] = "high" }},
		{"no rule name", "$.rule", func(m map[string]any) { delete(m["rule"].(map[string]any), "name") }},
		{"unknown category", "$.event.category[0]", func(m map[string]any) { m["event"].(map[string]any)["category"] = []any{"sql"} }},
		{"bad source ip", "$.source.ip", func(m map[string]any) { m["source"] = map[string]any{"ip": "unknown"} }},
		{"bad timestamp", "$.@timestamp", func(m map[string]any) { m["@timestamp"] = "yesterday" }},
		{"unknown field", "$", func(m map[string]any) { m["user_id"] = "1" }},
		{"run id not a number", "$.labels.run_id", func(m map[string]any) { m["labels"].(map[string]any)["run_id"] = "x" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var good map[string]any
			dec := json.NewDecoder(strings.NewReader(first))
			dec.UseNumber()
			if err := dec.Decode(&good); err != nil {
				t.Fatal(err)
			}
			if errs := s.validate("$", good); len(errs) > 0 {
				t.Fatalf("the unedited line fails: %v", errs)
			}
			c.edit(good)
			errs := s.validate("$", good)
			if !slices.ContainsFunc(errs, func(e string) bool { return strings.HasPrefix(e, c.field+":") }) {
				t.Errorf("errors %v name no %s", errs, c.field)
			}
		})
	}
}
