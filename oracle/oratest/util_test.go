package oratest

import "strings"

func containsFold(s, part string) bool {
	return strings.Contains(strings.ToUpper(s), strings.ToUpper(part))
}
