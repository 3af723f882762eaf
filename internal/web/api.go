package web

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

//go:embed openapi.json
var openAPI []byte

func (srv *Server) apiRoutes() {
	m := srv.mux
	spec, err := finishOpenAPI(openAPI)
	if err != nil {
		// The embedded document is checked by the tests; serve it as written.
		srv.log.Error("openapi document", "err", err)
		spec = openAPI
	}
	m.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(spec)
	})
	m.HandleFunc("GET /api/v1/me", srv.requireLogin(srv.apiMe))
	m.HandleFunc("GET /api/v1/workbench", srv.requireLogin(srv.apiWorkbench))
	m.HandleFunc("GET /api/v1/units", srv.requireLogin(srv.apiUnits))
	m.HandleFunc("POST /api/v1/units", srv.requireLogin(srv.apiUnitCreate))
	m.HandleFunc("GET /api/v1/people", srv.requireLogin(srv.apiPeople))
	m.HandleFunc("GET /api/v1/people/{id}", srv.requireLogin(srv.apiPerson))
	m.HandleFunc("GET /api/v1/people/{id}/delegations", srv.requireLogin(srv.apiDelegations))
	m.HandleFunc("POST /api/v1/people/{id}/delegations", srv.requireLogin(srv.apiDelegationSet))
	m.HandleFunc("GET /api/v1/audit", srv.requireLogin(srv.apiAudit))
	m.HandleFunc("POST /api/v1/audit/verify", srv.requireLogin(srv.apiAuditVerify))
}

type apiPersonOut struct {
	org.Person
	Positions []org.Position       `json:"positions"`
	Roles     []org.RoleAssignment `json:"roles"`
	Clearance *org.Classification  `json:"clearance,omitempty"`
	Level     string               `json:"clearance_label,omitempty"`
}

func (srv *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	c := v.Person.Clearance
	writeJSON(w, http.StatusOK, apiPersonOut{Person: v.Person, Positions: v.Positions, Roles: v.Roles, Clearance: &c, Level: c.Label()})
}

func (srv *Server) apiWorkbench(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	// The first page of each list (limit, at most 200) and every list's
	// exact count; the lists' own endpoints page through the rest.
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > 200 {
		limit = listPage
	}
	wl, err := srv.worklists(r.Context(), viewerFrom(r.Context()), WorkQuery{Tabs: []string{"todo", "toread", "done"}, Limit: limit})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	// A count at count_limit means at least that many (countLimit).
	writeJSON(w, http.StatusOK, map[string]any{"counts": wl.Counts, "lists": wl, "count_limit": countLimit})
}

func (srv *Server) apiUnits(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewDirectory, access.Object{}) {
		return
	}
	us, err := srv.store.Units(r.Context())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"units": us})
}

func (srv *Server) apiUnitCreate(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ManageUnits, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	var u org.Unit
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&u); err != nil {
		writeJSONError(w, http.StatusBadRequest, "请求体不是有效的单位 JSON: "+err.Error())
		return
	}
	u.ID = uid.New()
	err := srv.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.PutUnit(ctx, u); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "unit.create", ObjectKind: "unit", ObjectID: u.ID, IP: clientIP(r), Detail: fmt.Sprintf(`{"after":%s}`, jsonDetail(u))})
	})
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		writeJSONError(w, http.StatusUnprocessableEntity, userMessage(err))
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

func (srv *Server) apiPeople(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewDirectory, access.Object{}) {
		return
	}
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	offset, _ := strconv.Atoi(q.Get("offset"))
	ps, err := srv.store.People(r.Context(), store.PeopleFilter{UnitID: q.Get("unit"), Query: q.Get("q"), Limit: limit, Offset: offset})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	out := make([]map[string]any, 0, len(ps))
	for _, p := range ps {
		out = append(out, map[string]any{"id": p.ID, "name": p.Name, "login": p.Login, "phone": p.Phone})
	}
	writeJSON(w, http.StatusOK, map[string]any{"people": out})
}

func (srv *Server) apiPerson(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewDirectory, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	p, err := srv.store.Person(ctx, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		writeJSONError(w, http.StatusNotFound, "人员不存在")
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	pos, err := srv.store.Positions(ctx, p.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	roles, err := srv.store.Roles(ctx, p.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	out := apiPersonOut{Person: p, Positions: pos, Roles: roles}
	// Clearance is shown to the security officer and the person only.
	if v.Can(access.GrantClearance) || v.Person.ID == p.ID {
		c := p.Clearance
		out.Clearance, out.Level = &c, c.Label()
	}
	writeJSON(w, http.StatusOK, out)
}

func (srv *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ReadAudit, access.Object{}) {
		return
	}
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	limit, _ := strconv.Atoi(q.Get("limit"))
	es, err := srv.store.ListAudit(r.Context(), store.AuditFilter{Query: q.Get("q"), Action: q.Get("action"), Outcome: audit.Outcome(q.Get("outcome")), BeforeSeq: before, Limit: limit})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": es})
}

func (srv *Server) apiAuditVerify(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.VerifyAudit, access.Object{}) {
		return
	}
	n, err := srv.store.VerifyAudit(r.Context())
	var be *audit.BrokenError
	switch {
	case errors.As(err, &be):
		writeJSON(w, http.StatusOK, map[string]any{"ok": false, "checked": n, "broken_seq": be.Seq, "kind": be.Kind, "reason": be.Error()})
	case err != nil:
		srv.serverError(w, r, err)
	default:
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "checked": n})
	}
}
