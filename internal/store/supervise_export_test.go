package store

import "context"

// SupExecForTest runs a statement in the transaction: tests put rows in the
// state a migration left them in.
func SupExecForTest(ctx context.Context, tx *Tx, q string, args ...any) error {
	_, err := tx.exec(ctx, q, args...)
	return err
}
