// Package journal keeps cam's on-disk records: the application log's day
// files (AppLog; the lines in them are rendered by internal/applog, whose
// format docs/LOGS.md describes) and the analysts' audit trail
// (append-only JSON lines). Both live
// in the configured log directory, 0600 in a 0700 directory, because they
// name databases, hosts and analysts.
package journal
