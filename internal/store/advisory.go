package store

import (
	"context"
	"hash/fnv"
)

// advisoryLock takes a PostgreSQL transaction-scoped advisory lock named by
// text. The key is computed here (FNV-64a) rather than by the server's
// hashtext(), an undocumented internal function that PostgreSQL-derived
// databases (KingbaseES, openGauss) need not share; see docs/databases.md.
// SQLite has one writer and needs no lock.
func (tx *Tx) advisoryLock(ctx context.Context, name string) error {
	if tx.d != Postgres {
		return nil
	}
	_, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, advisoryKey(name))
	return err
}

// advisoryKey is the lock key of name: the 64-bit FNV-1a hash as a bigint.
func advisoryKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return int64(h.Sum64())
}
