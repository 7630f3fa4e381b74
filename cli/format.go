package cli

import (
	"fmt"

	"cam/internal/inert"
)

// parseRunFormat reads `cam run --format`: json is --json (the document
// stays as it is), ndjson one ECS object per alert per line. It sets
// *asJSON for json and reports whether the output is NDJSON.
func parseRunFormat(format string, asJSON *bool, io IO) (ndjson, ok bool) {
	switch format {
	case "":
		return false, true
	case "json":
		*asJSON = true
		return false, true
	case "ndjson":
		if *asJSON {
			fmt.Fprintln(io.Err, "cam run: use either --json or --format ndjson, not both")
			return false, false
		}
		return true, true
	}
	fmt.Fprintf(io.Err, "cam run: --format %q: want json or ndjson\n", inert.Text(format))
	return false, false
}
