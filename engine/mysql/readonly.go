package mysql

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
)

// readOnlySessionSQL makes every later transaction of the session, and so
// every autocommitted statement, read-only: a write that got past the SQL
// check fails on the server (error 1792) instead of changing data. It does
// not stop SELECT ... INTO OUTFILE, which writes no table; the SQL check
// and a SELECT-only account do.
const readOnlySessionSQL = "SET SESSION TRANSACTION READ ONLY"

// readOnlySession runs readOnlySessionSQL on a new connection.
func readOnlySession(ctx context.Context, conn driver.Conn) error {
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		return errors.New("mysql driver connection cannot run statements")
	}
	if _, err := ex.ExecContext(ctx, readOnlySessionSQL, nil); err != nil {
		return fmt.Errorf("making the session read-only: %w", err)
	}
	return nil
}
