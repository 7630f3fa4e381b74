package sqltext

// TrimStatementEnd removes the statement's one trailing ";" (allowed in
// query files), keeping any comment after it, so the statement can be
// embedded as a subquery. Comments and strings are respected.
func TrimStatementEnd(sql string, d Dialect) string {
	toks := lexSQL(sql, d)
	if n := len(toks); n > 0 && toks[n-1].kind == tokSemicolon {
		last := toks[n-1]
		return sql[:last.start] + sql[last.end:]
	}
	return sql
}
