package store

import (
	"context"
	"sync"

	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// SupFactCache keeps the statistics' facts in memory and brings them up to
// date before each use by reading only the items written since (their rev is
// above the last one read). Revisions are handed out under the row lock of
// sup_rev, so they commit in order: nothing written is ever skipped, and
// several servers each keep their own cache correct.
//
// No lock is held across a read of the database or a calculation: each
// revision's facts are an immutable supervise.FactView, read by any number of
// viewers at once while a newer one is made beside it. Viewers that need a
// newer revision than the cache holds share one read of the changed rows
// (they need its result anyway) instead of each reading them.
type SupFactCache struct {
	mu      sync.Mutex // guards the fields below only
	view    *supervise.FactView
	rev     int64
	loading *factLoad // the read under way, if any
}

// factLoad is one read of the changed rows, shared by those who wait for it.
type factLoad struct {
	done chan struct{}
	rev  int64 // the revision it brings the facts to
	view *supervise.FactView
	err  error
}

// With brings the facts up to date and calls fn with them; fn must not keep
// the view after it returns.
func (c *SupFactCache) With(ctx context.Context, s *Store, fn func(v *supervise.FactView) error) error {
	var last int64
	if err := s.queryRow(ctx, `SELECT last FROM sup_rev WHERE id = 1`).Scan(&last); err != nil {
		return err
	}
	for {
		c.mu.Lock()
		view, rev := c.view, c.rev
		if view != nil && rev >= last {
			c.mu.Unlock()
			return fn(view)
		}
		if l := c.loading; l != nil {
			c.mu.Unlock()
			select {
			case <-l.done:
			case <-ctx.Done():
				return ctx.Err()
			}
			if l.err == nil && l.rev >= last {
				return fn(l.view)
			}
			continue // it failed (another caller's context?) or is too old: read again
		}
		l := &factLoad{done: make(chan struct{}), rev: last}
		c.loading = l
		c.mu.Unlock()

		l.view, l.err = s.supFactView(ctx, view, rev)
		c.mu.Lock()
		if l.err == nil && (c.view == nil || c.rev < l.rev) {
			c.view, c.rev = l.view, l.rev
		}
		c.loading = nil
		c.mu.Unlock()
		close(l.done)
		if l.err != nil {
			return l.err
		}
		return fn(l.view)
	}
}

// supFactView is the view old (at revision after) with the rows changed
// since put in; with no old view, every row is read into a new table.
func (s *Store) supFactView(ctx context.Context, old *supervise.FactView, after int64) (*supervise.FactView, error) {
	if old == nil {
		ft := &supervise.FactTable{}
		if err := s.supFactsSince(ctx, 0, func(lead string, f supervise.Facts) { ft.Put(lead, f) }); err != nil {
			return nil, err
		}
		return supervise.NewFactView(ft), nil
	}
	var changes []supervise.LeadFacts
	if err := s.supFactsSince(ctx, after, func(lead string, f supervise.Facts) {
		changes = append(changes, supervise.LeadFacts{Lead: lead, Facts: f})
	}); err != nil {
		return nil, err
	}
	return old.With(changes), nil
}
