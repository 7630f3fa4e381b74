package oracle

import (
	"context"
	"fmt"
)

// Statements that keep an Oracle session read-only. A read-only
// transaction refuses DML (ORA-01456) but reads as of its start, so each
// query gets a new one: the session's first at logon, and a fresh one
// each time database/sql hands the pooled connection out again. The
// account should still hold SELECT grants only: a read-only transaction
// does not stop packages acting outside it (UTL_HTTP, autonomous
// transactions), which the SQL check refuses.
const (
	endTransactionSQL = "COMMIT" // ends the previous read-only transaction; there is nothing to commit
	readOnlySQL       = "SET TRANSACTION READ ONLY"
)

// startReadOnly begins a read-only transaction on the session; after
// the session has run a query, the previous transaction is ended first
// (SET TRANSACTION must open one).
func (c *conn) startReadOnly(ctx context.Context, afterQuery bool) error {
	if afterQuery {
		if _, err := c.ExecContext(ctx, endTransactionSQL, nil); err != nil {
			return fmt.Errorf("ending the read-only transaction: %w", err)
		}
	}
	if _, err := c.ExecContext(ctx, readOnlySQL, nil); err != nil {
		return fmt.Errorf("starting a read-only transaction: %w", err)
	}
	return nil
}
