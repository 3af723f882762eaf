package web

import (
	"context"
	"fmt"
	"slices"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// infoWork puts the 约稿 a unit has not yet answered in the 待办 of those who
// report for it: its head and its 文秘 (of the unit or one of its sections).
type infoWork struct{ srv *Server }

func (w infoWork) Work(ctx context.Context, v *Viewer, q WorkQuery) (Worklists, error) {
	var out Worklists
	if len(v.Positions) == 0 {
		return out, nil
	}
	us, err := w.srv.units(ctx)
	if err != nil {
		return out, fmt.Errorf("info work: %w", err)
	}
	units := make(map[string]org.Unit, len(us))
	for _, u := range us {
		units[u.ID] = u
	}
	var reports []string
	for _, p := range v.Positions {
		organ := org.OrganOf(units, p.UnitID)
		if (p.UnitID == organ && org.HeadTitle(p.Title)) || slices.ContainsFunc(v.Roles, func(r org.RoleAssignment) bool {
			return r.Role == org.RoleClerk && org.OrganOf(units, r.UnitID) == organ
		}) {
			if !slices.Contains(reports, organ) {
				reports = append(reports, organ)
			}
		}
	}
	if len(reports) == 0 {
		return out, nil
	}
	todo, err := w.srv.store.InfoTodoOf(ctx, reports)
	if err != nil {
		return out, fmt.Errorf("info work: %w", err)
	}
	out.Counts.Todo = len(todo)
	if !slices.Contains(q.Tabs, "todo") {
		return out, nil
	}
	now := w.srv.store.Now()
	for i, x := range todo {
		if q.Limit > 0 && i >= q.Limit {
			break
		}
		s := x.Solicitation
		it := WorkItem{Kind: "约稿", Title: s.Topic, From: units[s.OfficeID].Name, URL: "/info/new?solicitation=" + s.ID, Due: s.Due, State: "正常"}
		if now.After(s.Due) {
			it.State = "逾期"
		}
		out.Todo = append(out.Todo, it)
	}
	return out, nil
}
