package store

import (
	"context"
	"errors"

	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// nameRefusal rewrites a rule's refusal that names units or people by ID
// (the pure packages know no names) so that it names them as users know
// them: "应由区财政局负责人办理", not "应由b7207209-… 的负责人办理". It reads
// after the write has ended, outside its transaction.
func (s *Store) nameRefusal(ctx context.Context, err error) {
	var sr *supervise.Refusal
	var rr *route.Refusal
	sup := errors.As(err, &sr)
	if !sup && (!errors.As(err, &rr) || len(rr.Assignees()) == 0) {
		return
	}
	units, uerr := s.conn.unitMap(ctx)
	unit := func(id string) string {
		if u, ok := units[id]; ok && uerr == nil {
			if u.ShortName != "" {
				return u.ShortName
			}
			return u.Name
		}
		return "（未知单位）"
	}
	person := func(id string) string {
		if p, err := s.Person(ctx, id); err == nil {
			return p.Name
		}
		return "（未知人员）"
	}
	assignee := func(a route.Assignee) string { return a.Describe(unit, person) }
	if sup {
		sr.Name(unit, assignee)
		return
	}
	rr.Name(assignee)
}
