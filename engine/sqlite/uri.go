package sqlite

import "strings"

// uriPath escapes the characters that end a path in an SQLite URI
// filename, so a path from databases.yaml cannot add its own parameters
// (a "?mode=rw" or "_pragma=query_only(0)" of its own).
func uriPath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}
