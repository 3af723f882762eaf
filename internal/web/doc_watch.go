package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// The 办文 watch (办文预警): what an office must chase across its organ — the
// copies it sent that receivers have not signed for in time, its own copies
// not signed for, handovers not acknowledged, steps past their time. It is
// the office's view of "五不让": nothing piles up, no handover breaks.

// watchRow is one late item as the office sees it.
type watchRow struct {
	Why     string    `json:"why"`  // 逾期未签收 / 交接未确认 / 逾期未办
	Sent    bool      `json:"sent"` // a copy of a document this organ issued, late at its receiver
	DocID   string    `json:"doc_id"`
	Title   string    `json:"title"`
	Number  string    `json:"number,omitempty"`
	Level   string    `json:"classification,omitempty"`
	Step    string    `json:"step"`
	Who     string    `json:"waiting_on"` // the assignee, or the receiving unit of a copy
	Handed  time.Time `json:"handed_at"`
	Due     time.Time `json:"due"`
	Overdue string    `json:"overdue"` // how long past, in words
}

type watchData struct {
	Organs  []watchOrgan `json:"organs"`
	Allowed bool         `json:"-"`
}

type watchOrgan struct {
	ID   string     `json:"id"`
	Name string     `json:"name"`
	Sent []watchRow `json:"sent"` // copies this organ issued, not signed for in time
	Own  []watchRow `json:"own"`  // late work on this organ's own documents
	// Duty: shifts of the organ's office without their log or handover,
	// and handovers not acknowledged (duty.go).
	Duty []dutyWatchRow `json:"duty"`
}

// watchOrgans are the organs whose office the viewer works in: as its
// director, clerk or confidential clerk, or as a head of the organ.
func watchOrgans(v *Viewer, units map[string]org.Unit) []string {
	var out []string
	add := func(unit string) {
		id := organOfUnit(units, unit)
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, a := range v.Roles {
		switch a.Role {
		case org.RoleOfficeDirector, org.RoleClerk, org.RoleConfidentialClerk:
			add(a.UnitID)
		}
	}
	for _, p := range v.Positions {
		if u, ok := units[p.UnitID]; ok && org.HeadTitle(p.Title) && u.Kind != org.KindSection {
			add(p.UnitID)
		}
	}
	return out
}

// organOfUnit walks up past sections.
func organOfUnit(units map[string]org.Unit, id string) string {
	for range 16 {
		u, ok := units[id]
		if !ok {
			return ""
		}
		if u.Kind != org.KindSection || u.ParentID == "" {
			return id
		}
		id = u.ParentID
	}
	return id
}

func (srv *Server) watchData(ctx context.Context, v *Viewer) (watchData, error) {
	var d watchData
	n, err := srv.names(ctx)
	if err != nil {
		return d, err
	}
	organs := watchOrgans(v, n.units)
	d.Allowed = len(organs) > 0
	now := srv.store.Now()
	var actor *route.Actor
	// may decides a row like the lists do; a classified document is shown
	// only to someone on its route or granted it.
	may := func(rec store.DocRecord) (bool, error) {
		if rec.ID == "" {
			return false, nil
		}
		involved := false
		if rec.Level() > org.Unclassified {
			if actor == nil {
				a, err := srv.store.Actor(ctx, v.Person.ID, now)
				if err != nil {
					return false, err
				}
				actor = &a
			}
			ok, err := srv.store.Involved(ctx, rec.ID, *actor)
			if err != nil {
				return false, err
			}
			involved = ok
		}
		return access.Decide(v.Subject, access.ReadObject, docObject(rec, v.Person.ID, involved)).Allow, nil
	}
	for _, id := range organs {
		late, err := srv.store.LateTasks(ctx, id, now, 500)
		if err != nil {
			return d, err
		}
		o := watchOrgan{ID: id, Name: n.units[id].Name}
		var sources map[string]store.DocRecord
		at := map[string]int{} // task → its line, in Own or Sent
		for _, t := range late {
			row := watchRow{Why: t.Why.Label(), Step: t.Step, Handed: t.Handed, Due: t.Due, Overdue: overdueFor(now.Sub(t.Due))}
			shown := t.Doc
			if t.Doc.OrganID != id { // a copy of a document this organ sent
				if sources == nil {
					sources = map[string]store.DocRecord{}
				}
				src, ok := sources[t.SourceID]
				if !ok {
					if src, err = srv.store.Document(ctx, t.SourceID); err != nil {
						return d, err
					}
					sources[t.SourceID] = src
				}
				shown, row.Sent, row.Who = src, true, n.units[t.Doc.UnitID].Name
			} else {
				row.Who = n.assignee(route.Assignee{Kind: route.AssigneeKind(t.Kind), Person: t.Person, Role: t.Role, Unit: t.Unit})
			}
			ok, err := may(shown)
			if err != nil {
				return d, err
			}
			if !ok {
				continue
			}
			row.DocID, row.Title = shown.ID, shown.Doc.Title
			if shown.Direction == store.Incoming {
				row.Number = shown.InNumber
			} else {
				row.Number = shown.DocNumber
			}
			if shown.Level() > org.Unclassified {
				row.Level = shown.Level().Label()
			}
			// A task late in two ways (past its time and never acknowledged)
			// is one line with both names.
			list := &o.Own
			if row.Sent {
				list = &o.Sent
			}
			key := t.Doc.ID + "#" + strconv.Itoa(t.TaskID)
			if k, ok := at[key]; ok {
				(*list)[k].Why += "、" + row.Why
				continue
			}
			at[key] = len(*list)
			*list = append(*list, row)
		}
		if o.Duty, err = srv.dutyWatch(ctx, id, now); err != nil {
			return d, err
		}
		d.Organs = append(d.Organs, o)
	}
	return d, nil
}

// overdueFor says how long past due, as an office says it.
func overdueFor(d time.Duration) string {
	switch {
	case d < time.Hour:
		return "不足1小时"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "小时"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "天"
}

// docWatch answers the page and the API alike; the API refuses someone
// outside any office, the page tells them what it is for.
func (srv *Server) docWatch(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	d, err := srv.watchData(r.Context(), viewerFrom(r.Context()))
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if !isAPI(r) {
		srv.render(w, r, http.StatusOK, "doc_watch", pageData{Title: "办文预警", Nav: "docs", Data: d})
		return
	}
	if !d.Allowed {
		writeJSONError(w, http.StatusForbidden, "仅机关办公室人员和机关负责人可查看办文预警")
		return
	}
	writeJSON(w, http.StatusOK, d)
}
