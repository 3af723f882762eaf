package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

type unitRow struct {
	org.Unit
	Depth int
}

// unitRows returns the tree with each unit's depth, for indented lists and selects.
func (srv *Server) unitRows(ctx context.Context) ([]unitRow, map[string]org.Unit, error) {
	us, err := srv.store.Units(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[string]org.Unit, len(us))
	depth := map[string]int{}
	rows := make([]unitRow, 0, len(us))
	for _, u := range us {
		byID[u.ID] = u
		d := 0
		if u.ParentID != "" {
			d = depth[u.ParentID] + 1
		}
		depth[u.ID] = d
		rows = append(rows, unitRow{Unit: u, Depth: d})
	}
	return rows, byID, nil
}

type orgData struct {
	Units    []unitRow
	Selected org.Unit
	People   []personRow
	Query    string
}

type personRow struct {
	org.Person
	Title string
	Unit  string
}

func (srv *Server) orgPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !srv.authorize(w, r, access.ViewDirectory, access.Object{}) {
		return
	}
	rows, byID, err := srv.unitRows(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := orgData{Units: rows, Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	sel := r.URL.Query().Get("unit")
	if sel == "" && d.Query == "" && len(rows) > 0 {
		sel = rows[0].ID
	}
	d.Selected = byID[sel]
	if d.Query != "" {
		ps, err := srv.store.People(ctx, store.PeopleFilter{Query: d.Query, Limit: 100})
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		for _, p := range ps {
			row := personRow{Person: p}
			if pos, err := srv.store.Positions(ctx, p.ID); err == nil && len(pos) > 0 {
				row.Title, row.Unit = pos[0].Title, byID[pos[0].UnitID].ShortName
			}
			d.People = append(d.People, row)
		}
	} else if d.Selected.ID != "" {
		pos, err := srv.store.UnitPositions(ctx, d.Selected.ID)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		for _, p := range pos {
			person, err := srv.store.Person(ctx, p.PersonID)
			if err != nil {
				srv.serverError(w, r, err)
				return
			}
			title := p.Title
			if !p.Primary {
				title += "（兼）"
			}
			d.People = append(d.People, personRow{Person: person, Title: title, Unit: d.Selected.ShortName})
		}
	}
	srv.render(w, r, http.StatusOK, "org", pageData{Title: "组织机构", Nav: "org", Data: d})
}

type unitFormData struct {
	Units []unitRow
	Kinds []org.UnitKind
	Edit  bool
	ID    string
}

func (srv *Server) unitForm(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageUnits, access.Object{}) {
		return
	}
	ctx := r.Context()
	rows, byID, err := srv.unitRows(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := unitFormData{Units: rows, Kinds: org.AllUnitKinds()}
	form := url.Values{"parent_id": {r.URL.Query().Get("parent")}, "kind": {string(org.KindSection)}}
	if id := r.PathValue("id"); id != "" {
		u, ok := byID[id]
		if !ok {
			srv.notFound(w, r)
			return
		}
		d.Edit, d.ID = true, id
		form = unitValues(u)
	}
	srv.render(w, r, http.StatusOK, "unit_form", pageData{Title: "单位", Nav: "org", Data: d, Form: form})
}

func unitValues(u org.Unit) url.Values {
	return url.Values{"id": {u.ID}, "parent_id": {u.ParentID}, "name": {u.Name}, "short_name": {u.ShortName},
		"organ_code": {u.OrganCode}, "kind": {string(u.Kind)}, "sort": {strconv.Itoa(u.Sort)}}
}

func (srv *Server) unitSave(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageUnits, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	f := r.PostForm
	sort, _ := strconv.Atoi(strings.TrimSpace(f.Get("sort")))
	u := org.Unit{ID: f.Get("id"), ParentID: f.Get("parent_id"), Name: strings.TrimSpace(f.Get("name")),
		ShortName: strings.TrimSpace(f.Get("short_name")), OrganCode: strings.TrimSpace(f.Get("organ_code")),
		Kind: org.UnitKind(f.Get("kind")), Sort: sort}
	editing := u.ID != ""
	if !editing {
		u.ID = uid.New()
	} else if !uid.Valid(u.ID) {
		srv.notFound(w, r)
		return
	}
	err := srv.store.Write(ctx, func(tx *store.Tx) error {
		action := "unit.create"
		before := ""
		if editing {
			old, err := tx.Unit(ctx, u.ID)
			if err != nil {
				return err
			}
			action, before = "unit.update", jsonDetail(old)
		}
		if err := tx.PutUnit(ctx, u); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: action, ObjectKind: "unit", ObjectID: u.ID,
			IP: clientIP(r), Detail: fmt.Sprintf(`{"before":%s,"after":%s}`, orNull(before), jsonDetail(u))})
	})
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		rows, _, _ := srv.unitRows(ctx)
		srv.render(w, r, http.StatusUnprocessableEntity, "unit_form", pageData{Title: "单位", Nav: "org", Error: userMessage(err),
			Form: f, Data: unitFormData{Units: rows, Kinds: org.AllUnitKinds(), Edit: editing, ID: f.Get("id")}})
		return
	}
	http.Redirect(w, r, "/org?notice=saved&unit="+url.QueryEscape(u.ID), http.StatusSeeOther)
}

func (srv *Server) unitDelete(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageUnits, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	id := r.PathValue("id")
	err := srv.store.Write(ctx, func(tx *store.Tx) error {
		old, err := tx.Unit(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteUnit(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "unit.delete", ObjectKind: "unit", ObjectID: id,
			IP: clientIP(r), Detail: fmt.Sprintf(`{"before":%s}`, jsonDetail(old))})
	})
	if errors.Is(err, store.ErrNotFound) {
		srv.notFound(w, r)
		return
	}
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		srv.render(w, r, http.StatusUnprocessableEntity, "error", pageData{Title: "不能删除", Error: userMessage(err)})
		return
	}
	http.Redirect(w, r, "/org?notice=deleted", http.StatusSeeOther)
}

func orNull(s string) string {
	if s == "" {
		return "null"
	}
	return s
}

// isInternal tells a storage or programming failure from a rule the user broke.
// Rule violations are written in Chinese; anything else is internal.
func isInternal(err error) bool {
	if errors.Is(err, store.ErrConflict) || errors.Is(err, org.ErrAdminSeparation) || errors.Is(err, org.ErrTopSecret) {
		return false
	}
	msg := err.Error()
	for _, r := range msg {
		if r >= 0x4e00 && r <= 0x9fff {
			return false
		}
	}
	return true
}

// userMessage strips the wrapped sentinel from a rule violation.
func userMessage(err error) string {
	msg := err.Error()
	for _, s := range []error{store.ErrConflict, store.ErrNotFound} {
		msg = strings.TrimSuffix(msg, ": "+s.Error())
	}
	return msg
}
