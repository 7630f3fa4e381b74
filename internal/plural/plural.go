// Package plural chooses between a noun's singular and plural, the one
// place every front end and the rules' messages agree on it.
package plural

import "strconv"

// Word returns one when n is 1 and many otherwise:
// Word(n, "query", "queries").
func Word(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Count returns n followed by the noun that fits it: "1 alert", "3 alerts".
func Count(n int, one, many string) string { return strconv.Itoa(n) + " " + Word(n, one, many) }
