// Package journal keeps cam's on-disk records: the application log
// (one file per day, in the seed's "[timestamp] [level] [module] message"
// format) and the analysts' audit trail (append-only JSON lines). Both live
// in the configured log directory, 0600 in a 0700 directory, because they
// name databases, hosts and analysts.
package journal
