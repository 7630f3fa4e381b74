package report

import (
	"fmt"
	"strings"
)

// Export formats.
const (
	FormatXLSX = "xlsx" // the workbook
	FormatCSV  = "csv"  // suspicious users and alerts as two CSV files
	FormatEML  = "eml"  // a mail draft naming the report, for clients without mailto
)

// ParseFormats reads a comma-separated format list such as "xlsx,csv"
// (case-insensitive, spaces allowed, duplicates dropped). An unknown or
// empty name is an error that names it.
func ParseFormats(list string) ([]string, error) {
	var out []string
	seen := make(map[string]bool)
	for _, f := range strings.Split(list, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		switch f {
		case FormatXLSX, FormatCSV, FormatEML:
		case "":
			return nil, fmt.Errorf("export formats %q: empty format name (use xlsx, csv, eml)", list)
		default:
			return nil, fmt.Errorf("export format %q is unknown (use xlsx, csv, eml)", f)
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out, nil
}
