package store

import (
	"context"
	"sync"

	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// SupFactCache keeps the statistics' fact table in memory and brings it up to
// date before each use by reading only the items written since (their rev is
// above the last one read). Revisions are handed out under the row lock of
// sup_rev, so they commit in order: nothing written is ever skipped, and
// several servers each keep their own cache correct.
type SupFactCache struct {
	mu  sync.Mutex
	ft  *supervise.FactTable
	rev int64
}

// With brings the table up to date and calls fn with it under the cache's
// lock: fn reads the table and must not keep it.
func (c *SupFactCache) With(ctx context.Context, s *Store, fn func(ft *supervise.FactTable) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var last int64
	if err := s.queryRow(ctx, `SELECT last FROM sup_rev WHERE id = 1`).Scan(&last); err != nil {
		return err
	}
	if c.ft == nil {
		c.ft = &supervise.FactTable{}
	}
	if last != c.rev {
		err := s.supFactsSince(ctx, c.rev, func(lead string, f supervise.Facts) { c.ft.Put(lead, f) })
		if err != nil {
			// Start again from nothing next time rather than keep a half-read table.
			c.ft, c.rev = nil, 0
			return err
		}
		c.rev = last
	}
	return fn(c.ft)
}
