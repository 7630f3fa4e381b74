package config

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with the configuration, located precisely
// enough that an admin can fix it without guessing.
type Problem struct {
	File    string // base name of the file (databases.yaml, app_settings.yaml) or an environment variable
	Entry   string // e.g. `databases[1] "account_activity_analysis"`; may be empty
	Field   string // e.g. `sql_queries[0] "Get all password changes": query_location`
	Message string
}

func (p Problem) Error() string {
	parts := []string{p.File}
	if p.Entry != "" {
		parts = append(parts, p.Entry)
	}
	if p.Field != "" {
		parts = append(parts, p.Field)
	}
	return strings.Join(parts, ": ") + ": " + p.Message
}

// Problems is every problem found in one load; Load returns all of them at
// once so an admin fixes the file in one pass.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// add records a problem.
func (ps *Problems) add(file, entry, field, format string, args ...any) {
	*ps = append(*ps, Problem{File: file, Entry: entry, Field: field, Message: fmt.Sprintf(format, args...)})
}
