// Package queries embeds the SQL that ships with cam: the Oracle audit
// queries that `cam init` writes into a new config directory, the MySQL
// activity query of the DAM schema that `cam init --dam` writes (under
// mysql/), and the SQLite queries of the embedded demo (under demo/).
package queries

import "embed"

// Files holds every shipped .sql file: Oracle queries at the top level,
// MySQL queries under mysql/, demo queries under demo/.
//
//go:embed *.sql demo/*.sql mysql/*.sql
var Files embed.FS
