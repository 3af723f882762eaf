package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// supUnitRow is one unit on the item page.
type supUnitRow struct {
	supervise.Unit
	Name, Person, SignedByName string
	Mine                       bool // the viewer works there
	ToSign                     bool // its handover waits for 签收
}

type supEventRow struct {
	supervise.Event
	ActorName string
	// ActorUnit is the unit the actor acted for: the 督查室 for its own
	// steps, else the event's unit. Target is the unit a 督查室's step is
	// addressed to.
	ActorUnit, Target string
}

type supItemData struct {
	Item       *supervise.Item
	Light      supervise.Light
	Units      []supUnitRow
	History    []supEventRow
	Supervisor bool // the viewer is in the item's 督查室
	MyUnits    []supUnitRow
	Lead       bool // the viewer is in the lead unit
	Pending    []supervise.Extension
	Open       bool
	Doc        string // the document's title, for 批办 items
	DocHidden  bool   // the item names a document the viewer may not open
	// Meeting is the title of the meeting whose 议定事项 the item is, for
	// those who may read the meeting; MeetingHidden: the viewer may not.
	Meeting       string
	MeetingHidden bool
	// Info: the information report whose 批示 it follows, for those who may
	// read the report; InfoHidden: the viewer may not.
	Info       string
	InfoHidden bool
	Names      *supNames
	Op         string // the operation whose form failed
	Person     func(id string) string
	Targets    []supTarget
	Satisfy    []supervise.Satisfaction
}

type supTarget struct{ ID, Title string }

func (srv *Server) supItemPage(w http.ResponseWriter, r *http.Request) {
	it, ok := srv.loadSupItem(w, r)
	if !ok {
		return
	}
	srv.renderSupItem(w, r, it, http.StatusOK, "", "", nil)
}

func (srv *Server) renderSupItem(w http.ResponseWriter, r *http.Request, it supervise.Item, status int, msg, op string, form url.Values) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	n, err := srv.supNamesOf(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	now := srv.store.Now()
	d := supItemData{Item: &it, Light: srv.store.SupSweep(now).LightAt(&it, now), Names: n, Op: op, Open: it.State.Open(),
		Satisfy: []supervise.Satisfaction{supervise.Satisfied, supervise.BasicSatisfied, supervise.Unsatisfied}}
	d.Person = func(id string) string { return srv.personName(ctx, n, id) }
	mine := viewerUnits(v)
	d.Supervisor = slices.Contains(mine, it.Office) && supOffice(v) == it.Office
	for _, u := range it.Units {
		row := supUnitRow{Unit: u, Name: n.Unit(u.UnitID), Person: d.Person(u.Responsible), SignedByName: d.Person(u.SignedBy),
			Mine: slices.Contains(mine, u.UnitID)}
		if t, ok := it.Route.Task(u.Task); ok && u.Task != 0 && t.Status == route.Open && !t.Acknowledged() {
			row.ToSign = true
			// After 退回 the item goes back to the person who applied.
			if t.Assignee.Kind == route.Person && t.Assignee.Person == v.Person.ID {
				row.Mine = true
			}
		}
		d.Units = append(d.Units, row)
		if row.Mine {
			d.MyUnits = append(d.MyUnits, row)
			if u.Lead {
				d.Lead = true
			}
		}
	}
	for i := len(it.History) - 1; i >= 0; i-- {
		e := it.History[i]
		row := supEventRow{Event: e, ActorName: d.Person(e.Actor)}
		switch {
		case e.Type.ByOffice():
			row.ActorUnit = n.Short(it.Office)
			if e.UnitID != "" {
				row.Target = n.Short(e.UnitID)
			}
		case e.UnitID != "":
			row.ActorUnit = n.Short(e.UnitID)
		}
		d.History = append(d.History, row)
	}
	for _, e := range it.Extensions {
		if e.Decision == "" {
			d.Pending = append(d.Pending, e)
		}
	}
	// Only what is still to be done can be reported done or extended.
	for _, s := range it.SubItems {
		if s.DoneAt.IsZero() {
			d.Targets = append(d.Targets, supTarget{s.ID, "子事项：" + s.Title})
		}
	}
	for _, m := range it.Milestones {
		if m.DoneAt.IsZero() {
			d.Targets = append(d.Targets, supTarget{m.ID, "节点：" + m.Title})
		}
	}
	if it.Source == supervise.FromInstruction && it.Ref != "" {
		// The document's title only to those who may open the document:
		// reading the item is not reading the document it came from.
		if rec, err := srv.store.Document(ctx, it.Ref); err == nil {
			ok, err := srv.mayReadDoc(ctx, r, rec, "supervise.item")
			if err != nil {
				srv.serverError(w, r, err)
				return
			}
			d.Doc, d.DocHidden = rec.Doc.Title, !ok
			if !ok {
				d.Doc = ""
			}
		}
	}
	if it.Source == supervise.FromMeeting && it.Ref != "" {
		if m, err := srv.store.Meeting(ctx, it.Ref); err == nil {
			if access.Decide(v.Subject, access.ReadObject, store.MeetingObject(&m)).Allow {
				d.Meeting = m.Title
			} else {
				d.MeetingHidden = true
			}
		}
	}
	if it.Source == supervise.FromInfo && it.Ref != "" {
		if rep, err := srv.store.InfoReport(ctx, it.Ref); err == nil {
			if c, err := srv.infoCtxOf(ctx, v); err == nil && access.DecideInfo(v.Subject, access.ReadInfo, c.object(rep)).Allow {
				d.Info = rep.Title
			} else {
				d.InfoHidden = true
			}
		}
	}
	srv.render(w, r, status, "sup_item", pageData{Title: it.Title, Nav: "supervise", Data: d, Error: msg, Form: form})
}
