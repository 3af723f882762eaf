package web

import (
	"context"
	"fmt"
	"slices"

	"github.com/shuniu-oa/shuniu/internal/store"
)

// reqWork puts the 用印 and 用车 requests waiting for the viewer (an
// approval, 用印, 派车, 还车登记) in the workbench's 待办.
type reqWork struct{ srv *Server }

func (w reqWork) Work(ctx context.Context, v *Viewer, q WorkQuery) (Worklists, error) {
	var out Worklists
	a, err := w.srv.store.Actor(ctx, v.Person.ID, w.srv.store.Now())
	if err != nil {
		return out, fmt.Errorf("request work: %w", err)
	}
	f := store.ReqFilter{Todo: &a}
	if out.Counts.Todo, err = w.srv.store.CountRequests(ctx, f); err != nil {
		return out, fmt.Errorf("request work: %w", err)
	}
	if out.Counts.Todo == 0 || !slices.Contains(q.Tabs, "todo") {
		return out, nil
	}
	f.Limit = q.Limit
	rs, err := w.srv.store.Requests(ctx, f)
	if err != nil {
		return out, fmt.Errorf("request work: %w", err)
	}
	n, err := w.srv.reqNamesOf(ctx)
	if err != nil {
		return out, err
	}
	now := w.srv.store.Now()
	for _, r := range rs {
		it := WorkItem{Kind: r.Kind.Label(), Title: r.Title() + "（" + r.StepName() + "）", From: n.Unit(r.UnitID), URL: "/requests/" + r.ID, State: "正常"}
		for _, t := range r.Route.OpenTasks() {
			it.Due = t.Due
		}
		if !it.Due.IsZero() && now.After(it.Due) {
			it.State = "逾期"
		}
		out.Todo = append(out.Todo, it)
	}
	return out, nil
}
