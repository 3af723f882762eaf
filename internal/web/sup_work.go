package web

import (
	"context"
	"fmt"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// supWork puts supervision items on the workbench: for the 督查室, items to
// assign, to review and those overdue; for a unit, items to sign for and those
// whose light is yellow or red. The scope is the same as the item lists'.
type supWork struct{ srv *Server }

func (w supWork) Work(ctx context.Context, s access.Subject) (Worklists, error) {
	var out Worklists
	v, err := w.srv.loadViewer(ctx, s.PersonID)
	if err != nil {
		return out, err
	}
	f := store.SupFilter{Open: true, Limit: 200, Now: w.srv.store.Now()}
	if err := w.srv.supScope(ctx, v, &f); err != nil {
		return out, err
	}
	items, err := w.srv.store.SupItems(ctx, f)
	if err != nil {
		return out, fmt.Errorf("supervision work: %w", err)
	}
	office := supOffice(v) != ""
	for _, it := range items {
		var todo bool
		switch {
		case office:
			todo = it.State == supervise.Registered || it.State == supervise.PendingReview || it.Light == supervise.Red
		default:
			todo = it.State == supervise.Assigned || it.Light == supervise.Yellow || it.Light == supervise.Red
		}
		if !todo {
			continue
		}
		out.Todo = append(out.Todo, WorkItem{Kind: "督办", Title: it.Title, From: it.Source.Label(),
			URL: "/supervise/items/" + it.ID, Due: it.Due, State: lightState(it.Light)})
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
