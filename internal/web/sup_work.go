package web

import (
	"context"
	"fmt"
	"slices"

	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// supWork puts supervision items on the workbench: for the 督查室, items to
// assign, to review and those overdue; for a unit, items to sign for and those
// whose light is yellow or red. The scope is the same as the item lists'.
// Both the selection and the count are made in the database.
type supWork struct{ srv *Server }

func (w supWork) Work(ctx context.Context, v *Viewer, q WorkQuery) (Worklists, error) {
	var out Worklists
	f := store.SupFilter{Open: true, Now: w.srv.store.Now()}
	if err := w.srv.supScope(ctx, v, &f); err != nil {
		return out, err
	}
	if supOffice(v) != "" {
		f.AnyState, f.AnyLight = []supervise.State{supervise.Registered, supervise.PendingReview}, []supervise.Color{supervise.Red}
	} else {
		f.AnyState, f.AnyLight = []supervise.State{supervise.Assigned}, []supervise.Color{supervise.Yellow, supervise.Red}
	}
	n, err := w.srv.store.CountSupItems(ctx, f)
	if err != nil {
		return out, fmt.Errorf("supervision work: %w", err)
	}
	out.Counts.Todo = n
	if n == 0 || !slices.Contains(q.Tabs, "todo") {
		return out, nil
	}
	f.Limit = q.Limit
	items, err := w.srv.store.SupItems(ctx, f)
	if err != nil {
		return out, fmt.Errorf("supervision work: %w", err)
	}
	for _, it := range items {
		out.Todo = append(out.Todo, WorkItem{Kind: "督办", Title: it.Title, From: it.Source.Label(),
			URL: "/supervise/items/" + it.ID, Due: it.Due, State: lightState(it.Light), ItemID: it.ID})
	}
	return out, nil
}

// lightState reads a warning light as the workbench's 正常/即将到期/逾期.
func lightState(c supervise.Color) string {
	switch c {
	case supervise.Red:
		return "逾期"
	case supervise.Yellow:
		return "即将到期"
	}
	return "正常"
}
