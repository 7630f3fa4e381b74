// Package queries embeds the SQL that ships with cam: the Oracle audit
// queries that `cam init` writes into a new config directory, and the
// SQLite queries of the embedded demo (under demo/).
package queries

import "embed"

// Files holds every shipped .sql file: Oracle queries at the top level,
// demo queries under demo/.
//
//go:embed *.sql demo/*.sql
var Files embed.FS
