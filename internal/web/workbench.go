package web

import (
	"context"
	"net/http"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// WorkItem is one line of a person's 待办, 待阅 or 已办 list.
type WorkItem struct {
	Kind  string    `json:"kind"` // e.g. 发文, 收文, 督办
	Title string    `json:"title"`
	From  string    `json:"from"`
	URL   string    `json:"url"`
	Due   time.Time `json:"due,omitempty"`
	State string    `json:"state"` // 正常 / 即将到期 / 逾期
}

// Worklists are a person's three lists.
type Worklists struct {
	Todo   []WorkItem `json:"todo"`
	ToRead []WorkItem `json:"to_read"`
	Done   []WorkItem `json:"done"`
}

// WorkSource supplies work items; each module (documents, supervision…)
// registers one. Sources must apply access control themselves: they are given
// the viewer's access subject.
type WorkSource interface {
	Work(ctx context.Context, s access.Subject) (Worklists, error)
}

func (srv *Server) worklists(ctx context.Context, v *Viewer) (Worklists, error) {
	var all Worklists
	for _, src := range srv.opt.WorkSources {
		wl, err := src.Work(ctx, v.Subject)
		if err != nil {
			return all, err
		}
		all.Todo = append(all.Todo, wl.Todo...)
		all.ToRead = append(all.ToRead, wl.ToRead...)
		all.Done = append(all.Done, wl.Done...)
	}
	return all, nil
}

// home sends each person to where their work is: business users to the
// workbench, each administrator to their own console.
func (srv *Server) home(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	target := "/workbench"
	switch {
	case v.Can(access.ViewWorkbench):
	case v.Has(org.RoleAuditor):
		target = "/audit"
	case v.Has(org.RoleSecurityOfficer):
		target = "/security/policy"
	default:
		target = "/org"
	}
	if n := r.URL.Query().Get("notice"); n != "" {
		target += "?notice=" + n
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

type workbenchData struct {
	Lists     Worklists
	Tab       string
	Items     []WorkItem
	Positions []positionView
	Oversees  []org.Unit
	Delegated []delegationView
}

type positionView struct {
	org.Position
	Unit org.Unit
}

type delegationView struct {
	org.Delegation
	Other string // the other person's name
	ToMe  bool
}

func (srv *Server) workbench(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	v := viewerFrom(ctx)
	wl, err := srv.worklists(ctx, v)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := workbenchData{Lists: wl, Tab: r.URL.Query().Get("tab")}
	switch d.Tab {
	case "toread":
		d.Items = wl.ToRead
	case "done":
		d.Items = wl.Done
	default:
		d.Tab, d.Items = "todo", wl.Todo
	}
	for _, p := range v.Positions {
		u, err := srv.store.Unit(ctx, p.UnitID)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		d.Positions = append(d.Positions, positionView{Position: p, Unit: u})
	}
	ov, err := srv.store.Oversight(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, o := range ov {
		if o.LeaderID == v.Person.ID {
			if u, err := srv.store.Unit(ctx, o.UnitID); err == nil {
				d.Oversees = append(d.Oversees, u)
			}
		}
	}
	ds, err := srv.store.Delegations(ctx, v.Person.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	now := srv.store.Now()
	for _, dl := range ds {
		if !dl.ActiveAt(now) {
			continue
		}
		dv := delegationView{Delegation: dl, ToMe: dl.ToID == v.Person.ID}
		other := dl.ToID
		if dv.ToMe {
			other = dl.FromID
		}
		if p, err := srv.store.Person(ctx, other); err == nil {
			dv.Other = p.Name
		}
		d.Delegated = append(d.Delegated, dv)
	}
	srv.render(w, r, http.StatusOK, "workbench", pageData{Title: "工作台", Nav: "workbench", Data: d})
}
