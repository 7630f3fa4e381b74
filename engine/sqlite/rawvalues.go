package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"slices"
	"strings"

	"cam/engine"
)

// rawConn reads every value exactly as SQLite stores it. modernc's driver
// turns text in a column declared DATE, DATETIME or TIMESTAMP into a
// time.Time labelled UTC (and has no switch to stop it), which would read a
// New York wall clock five hours off. cam wraps each query so every result
// column passes through SQLite's unary "+": it keeps the value and its
// storage class but has no declared type, so the driver hands over text as
// text, integers as integers, and the engine parses timestamps itself in
// the database's zone.
type rawConn struct {
	driver.Conn
}

// queryer is what rawConn needs of modernc's connection.
type queryer interface {
	driver.QueryerContext
}

// QueryContext runs a SELECT or WITH query with its declared column types
// stripped. Anything else (which the SQL check never lets through) goes to
// the driver as written, so the session's authorizer answers it plainly.
func (c rawConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(queryer)
	if !ok {
		return nil, errors.New("sqlite: driver connection cannot run queries")
	}
	if !startsWithQueryKeyword(query) {
		return q.QueryContext(ctx, query, args)
	}
	names, err := columnNames(ctx, q, query, args)
	if err != nil {
		return nil, err
	}
	if read := onlyRead(names, engine.ResultColumns(ctx)); read != nil {
		names = read
	}
	rows, err := q.QueryContext(ctx, untypedSelect(query, names), args)
	if err != nil {
		return nil, err
	}
	return boundMappedPages(rows), nil
}

// onlyRead returns the result's columns that cam reads, in the result's
// order, or nil when it reads them all or one it reads is missing (the
// engine then names the missing column beside those the query returns).
// SQLite does not decode a column the wrapper leaves out, and the driver
// does not copy it: on the issue #17 bench, whose change queries return
// four columns cam has no use for, a run took 11% less CPU.
func onlyRead(names, read []string) []string {
	if len(read) == 0 {
		return nil
	}
	isRead := func(n string) bool {
		return slices.ContainsFunc(read, func(r string) bool { return strings.EqualFold(n, r) })
	}
	var kept []string
	for _, n := range names {
		if isRead(n) {
			kept = append(kept, n)
		}
	}
	for _, r := range read {
		if !slices.ContainsFunc(kept, func(n string) bool { return strings.EqualFold(n, r) }) {
			return nil
		}
	}
	if len(kept) == len(names) {
		return nil
	}
	return kept
}

// Ping passes through, so cam check can reach the file.
func (c rawConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// ResetSession passes through to modernc's connection.
func (c rawConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

// columnNames asks SQLite for the result's column names without running
// the query (LIMIT 0 stops before the first row).
func columnNames(ctx context.Context, q queryer, query string, args []driver.NamedValue) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT * FROM (\n"+query+"\n) LIMIT 0", args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := rows.Columns()
	// Drain: LIMIT 0 yields no row, but Next reports any late error.
	if err := rows.Next(make([]driver.Value, len(names))); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return names, nil
}

// untypedSelect wraps query so each column is "+name AS name".
func untypedSelect(query string, names []string) string {
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		id := quoteIdent(n)
		b.WriteString("+" + id + " AS " + id)
	}
	b.WriteString(" FROM (\n")
	b.WriteString(query)
	b.WriteString("\n)")
	return b.String()
}

func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// startsWithQueryKeyword reports whether the first word of sql, after
// white space and comments, is SELECT or WITH.
func startsWithQueryKeyword(sql string) bool {
	for {
		sql = strings.TrimLeft(sql, " \t\r\n")
		switch {
		case strings.HasPrefix(sql, "--"):
			end := strings.IndexByte(sql, '\n')
			if end < 0 {
				return false
			}
			sql = sql[end+1:]
		case strings.HasPrefix(sql, "/*"):
			end := strings.Index(sql, "*/")
			if end < 0 {
				return false
			}
			sql = sql[end+2:]
		default:
			word := sql
			if i := strings.IndexFunc(sql, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') }); i >= 0 {
				word = sql[:i]
			}
			return strings.EqualFold(word, "SELECT") || strings.EqualFold(word, "WITH")
		}
	}
}
