package web

import (
	"errors"
	"net/http"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// The 文号系列 editor: an organ's 发文字号 series are data, kept by whoever
// keeps its routes (its office director, or the system administrator), one
// a line — 代字, 名称, the 文种 it carries.

type seriesData struct {
	Unit, UnitID, Text string
}

func (srv *Server) seriesPage(w http.ResponseWriter, r *http.Request) {
	srv.renderSeries(w, r, http.StatusOK, nil, "", "")
}

func (srv *Server) renderSeries(w http.ResponseWriter, r *http.Request, status int, posted *string, errMsg, notice string) {
	ctx := r.Context()
	unitID := r.PathValue("id")
	u, err := srv.store.Unit(ctx, unitID)
	if errors.Is(err, store.ErrNotFound) {
		srv.notFound(w, r)
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if !srv.authorize(w, r, access.ManageRoutes, access.Object{Kind: "unit", ID: unitID, UnitID: unitID}) {
		return
	}
	d := seriesData{Unit: u.Name, UnitID: unitID}
	if posted != nil {
		d.Text = *posted
	} else {
		all, err := srv.store.DocSeries(ctx)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		var mine []document.Series
		for _, s := range all {
			if s.OrganID == unitID {
				mine = append(mine, s)
			}
		}
		d.Text = document.FormatSeries(mine)
	}
	srv.render(w, r, status, "series", pageData{Title: "文号系列", Nav: "org", Data: d, Error: errMsg, Notice: notice})
}

func (srv *Server) seriesSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	unitID := r.PathValue("id")
	if _, err := srv.store.Unit(ctx, unitID); err != nil {
		srv.notFound(w, r)
		return
	}
	if !srv.authorize(w, r, access.ManageRoutes, access.Object{Kind: "unit", ID: unitID, UnitID: unitID}) {
		return
	}
	text := r.PostFormValue("series")
	list, err := document.ParseSeries(unitID, text)
	if err == nil {
		err = srv.store.Write(ctx, func(tx *store.Tx) error {
			return tx.SetDocSeries(ctx, viewerFrom(ctx).Person, unitID, list)
		})
	}
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		srv.renderSeries(w, r, http.StatusUnprocessableEntity, &text, userMessage(err), "")
		return
	}
	srv.renderSeries(w, r, http.StatusOK, nil, "", "文号系列已保存，此后编号按新的系列办理。")
}

// apiSeries lists an organ's 文号系列 for whoever may read the directory (the
// series are printed on every document the organ issues): all of them in
// order, or with ?type= the ones offered at 编号 for that 文种, the usual one
// first. A unit that is not an organ answers for its organ.
func (srv *Server) apiSeries(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	unitID := r.PathValue("id")
	us, err := srv.units(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	units := make(map[string]org.Unit, len(us))
	for _, u := range us {
		units[u.ID] = u
	}
	if _, ok := units[unitID]; !ok {
		writeJSONError(w, http.StatusNotFound, "没有这个单位")
		return
	}
	if !srv.authorize(w, r, access.ViewDirectory, access.Object{Kind: "unit", ID: unitID, UnitID: unitID}) {
		return
	}
	organ := organOf(units, unitID)
	var list []document.Series
	if t := r.URL.Query().Get("type"); t != "" {
		if _, ok := document.RuleFor(document.DocType(t)); !ok {
			writeJSONError(w, http.StatusBadRequest, "文种“"+t+"”无效")
			return
		}
		list, err = srv.store.SeriesFor(ctx, organ, document.DocType(t))
	} else {
		var all []document.Series
		all, err = srv.store.DocSeries(ctx)
		for _, s := range all {
			if s.OrganID == organ {
				list = append(list, s)
			}
		}
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if list == nil {
		list = []document.Series{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"organ_id": organ, "organ": units[organ].Name, "series": list})
}
