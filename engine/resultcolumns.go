package engine

import "context"

// resultColumnsKey carries, in a query's context, the names of the columns
// cam reads from its result.
type resultColumnsKey struct{}

// withResultColumns records in ctx the columns cam will read.
func withResultColumns(ctx context.Context, names []string) context.Context {
	return context.WithValue(ctx, resultColumnsKey{}, names)
}

// ResultColumns returns the names (as configured; match them without
// regard to case) of the columns cam reads from the result of the query
// run with ctx, or nil when it did not say. A driver that rewrites the
// query anyway may select only these: cam never reads the others, and a
// column not selected is a column the database does not decode. A driver
// that cannot find every name must return the whole result, so that the
// engine's message about a missing column lists what the query returns.
func ResultColumns(ctx context.Context) []string {
	names, _ := ctx.Value(resultColumnsKey{}).([]string)
	return names
}

// readColumns are the names of the columns the rules read from the
// query's rows, by the query's column mapping.
func (x *execution) readColumns() []string {
	q := x.job.query
	var names []string
	for _, role := range rolesRead(q.Kind) {
		if name, ok := q.Columns[role]; ok {
			names = append(names, name)
		}
	}
	return names
}
