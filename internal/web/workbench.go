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
	// DocID and TaskID name a document's task, so a client acts on it
	// (POST /documents/{id}/act with task) without fetching the document;
	// ItemID names a supervision item.
	DocID  string `json:"document_id,omitempty"`
	TaskID int    `json:"task,omitempty"`
	ItemID string `json:"item_id,omitempty"`
}

// Worklists are a person's three lists: the first page of each list asked
// for, and every list's exact size.
type Worklists struct {
	Todo   []WorkItem `json:"todo"`
	ToRead []WorkItem `json:"to_read"`
	Done   []WorkItem `json:"done"`
	Counts WorkCounts `json:"counts"`
}

// WorkCounts are the sizes of a person's three lists.
type WorkCounts struct {
	Todo   int `json:"todo"`
	ToRead int `json:"to_read"`
	Done   int `json:"done"`
}

// WorkQuery asks a source for the first Limit items of the lists named in
// Tabs ("todo", "toread", "done") and for the counts of all three.
type WorkQuery struct {
	Tabs  []string
	Limit int
}

// WorkSource supplies work items; each module (documents, supervision…)
// registers one. Sources must apply access control themselves (the viewer
// carries the access subject), and read and count their lists in the
// database: a page must not cost more with a longer backlog.
type WorkSource interface {
	Work(ctx context.Context, v *Viewer, q WorkQuery) (Worklists, error)
}

// worklists gathers every source's lists: each list is the sources' first
// pages in turn (documents first), each count their sum.
func (srv *Server) worklists(ctx context.Context, v *Viewer, q WorkQuery) (Worklists, error) {
	var all Worklists
	for _, src := range srv.opt.WorkSources {
		wl, err := src.Work(ctx, v, q)
		if err != nil {
			return all, err
		}
		all.Todo = append(all.Todo, wl.Todo...)
		all.ToRead = append(all.ToRead, wl.ToRead...)
		all.Done = append(all.Done, wl.Done...)
		all.Counts.Todo += wl.Counts.Todo
		all.Counts.ToRead += wl.Counts.ToRead
		all.Counts.Done += wl.Counts.Done
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
	Counts    WorkCounts
	Tab       string
	Items     []WorkItem
	More      bool // the tab holds more than the page shows
	Positions []positionView
	Oversees  []org.Unit
	Delegated []delegationView
	Live      []liveView // the office's "五不让"; nil for people outside an office
	LiveClear bool
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

// workbenchPage is how many items of each source the workbench shows; the
// lists' own pages (/docs, /supervise) page through the rest.
const workbenchPage = 30

func (srv *Server) workbench(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	v := viewerFrom(ctx)
	d := workbenchData{Tab: r.URL.Query().Get("tab")}
	if d.Tab != "toread" && d.Tab != "done" {
		d.Tab = "todo"
	}
	wl, err := srv.worklists(ctx, v, WorkQuery{Tabs: []string{d.Tab}, Limit: workbenchPage})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d.Counts = wl.Counts
	switch d.Tab {
	case "toread":
		d.Items, d.More = wl.ToRead, wl.Counts.ToRead > len(wl.ToRead)
	case "done":
		d.Items, d.More = wl.Done, wl.Counts.Done > len(wl.Done)
	default:
		d.Items, d.More = wl.Todo, wl.Counts.Todo > len(wl.Todo)
	}
	// The side panel: units from one read, people's names from one read.
	us, err := srv.units(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	units := make(map[string]org.Unit, len(us))
	for _, u := range us {
		units[u.ID] = u
	}
	for _, p := range v.Positions {
		d.Positions = append(d.Positions, positionView{Position: p, Unit: units[p.UnitID]})
	}
	if office := viewerOffice(v, units); office != "" && v.Can(access.ViewEvaluation) {
		// One statement for all four measures.
		live, err := srv.store.FiveNo(ctx, office, srv.store.Now())
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		d.Live, d.LiveClear = liveViews(live), live.Clear()
	}
	ov, err := srv.oversight(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, o := range ov {
		if u, ok := units[o.UnitID]; ok && o.LeaderID == v.Person.ID {
			d.Oversees = append(d.Oversees, u)
		}
	}
	ds, err := srv.store.Delegations(ctx, v.Person.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	now := srv.store.Now()
	var others []string
	for _, dl := range ds {
		if !dl.ActiveAt(now) {
			continue
		}
		dv := delegationView{Delegation: dl, ToMe: dl.ToID == v.Person.ID}
		other := dl.ToID
		if dv.ToMe {
			other = dl.FromID
		}
		dv.Other = other
		others = append(others, other)
		d.Delegated = append(d.Delegated, dv)
	}
	if len(others) > 0 {
		names, err := srv.store.PersonNames(ctx, others)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		for i := range d.Delegated {
			d.Delegated[i].Other = names[d.Delegated[i].Other]
		}
	}
	srv.render(w, r, http.StatusOK, "workbench", pageData{Title: "工作台", Nav: "workbench", Data: d})
}
