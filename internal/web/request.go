package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// requestRoutes registers the 办事 pages (用印, 用车) and their JSON API.
func (srv *Server) requestRoutes() {
	m := srv.mux
	m.HandleFunc("GET /requests", srv.requireLogin(srv.reqList))
	m.HandleFunc("GET /requests/new", srv.requireLogin(srv.reqNew))
	m.HandleFunc("POST /requests", srv.requireLogin(srv.reqCreate))
	m.HandleFunc("GET /requests/{id}", srv.requireLogin(srv.reqPage))
	m.HandleFunc("POST /requests/{id}/{op}", srv.requireLogin(srv.reqAction))
	m.HandleFunc("GET /requests/register", srv.requireLogin(srv.reqRegister))
	m.HandleFunc("GET /requests/register.xlsx", srv.requireLogin(srv.reqRegisterXLSX))
	m.HandleFunc("GET /requests/register/print", srv.requireLogin(srv.reqRegister))
	m.HandleFunc("GET /requests/stats", srv.requireLogin(srv.reqStats))
	m.HandleFunc("GET /requests/pool", srv.requireLogin(srv.reqPool))
	m.HandleFunc("POST /requests/pool", srv.requireLogin(srv.reqPoolSave))

	m.HandleFunc("GET /api/v1/requests", srv.requireLogin(srv.reqList))
	m.HandleFunc("POST /api/v1/requests", srv.requireLogin(srv.reqCreate))
	m.HandleFunc("GET /api/v1/requests/{id}", srv.requireLogin(srv.reqPage))
	m.HandleFunc("POST /api/v1/requests/{id}/{op}", srv.requireLogin(srv.reqAction))
	m.HandleFunc("GET /api/v1/requests/register", srv.requireLogin(srv.reqRegister))
	m.HandleFunc("GET /api/v1/requests/stats", srv.requireLogin(srv.reqStats))
	m.HandleFunc("GET /api/v1/requests/pool", srv.requireLogin(srv.reqPool))
}

// reqNames names what request pages show, never an ID.
type reqNames struct {
	units    map[string]org.Unit
	people   map[string]string
	seals    map[string]request.Seal
	vehicles map[string]request.Vehicle
	drivers  map[string]request.Driver
	srv      *Server
	ctx      context.Context
}

func (srv *Server) reqNamesOf(ctx context.Context) (*reqNames, error) {
	n := &reqNames{units: map[string]org.Unit{}, people: map[string]string{}, seals: map[string]request.Seal{},
		vehicles: map[string]request.Vehicle{}, drivers: map[string]request.Driver{}, srv: srv, ctx: ctx}
	us, err := srv.units(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		n.units[u.ID] = u
	}
	ss, err := srv.store.ReqSeals(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, s := range ss {
		n.seals[s.ID] = s
	}
	vs, err := srv.store.ReqVehicles(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		n.vehicles[v.ID] = v
	}
	ds, err := srv.store.ReqDrivers(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		n.drivers[d.ID] = d
	}
	return n, nil
}

func (n *reqNames) Unit(id string) string {
	if u, ok := n.units[id]; ok {
		return u.Name
	}
	if id == "" {
		return ""
	}
	return "（未知单位）"
}

func (n *reqNames) Person(id string) string {
	if id == "" {
		return ""
	}
	if s, ok := n.people[id]; ok {
		return s
	}
	name := "（未知人员）"
	if p, err := n.srv.store.Person(n.ctx, id); err == nil {
		name = p.Name
	}
	n.people[id] = name
	return name
}

func (n *reqNames) Seal(id string) string {
	if s, ok := n.seals[id]; ok {
		return s.Name + "（" + s.Kind.Label() + "）"
	}
	return "（未知印章）"
}

func (n *reqNames) Vehicle(id string) string {
	if v, ok := n.vehicles[id]; ok {
		return v.Plate
	}
	return ""
}

func (n *reqNames) Driver(id string) string {
	if d, ok := n.drivers[id]; ok {
		return d.Name
	}
	return ""
}

// Assignee says who a task is for, by name.
func (n *reqNames) Assignee(a route.Assignee) string { return a.Describe(n.Unit, n.Person) }

// reqOffices are the offices whose requests the viewer manages (director,
// 文秘, 机要员 there).
func reqOffices(v *Viewer) []string {
	var out []string
	for _, r := range v.Roles {
		if r.UnitID != "" && !slices.Contains(out, r.UnitID) &&
			access.DecideRequest(v.Subject, access.ManageRequests, access.RequestObject{OfficeID: r.UnitID}).Allow {
			out = append(out, r.UnitID)
		}
	}
	return out
}

// reqObject is a request as the access function sees it: its office, and
// as participants its requester, those who acted on it, and the viewer when
// an open task of it is theirs.
func (srv *Server) reqObject(ctx context.Context, v *Viewer, r request.Request) (access.Object, error) {
	o := access.Object{Kind: "request", ID: r.ID, UnitID: r.OfficeID, Participants: r.Participants()}
	if slices.Contains(o.Participants, v.Person.ID) {
		return o, nil
	}
	a, err := srv.store.Actor(ctx, v.Person.ID, srv.store.Now())
	if err != nil {
		return o, err
	}
	for _, t := range r.Route.OpenTasks() {
		if a.Matches(t.Assignee) || slices.ContainsFunc(a.Delegations, func(d route.Principal) bool { return d.Matches(t.Assignee) }) {
			o.Participants = append(o.Participants, v.Person.ID)
			break
		}
	}
	return o, nil
}

// reqRow is a request as lists show it.
type reqRow struct {
	request.Request
	Unit, Requester, What, When, StatusLabel string
}

func reqRowOf(r request.Request, n *reqNames) reqRow {
	row := reqRow{Request: r, Unit: n.Unit(r.UnitID), Requester: n.Person(r.Requester), StatusLabel: r.Status.Label(r.Kind)}
	switch {
	case r.Seal != nil:
		row.What = fmt.Sprintf("%s · %s · %d 份", n.Seal(r.Seal.SealID), r.Seal.Material, r.Seal.Copies)
		row.When = r.CreatedAt.In(calendar.Shanghai()).Format("2006-01-02 15:04")
	case r.Car != nil:
		row.What = "前往 " + r.Car.Destination + fmt.Sprintf("（%d 人）", r.Car.Passengers)
		if r.Car.VehicleID != "" {
			row.What += " · " + n.Vehicle(r.Car.VehicleID) + " · " + n.Driver(r.Car.DriverID)
		}
		row.When = request.Span(r.Car.Start, r.Car.End)
	}
	if s := r.StepName(); s != "" && r.Status != request.Cancelled {
		row.StatusLabel += "（" + s + "）"
	}
	return row
}

type reqListData struct {
	Tab     string
	Rows    []reqRow
	Manages bool
}

func (srv *Server) reqList(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	offices := reqOffices(v)
	d := reqListData{Tab: r.URL.Query().Get("tab"), Manages: len(offices) > 0}
	f := store.ReqFilter{Kind: request.Kind(r.URL.Query().Get("kind")), Limit: 200}
	switch d.Tab {
	case "mine":
		f.Requester = v.Person.ID
	case "office":
		if len(offices) == 0 {
			srv.refuse(w, r, string(access.ManageRequests), "本办公室申请只对办公室主任、文秘和机要员显示")
			return
		}
		f.OfficeID = offices[0]
		if o := r.URL.Query().Get("office"); slices.Contains(offices, o) {
			f.OfficeID = o
		}
	default:
		d.Tab = "todo"
		a, err := srv.store.Actor(ctx, v.Person.ID, srv.store.Now())
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		f.Todo = &a
	}
	if f.Kind != "" && !f.Kind.Valid() {
		f.Kind = ""
	}
	rs, err := srv.store.Requests(ctx, f)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		if rs == nil {
			rs = []request.Request{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"requests": rs})
		return
	}
	n, err := srv.reqNamesOf(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, x := range rs {
		d.Rows = append(d.Rows, reqRowOf(x, n))
	}
	srv.render(w, r, http.StatusOK, "request_list", pageData{Title: "用印用车", Nav: "requests", Data: d, Notice: noticeText(r)})
}

func noticeText(r *http.Request) string {
	switch r.URL.Query().Get("notice") {
	case "created":
		return "申请已提交"
	case "done":
		return "已办理"
	case "saved":
		return "已保存"
	case "eseal":
		return "已加盖电子印章，公文的正式文本已更新"
	}
	return ""
}

type option struct{ Value, Label string }

type reqNewData struct {
	Kind    request.Kind
	Units   []option
	Seals   []option
	Offices []option // offices with cars
	Docs    []option // printed documents of the viewer's organ a 用印 may name (for its electronic seal)
}

func (srv *Server) reqNewData(ctx context.Context, v *Viewer, kind request.Kind) (reqNewData, error) {
	d := reqNewData{Kind: kind}
	n, err := srv.reqNamesOf(ctx)
	if err != nil {
		return d, err
	}
	for _, p := range v.Positions {
		if !slices.ContainsFunc(d.Units, func(o option) bool { return o.Value == p.UnitID }) {
			d.Units = append(d.Units, option{p.UnitID, n.Unit(p.UnitID)})
		}
	}
	ss, err := srv.store.ReqSeals(ctx, "")
	if err != nil {
		return d, err
	}
	for _, s := range ss {
		if s.Active {
			d.Seals = append(d.Seals, option{s.ID, s.Name + "（" + s.Kind.Label() + "，" + n.Unit(s.UnitID) + "保管）"})
		}
	}
	if kind == request.SealUse && len(v.Positions) > 0 {
		organ := org.OrganOf(n.units, v.Positions[0].UnitID)
		recs, err := srv.store.SealableDocs(ctx, []string{organ, org.OfficeOf(n.units, organ)}, 20)
		if err != nil {
			return d, err
		}
		var actor route.Actor
		if len(recs) > 0 {
			if actor, err = srv.store.Actor(ctx, v.Person.ID, srv.store.Now()); err != nil {
				return d, err
			}
		}
		for _, rec := range recs {
			involved, err := srv.store.Involved(ctx, rec.ID, actor)
			if err != nil {
				return d, err
			}
			// A list offers only what the viewer may open; nothing else of it shows.
			if access.Decide(v.Subject, access.ReadObject, docObject(rec, v.Person.ID, involved)).Allow {
				d.Docs = append(d.Docs, option{rec.ID, "《" + rec.Doc.Title + "》" + rec.DocNumber})
			}
		}
	}
	vs, err := srv.store.ReqVehicles(ctx, "")
	if err != nil {
		return d, err
	}
	// The viewer's own organ's office first, then the others with cars.
	units := n.units
	own := ""
	if len(v.Positions) > 0 {
		own = org.OfficeOf(units, org.OrganOf(units, v.Positions[0].UnitID))
	}
	for _, x := range vs {
		if x.Active && !slices.ContainsFunc(d.Offices, func(o option) bool { return o.Value == x.UnitID }) {
			o := option{x.UnitID, n.Unit(x.UnitID)}
			if x.UnitID == own {
				d.Offices = append([]option{o}, d.Offices...)
			} else {
				d.Offices = append(d.Offices, o)
			}
		}
	}
	return d, nil
}

func (srv *Server) reqNew(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	kind := request.Kind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		kind = request.SealUse
	}
	d, err := srv.reqNewData(r.Context(), viewerFrom(r.Context()), kind)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	now := srv.store.Now().In(calendar.Shanghai()).Truncate(time.Hour).Add(time.Hour)
	form := url.Values{"kind": {string(kind)}, "copies": {"1"}, "passengers": {"1"},
		"start": {now.Format("2006-01-02T15:04")}, "end": {now.Add(2 * time.Hour).Format("2006-01-02T15:04")}}
	srv.render(w, r, http.StatusOK, "request_new", pageData{Title: "申请" + kind.Label(), Nav: "requests", Data: d, Form: form})
}

// reqCheckDoc refuses a 用印 request naming a document the requester may
// not open (the request's page would otherwise carry its title), and fills
// in the material from the document when left empty.
func (srv *Server) reqCheckDoc(ctx context.Context, r *http.Request, n *request.New) error {
	if n.Seal == nil || n.Seal.DocID == "" {
		return nil
	}
	rec, err := srv.store.Document(ctx, n.Seal.DocID)
	if errors.Is(err, store.ErrNotFound) {
		return formError("所选关联公文不存在")
	}
	if err != nil {
		return err
	}
	ok, err := srv.mayReadDoc(ctx, r, rec, "request")
	if err != nil {
		return err
	}
	if !ok {
		return formError("您无权查看所选关联公文，不能在用印申请中关联它")
	}
	if strings.TrimSpace(n.Seal.Material) == "" {
		n.Seal.Material = rec.Doc.Title
	}
	return nil
}

// newRequestFrom reads the form (or JSON) of a new request.
func newRequestFrom(f url.Values, v *Viewer) (request.New, error) {
	n := request.New{ID: uid.New(), Kind: request.Kind(f.Get("kind")), UnitID: f.Get("unit_id"), OfficeID: f.Get("office_id"), Reason: f.Get("reason")}
	if n.UnitID == "" && len(v.Positions) > 0 {
		n.UnitID = v.Positions[0].UnitID
	}
	switch n.Kind {
	case request.SealUse:
		copies, err := request.ParseCount("用印份数", f.Get("copies"), request.MaxCopies)
		if err != nil {
			return n, err
		}
		n.Seal = &request.SealInfo{SealID: f.Get("seal_id"), Material: f.Get("material"), DocID: f.Get("doc_id"), Copies: copies}
	case request.CarUse:
		start, err := request.ParseTime("用车开始时间", f.Get("start"))
		if err != nil {
			return n, err
		}
		end, err := request.ParseTime("用车结束时间", f.Get("end"))
		if err != nil {
			return n, err
		}
		pass, err := request.ParseCount("乘车人数", f.Get("passengers"), request.MaxPassengerN)
		if err != nil {
			return n, err
		}
		n.Car = &request.CarInfo{Start: start, End: end, Destination: f.Get("destination"), Passengers: pass, Names: f.Get("names")}
	default:
		return n, formError("请选择申请类别（用印或用车）")
	}
	return n, nil
}

// reqError answers a refused request operation: 409 for a conflict or a
// request changed meanwhile, 404 for one that does not exist, 400 for input
// over its limit, 422 for other refusals; nil when err is not the user's.
func reqStatus(err error) (int, bool) {
	var rr *request.Refusal
	var ro *route.Refusal
	switch {
	case errors.Is(err, request.ErrConflict), errors.Is(err, store.ErrStale):
		return http.StatusConflict, true
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, true
	case errors.As(err, &rr), errors.As(err, &ro):
		return refusedStatus(err), true
	}
	if userError(err) {
		return refusedStatus(err), true
	}
	return 0, false
}

func (srv *Server) reqCreate(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	f, err := formOf(r)
	var rq request.Request
	if err == nil {
		var n request.New
		if n, err = newRequestFrom(f, v); err == nil {
			if err = srv.reqCheckDoc(ctx, r, &n); err == nil {
				rq, err = srv.store.CreateRequest(ctx, v.Person, n)
			}
		}
	}
	if err == nil {
		if isAPI(r) {
			writeJSON(w, http.StatusCreated, rq)
			return
		}
		http.Redirect(w, r, "/requests/"+rq.ID+"?notice=created", http.StatusSeeOther)
		return
	}
	status, ok := reqStatus(err)
	if !ok {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSONError(w, status, userMessage(err))
		return
	}
	kind := request.Kind(f.Get("kind"))
	if !kind.Valid() {
		kind = request.SealUse
	}
	d, derr := srv.reqNewData(ctx, v, kind)
	if derr != nil {
		srv.serverError(w, r, derr)
		return
	}
	srv.render(w, r, status, "request_new", pageData{Title: "申请" + kind.Label(), Nav: "requests", Data: d, Form: f, Error: userMessage(err)})
}

// loadRequest loads a request the viewer may read (refusals audited).
func (srv *Server) loadRequest(w http.ResponseWriter, r *http.Request) (request.Request, bool) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return request.Request{}, false
	}
	ctx := r.Context()
	rq, err := srv.store.Request(ctx, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		if isAPI(r) {
			writeJSONError(w, http.StatusNotFound, "申请不存在")
		} else {
			srv.notFound(w, r)
		}
		return rq, false
	}
	if err != nil {
		srv.serverError(w, r, err)
		return rq, false
	}
	o, err := srv.reqObject(ctx, viewerFrom(ctx), rq)
	if err != nil {
		srv.serverError(w, r, err)
		return rq, false
	}
	if !srv.authorizeObject(w, r, access.ReadRequest, o, "request") {
		return rq, false
	}
	return rq, true
}

// reqTrackRow is one task of the route as the page shows it.
type reqTrackRow struct {
	Step, To, By, At, Outcome, Comment string
}

type reqPageData struct {
	R         reqRow
	Track     []reqTrackRow
	Mine      []route.Task // the viewer's open tasks
	Step      string       // the key of the step of the viewer's task
	StepName  string
	CanCancel bool
	CanUrge   []route.Task
	Vehicles  []request.Vehicle
	Drivers   []request.Driver
	Odometer  int
	Names     *reqNames
	Requester string
	Seal      string
	Vehicle   string
	Driver    string
	Approved  string
	// The document a 用印 request names, when the viewer may read it, and
	// the electronic seal that stands for its seal (加盖电子印章).
	DocTitle, DocNumber string
	ESealName           string
}

func (srv *Server) reqPageData(ctx context.Context, v *Viewer, rq request.Request) (reqPageData, error) {
	n, err := srv.reqNamesOf(ctx)
	if err != nil {
		return reqPageData{}, err
	}
	d := reqPageData{R: reqRowOf(rq, n), Names: n, Requester: n.Person(rq.Requester)}
	for _, t := range rq.Route.Tasks {
		row := reqTrackRow{Step: rq.Route.Template.Steps[t.Step].Name, To: n.Assignee(t.Assignee), At: fmtCN(t.ActedAt), Comment: t.Comment}
		switch {
		case t.ActedBy != "":
			row.By = n.Person(t.ActedBy)
			row.Outcome = "同意"
			if t.Step == 0 {
				row.Outcome = "提交"
			}
		case t.Status == route.Returned:
			row.Outcome = "已退回"
		case t.Status == route.Open:
			row.Outcome = "待办理"
			if rq.Status == request.Cancelled {
				row.Outcome = "已撤销"
			}
		default:
			row.Outcome = string(t.Status)
		}
		d.Track = append(d.Track, row)
	}
	if rq.Status == request.Cancelled {
		return d, nil
	}
	a, err := srv.store.Actor(ctx, v.Person.ID, srv.store.Now())
	if err != nil {
		return d, err
	}
	for _, t := range rq.Route.OpenTasks() {
		if a.Matches(t.Assignee) || (t.Assignee.Kind == route.Starter && rq.Requester == a.ID) {
			d.Mine = append(d.Mine, t)
			d.Step, d.StepName = rq.Route.Template.Steps[t.Step].Key, rq.Route.Template.Steps[t.Step].Name
		} else if rq.Requester == v.Person.ID {
			d.CanUrge = append(d.CanUrge, t)
		}
	}
	d.CanCancel = rq.Requester == v.Person.ID && (rq.Status == request.Pending || rq.Status == request.Approved)
	if rq.Car != nil && (d.Step == request.StepDispatch || d.Step == request.StepReturn) {
		vs, err := srv.store.ReqVehicles(ctx, rq.OfficeID)
		if err != nil {
			return d, err
		}
		for _, x := range vs {
			if x.Active {
				d.Vehicles = append(d.Vehicles, x)
			}
			if x.ID == rq.Car.VehicleID {
				d.Odometer = x.Odometer
			}
		}
		ds, err := srv.store.ReqDrivers(ctx, rq.OfficeID)
		if err != nil {
			return d, err
		}
		for _, x := range ds {
			if x.Active {
				d.Drivers = append(d.Drivers, x)
			}
		}
	}
	return d, nil
}

func fmtCN(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Shanghai()).Format("2006-01-02 15:04")
}

func (srv *Server) reqPage(w http.ResponseWriter, r *http.Request) {
	rq, ok := srv.loadRequest(w, r)
	if !ok {
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, rq)
		return
	}
	srv.renderReqPage(w, r, http.StatusOK, rq, "", noticeText(r))
}

func (srv *Server) renderReqPage(w http.ResponseWriter, r *http.Request, status int, rq request.Request, errMsg, notice string) {
	ctx := r.Context()
	d, err := srv.reqPageData(ctx, viewerFrom(ctx), rq)
	if err == nil {
		err = srv.reqESealData(ctx, r, rq, &d)
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.render(w, r, status, "request_page", pageData{Title: rq.Kind.Label() + "申请", Nav: "requests", Data: d, Error: errMsg, Notice: notice})
}

// reqOpFrom turns a posted operation into the store's.
func reqOpFrom(op string, f url.Values) (store.ReqOp, any, error) {
	task, _ := strconv.Atoi(f.Get("task"))
	comment := f.Get("comment")
	num := func(label, key string) (int, error) {
		return request.ParseCount(label, f.Get(key), request.MaxOdometer)
	}
	switch op {
	case "approve":
		return store.ReqRoute(route.Request{Op: route.Approve, Task: task, Comment: comment}), map[string]any{"task": task, "comment": comment}, nil
	case "return":
		if strings.TrimSpace(comment) == "" {
			return nil, nil, formError("退回时请填写意见")
		}
		to := f.Get("to_step")
		if to == "" {
			to = request.StepApply
		}
		return store.ReqRoute(route.Request{Op: route.Return, Task: task, ToStep: to, Comment: comment}), map[string]any{"task": task, "comment": comment}, nil
	case "urge":
		return store.ReqRoute(route.Request{Op: route.Urge, Task: task, Comment: comment}), map[string]any{"task": task}, nil
	case "acknowledge":
		return store.ReqRoute(route.Request{Op: route.Acknowledge, Task: task}), map[string]any{"task": task}, nil
	case "stamp":
		copies, err := request.ParseCount("实际用印份数", f.Get("copies"), request.MaxCopies)
		if err != nil {
			return nil, nil, err
		}
		return store.ReqStamp(copies, comment), map[string]any{"copies": copies}, nil
	case "dispatch":
		return store.ReqDispatch(f.Get("vehicle_id"), f.Get("driver_id")), map[string]any{"vehicle": f.Get("vehicle_id"), "driver": f.Get("driver_id")}, nil
	case "return_car":
		start, err := num("出车里程", "odo_start")
		if err != nil {
			return nil, nil, err
		}
		end, err := num("收车里程", "odo_end")
		if err != nil {
			return nil, nil, err
		}
		return store.ReqReturn(start, end), map[string]any{"odo_start": start, "odo_end": end}, nil
	case "cancel":
		return store.ReqCancel(), nil, nil
	}
	return nil, nil, formError("未知的操作")
}

func (srv *Server) reqAction(w http.ResponseWriter, r *http.Request) {
	rq, ok := srv.loadRequest(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	f, err := formOf(r)
	var op store.ReqOp
	var detail any
	if err == nil {
		op, detail, err = reqOpFrom(r.PathValue("op"), f)
	}
	if err == nil {
		var out request.Request
		if out, err = srv.store.ReqAct(ctx, v.Person, rq.ID, r.PathValue("op"), detail, op); err == nil {
			if isAPI(r) {
				writeJSON(w, http.StatusOK, out)
				return
			}
			http.Redirect(w, r, "/requests/"+rq.ID+"?notice=done", http.StatusSeeOther)
			return
		}
	}
	status, ok := reqStatus(err)
	if !ok {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSONError(w, status, userMessage(err))
		return
	}
	if cur, cerr := srv.store.Request(ctx, rq.ID); cerr == nil {
		rq = cur
	}
	srv.renderReqPage(w, r, status, rq, userMessage(err), "")
}

// reqOfficeFor picks the office a management page is about: the one asked
// for if the viewer manages it, else their first; "" (refused, audited) when
// they manage none.
func (srv *Server) reqOfficeFor(w http.ResponseWriter, r *http.Request) (string, bool) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return "", false
	}
	v := viewerFrom(r.Context())
	office := r.URL.Query().Get("office")
	if office == "" {
		if os := reqOffices(v); len(os) > 0 {
			office = os[0]
		}
	}
	if !srv.authorize(w, r, access.ManageRequests, access.Object{Kind: "unit", ID: office, UnitID: office}) {
		return "", false
	}
	return office, true
}

// monthFrom reads ?month=2026-12 (Beijing time); the current month by default.
func (srv *Server) monthFrom(r *http.Request) request.Month {
	if t, err := time.ParseInLocation("2006-01", r.URL.Query().Get("month"), calendar.Shanghai()); err == nil {
		return request.MonthOf(t)
	}
	return request.MonthOf(srv.store.Now())
}

type reqRegisterData struct {
	Office, OfficeID, Month, MonthKey, Prev, Next string
	Header                                        []string
	Rows                                          [][]string
}

func (srv *Server) registerData(ctx context.Context, office string, m request.Month) (reqRegisterData, []request.RegisterRow, *reqNames, error) {
	rows, err := srv.store.SealRegister(ctx, office, m.From, m.To)
	if err != nil {
		return reqRegisterData{}, nil, nil, err
	}
	n, err := srv.reqNamesOf(ctx)
	if err != nil {
		return reqRegisterData{}, nil, nil, err
	}
	loc := calendar.Shanghai()
	d := reqRegisterData{Office: n.Unit(office), OfficeID: office, Month: m.Label(), MonthKey: m.From.In(loc).Format("2006-01"),
		Prev: m.From.In(loc).AddDate(0, -1, 0).Format("2006-01"), Next: m.To.In(loc).Format("2006-01"), Header: request.RegisterHeader}
	for _, x := range rows {
		d.Rows = append(d.Rows, request.RegisterCells(x, n))
	}
	return d, rows, n, nil
}

func (srv *Server) reqRegister(w http.ResponseWriter, r *http.Request) {
	office, ok := srv.reqOfficeFor(w, r)
	if !ok {
		return
	}
	d, rows, _, err := srv.registerData(r.Context(), office, srv.monthFrom(r))
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		if rows == nil {
			rows = []request.RegisterRow{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"office": office, "month": d.MonthKey, "rows": rows})
		return
	}
	page := "request_register"
	if strings.HasSuffix(r.URL.Path, "/print") {
		page = "request_register_print" // a sheet in the week programme's print style (sheet.css)
	}
	srv.render(w, r, http.StatusOK, page, pageData{Title: d.Office + "用印登记簿（" + d.Month + "）", Nav: "requests", Data: d})
}

func (srv *Server) reqRegisterXLSX(w http.ResponseWriter, r *http.Request) {
	office, ok := srv.reqOfficeFor(w, r)
	if !ok {
		return
	}
	m := srv.monthFrom(r)
	d, rows, n, err := srv.registerData(r.Context(), office, m)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="seal-register-%s.xlsx"; filename*=UTF-8''%s`, d.MonthKey,
		url.PathEscape("用印登记簿-"+d.MonthKey+".xlsx")))
	if err := request.WriteRegisterXLSX(w, d.Office+"用印登记簿（"+d.Month+"）", rows, n); err != nil {
		srv.log.Error("write seal register", "err", err)
	}
}

type reqStatsData struct {
	Office, OfficeID, Month, MonthKey, Prev, Next string
	Cars                                          request.CarStats
	Seals                                         []request.UnitSeals
	Names                                         *reqNames
}

func (srv *Server) reqStats(w http.ResponseWriter, r *http.Request) {
	office, ok := srv.reqOfficeFor(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	m := srv.monthFrom(r)
	cars, err := srv.store.CarStats(ctx, office, m)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	seals, err := srv.store.SealStats(ctx, office, m)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	loc := calendar.Shanghai()
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"office": office, "month": m.From.In(loc).Format("2006-01"), "cars": cars, "seals": seals})
		return
	}
	n, err := srv.reqNamesOf(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := reqStatsData{Office: n.Unit(office), OfficeID: office, Month: m.Label(), MonthKey: m.From.In(loc).Format("2006-01"),
		Prev: m.From.In(loc).AddDate(0, -1, 0).Format("2006-01"), Next: m.To.In(loc).Format("2006-01"), Cars: cars, Seals: seals, Names: n}
	srv.render(w, r, http.StatusOK, "request_stats", pageData{Title: "用印用车统计", Nav: "requests", Data: d})
}

type reqPoolData struct {
	Office, OfficeID string
	Seals            []request.Seal
	Vehicles         []request.Vehicle
	Drivers          []request.Driver
	Kinds            []request.SealKind
	People           []option // the office's people, for the seal keeper
	Names            *reqNames
}

func (srv *Server) reqPool(w http.ResponseWriter, r *http.Request) {
	office, ok := srv.reqOfficeFor(w, r)
	if !ok {
		return
	}
	srv.renderPool(w, r, http.StatusOK, office, "", noticeText(r))
}

func (srv *Server) renderPool(w http.ResponseWriter, r *http.Request, status int, office, errMsg, notice string) {
	ctx := r.Context()
	var d reqPoolData
	var err error
	if d.Seals, err = srv.store.ReqSeals(ctx, office); err == nil {
		if d.Vehicles, err = srv.store.ReqVehicles(ctx, office); err == nil {
			d.Drivers, err = srv.store.ReqDrivers(ctx, office)
		}
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"office": office, "seals": d.Seals, "vehicles": d.Vehicles, "drivers": d.Drivers})
		return
	}
	if d.Names, err = srv.reqNamesOf(ctx); err != nil {
		srv.serverError(w, r, err)
		return
	}
	d.Office, d.OfficeID, d.Kinds = d.Names.Unit(office), office, request.SealKinds()
	ps, err := srv.store.People(ctx, store.PeopleFilter{UnitID: office})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, p := range ps {
		d.People = append(d.People, option{p.ID, p.Name})
	}
	srv.render(w, r, status, "request_pool", pageData{Title: "印章与车辆", Nav: "requests", Data: d, Error: errMsg, Notice: notice})
}

func (srv *Server) reqPoolSave(w http.ResponseWriter, r *http.Request) {
	office, ok := srv.reqOfficeFor(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	f := r.PostForm
	id := f.Get("id")
	if id == "" {
		id = uid.New()
	}
	active := f.Get("active") != "0"
	var err error
	switch f.Get("what") {
	case "seal":
		x := request.Seal{ID: id, UnitID: office, Name: f.Get("name"), Kind: request.SealKind(f.Get("kind")), KeeperID: f.Get("keeper_id"), Active: active}
		err = srv.store.Write(ctx, func(tx *store.Tx) error { return tx.PutReqSeal(ctx, v.Person, x) })
	case "vehicle":
		seats, serr := request.ParseCount("座位数", f.Get("seats"), 60)
		odo, oerr := request.ParseCount("里程表读数", f.Get("odometer"), request.MaxOdometer)
		if err = errors.Join(serr, oerr); err == nil {
			x := request.Vehicle{ID: id, UnitID: office, Plate: f.Get("plate"), Model: f.Get("model"), Seats: seats, Odometer: odo, Active: active}
			err = srv.store.Write(ctx, func(tx *store.Tx) error { return tx.PutReqVehicle(ctx, v.Person, x) })
		}
	case "driver":
		x := request.Driver{ID: id, UnitID: office, Name: f.Get("name"), Phone: f.Get("phone"), Active: active}
		err = srv.store.Write(ctx, func(tx *store.Tx) error { return tx.PutReqDriver(ctx, v.Person, x) })
	default:
		err = formError("未知的登记项")
	}
	if err != nil {
		status, ok := reqStatus(err)
		if !ok {
			srv.serverError(w, r, err)
			return
		}
		srv.renderPool(w, r, status, office, userMessage(err), "")
		return
	}
	http.Redirect(w, r, "/requests/pool?office="+url.QueryEscape(office)+"&notice=saved", http.StatusSeeOther)
}
