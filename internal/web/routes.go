package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// The route template editor: a unit's office adjusts its 发文 and 收文 routes
// — rename steps, change who acts, serial or parallel, time limits, add or
// remove steps — without code. The store refuses what would break the system
// steps; running documents keep the route they started with.

// actorChoices are the assignees an office can pick for a step.
var actorChoices = []struct{ Value, Label string }{
	{"starter", "起草人/发起人"},
	{"leader:unit", "起草（收文）科室负责人"},
	{"leader:organ", "本机关领导"},
	{"role:office_reviewer", "办公室核稿人"},
	{"role:office_clerk", "办公室文书"},
	{"role:office_head", "办公室主任"},
	{"role:archivist", "档案员"},
	{"chosen", "由上一环节选择"},
}

func actorValue(st route.Step) string {
	if st.Chosen {
		return "chosen"
	}
	if len(st.Actors) != 1 {
		return "keep"
	}
	a := st.Actors[0]
	switch a.Kind {
	case route.Starter:
		return "starter"
	case route.Leader:
		switch a.Unit {
		case "{unit}":
			return "leader:unit"
		case "{organ}", "{office}":
			return "leader:organ"
		}
	case route.Role:
		if a.Unit == "{office}" || a.Unit == "{unit}" {
			return "role:" + a.Role
		}
	}
	return "keep"
}

// applyActor sets a step's assignees from a choice; "keep" leaves them.
func applyActor(st *route.Step, v string) error {
	switch {
	case v == "keep":
	case v == "chosen":
		st.Chosen, st.Actors = true, nil
	case v == "starter":
		st.Chosen, st.Actors = false, []route.Assignee{{Kind: route.Starter}}
	case v == "leader:unit":
		st.Chosen, st.Actors = false, []route.Assignee{{Kind: route.Leader, Unit: "{unit}"}}
	case v == "leader:organ":
		st.Chosen, st.Actors = false, []route.Assignee{{Kind: route.Leader, Unit: "{organ}"}}
	case strings.HasPrefix(v, "role:"):
		st.Chosen, st.Actors = false, []route.Assignee{{Kind: route.Role, Role: strings.TrimPrefix(v, "role:"), Unit: "{office}"}}
	default:
		return fmt.Errorf("未知的办理人选项 %q", v)
	}
	if !st.Chosen {
		st.Lead = false
	}
	return nil
}

type stepRow struct {
	Index           int
	Key             string
	Name            string
	Actor           string
	Parallel        bool
	Any             bool
	CommentRequired bool
	Optional        bool
	LimitN          int
	LimitUnit       string
	System          bool
}

type routesData struct {
	Unit    string
	UnitID  string
	Kind    string
	Kinds   []struct{ Value, Label string }
	Custom  bool
	Version int
	Steps   []stepRow
	Actors  []struct{ Value, Label string }
}

func (srv *Server) routesPage(w http.ResponseWriter, r *http.Request) {
	srv.renderRoutes(w, r, http.StatusOK, nil, "")
}

func (srv *Server) renderRoutes(w http.ResponseWriter, r *http.Request, status int, posted *route.Template, errMsg string) {
	ctx := r.Context()
	unitID, kind := r.PathValue("id"), r.PathValue("kind")
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
	t, custom, err := srv.store.RouteTemplate(ctx, unitID, kind)
	if err != nil {
		srv.notFound(w, r)
		return
	}
	if posted != nil {
		t = *posted
	}
	d := routesData{Unit: u.Name, UnitID: unitID, Kind: kind, Custom: custom, Version: t.Version, Actors: actorChoices,
		Kinds: []struct{ Value, Label string }{{store.Outgoing, "发文"}, {store.Incoming, "收文"},
			{string(request.SealUse), "用印"}, {string(request.CarUse), "用车"}}}
	for i, st := range t.Steps {
		row := stepRow{Index: i, Key: st.Key, Name: st.Name, Actor: actorValue(st), Parallel: st.Parallel, Any: st.Completion == route.Any,
			CommentRequired: st.CommentRequired, Optional: st.Optional, LimitN: st.Limit.N, LimitUnit: string(st.Limit.Unit), System: store.SystemStep(kind, st.Key)}
		d.Steps = append(d.Steps, row)
	}
	srv.render(w, r, status, "routes", pageData{Title: "流程模板", Nav: "org", Data: d, Error: errMsg})
}

// templateFromForm rebuilds the template from the editor's form, starting
// from the stored one so that what the form does not show (operations,
// fields, 主办, 传阅) is kept.
func templateFromForm(base route.Template, f map[string][]string) (route.Template, error) {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	type ordered struct {
		order float64
		st    route.Step
	}
	var rows []ordered
	for i, st := range base.Steps {
		p := strconv.Itoa(i)
		if get("remove_"+p) == "1" {
			continue
		}
		st.Name = get("name_" + p)
		if err := applyActor(&st, get("actor_"+p)); err != nil {
			return base, err
		}
		st.Parallel = get("parallel_"+p) == "1" || st.Lead || st.Circulate
		st.Completion = route.All
		if get("any_"+p) == "1" {
			st.Completion = route.Any
		}
		if !st.Parallel {
			st.Completion = ""
		}
		st.CommentRequired = get("comment_"+p) == "1"
		st.Optional = st.Chosen && get("optional_"+p) == "1"
		lim, err := limitFromForm(get("limit_n_"+p), get("limit_u_"+p))
		if err != nil {
			return base, fmt.Errorf("环节“%s”：%w", st.Name, err)
		}
		st.Limit = lim
		order, err := strconv.ParseFloat(get("order_"+p), 64)
		if err != nil {
			order = float64(i + 1)
		}
		rows = append(rows, ordered{order, st})
	}
	if name := get("new_name"); name != "" {
		st := route.Step{Key: "step_" + strconv.Itoa(len(base.Steps)+1), Name: name,
			Ops: []route.Op{route.Return, route.Withdraw, route.Forward, route.Delegate, route.AddReviewer, route.Urge}}
		for slices.ContainsFunc(base.Steps, func(s route.Step) bool { return s.Key == st.Key }) {
			st.Key += "x"
		}
		if err := applyActor(&st, get("new_actor")); err != nil {
			return base, err
		}
		if get("new_actor") == "keep" {
			return base, errors.New("请为新环节选择办理人")
		}
		lim, err := limitFromForm(get("new_limit_n"), get("new_limit_u"))
		if err != nil {
			return base, fmt.Errorf("新环节：%w", err)
		}
		st.Limit = lim
		after, _ := strconv.ParseFloat(get("new_after"), 64)
		rows = append(rows, ordered{after + 0.5, st})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].order < rows[j].order })
	t := base
	t.Steps = nil
	for _, r := range rows {
		t.Steps = append(t.Steps, r.st)
	}
	return t, nil
}

func limitFromForm(n, unit string) (calendar.Limit, error) {
	if n == "" || n == "0" {
		return calendar.Limit{}, nil
	}
	v, err := strconv.Atoi(n)
	if err != nil || v < 0 || v > 365 {
		return calendar.Limit{}, errors.New("时限应为 0 到 365 之间的整数")
	}
	switch unit {
	case "hours":
		return calendar.Hours(v), nil
	default:
		return calendar.Days(v), nil
	}
}

func (srv *Server) routesSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	unitID, kind := r.PathValue("id"), r.PathValue("kind")
	if !srv.authorize(w, r, access.ManageRoutes, access.Object{Kind: "unit", ID: unitID, UnitID: unitID}) {
		return
	}
	v := viewerFrom(ctx)
	base, _, err := srv.store.RouteTemplate(ctx, unitID, kind)
	if err != nil {
		srv.notFound(w, r)
		return
	}
	if r.PostFormValue("op") == "reset" {
		if err := srv.store.Write(ctx, func(tx *store.Tx) error { return tx.ResetRouteTemplate(ctx, v.Person, unitID, kind) }); err != nil {
			srv.serverError(w, r, err)
			return
		}
		http.Redirect(w, r, r.URL.Path+"?notice=saved", http.StatusSeeOther)
		return
	}
	t, err := templateFromForm(base, r.PostForm)
	// The version the page showed: the store refuses the save if another
	// editor changed the route since (the form's rows are that version's).
	if n, verr := strconv.Atoi(r.PostFormValue("version")); verr == nil {
		t.Version = n
	}
	if err == nil {
		err = srv.store.Write(ctx, func(tx *store.Tx) error { return tx.PutRouteTemplate(ctx, v.Person, unitID, t) })
	}
	if errors.Is(err, store.ErrModified) {
		srv.renderRoutes(w, r, http.StatusConflict, nil, err.Error())
		return
	}
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		srv.renderRoutes(w, r, http.StatusUnprocessableEntity, &t, userMessage(err))
		return
	}
	http.Redirect(w, r, r.URL.Path+"?notice=saved", http.StatusSeeOther)
}
