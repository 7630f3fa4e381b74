package applog

import "regexp"

var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// International numbers (leading '+'): local-format numbers are not
	// masked, since they cannot be told apart from counts and dates.
	phonePattern = regexp.MustCompile(`\+\d[\d \-().]{5,}\d`)
)

// Mask replaces email addresses and '+'-prefixed phone numbers in s with
// the placeholders [email] and [phone].
func Mask(s string) string {
	s = emailPattern.ReplaceAllString(s, "[email]")
	return phonePattern.ReplaceAllString(s, "[phone]")
}
