package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/duty"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// Duty (值班): an office's rosters, generated over the calendar, edited,
// published and printed; swaps requested and approved; each shift's log
// (calls, events escalated to the leaders, instructions passed on) and its
// handover, whose open matters the incoming person acknowledges one by
// one. A shift left without its log or a handover left open shows on the
// office's 预警 page (办文预警, its 值班 section).

func (srv *Server) dutyRoutes() {
	m := srv.mux
	m.HandleFunc("GET /duty", srv.requireLogin(srv.dutyIndex))
	m.HandleFunc("GET /duty/rosters/new", srv.requireLogin(srv.dutyNew))
	m.HandleFunc("POST /duty/rosters", srv.requireLogin(srv.dutyCreate))
	m.HandleFunc("GET /duty/rosters/{id}", srv.requireLogin(srv.dutyRosterPage))
	m.HandleFunc("GET /duty/rosters/{id}/print", srv.requireLogin(srv.dutyRosterPage))
	m.HandleFunc("POST /duty/rosters/{id}/{op}", srv.requireLogin(srv.dutyRosterOp))
	m.HandleFunc("GET /duty/rosters/{id}/shifts/{date}", srv.requireLogin(srv.dutyShiftPage))
	m.HandleFunc("POST /duty/rosters/{id}/shifts/{date}/{op}", srv.requireLogin(srv.dutyShiftOp))
	m.HandleFunc("POST /duty/handovers/{id}/ack", srv.requireLogin(srv.dutyAck))

	m.HandleFunc("GET /api/v1/duty/rosters", srv.requireLogin(srv.dutyIndex))
	m.HandleFunc("POST /api/v1/duty/rosters", srv.requireLogin(srv.dutyCreate))
	m.HandleFunc("GET /api/v1/duty/rosters/{id}", srv.requireLogin(srv.dutyRosterPage))
	m.HandleFunc("POST /api/v1/duty/rosters/{id}/{op}", srv.requireLogin(srv.dutyRosterOp))
	m.HandleFunc("GET /api/v1/duty/rosters/{id}/shifts/{date}", srv.requireLogin(srv.dutyShiftPage))
	m.HandleFunc("POST /api/v1/duty/rosters/{id}/shifts/{date}/{op}", srv.requireLogin(srv.dutyShiftOp))
	m.HandleFunc("POST /api/v1/duty/handovers/{id}/ack", srv.requireLogin(srv.dutyAck))
	m.HandleFunc("GET /api/v1/duty/warnings", srv.requireLogin(srv.dutyWarningsAPI))
}

// maxDutyBody bounds a duty request: a roster's pools, a log entry.
const maxDutyBody = 256 << 10

// dutyInput reads a form, or a JSON object whose values are strings,
// numbers or lists of them, into the same url.Values.
func dutyInput(r *http.Request) (url.Values, error) {
	if !isAPI(r) {
		if err := r.ParseForm(); err != nil {
			return nil, formError("表单无法解析")
		}
		return r.PostForm, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxDutyBody+1))
	if err != nil {
		return nil, formError("请求体无法读取")
	}
	if len(b) > maxDutyBody {
		return nil, formError("请求体过大")
	}
	out := url.Values{}
	if len(strings.TrimSpace(string(b))) == 0 {
		return out, nil
	}
	var in map[string]any
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, formError("请求体不是有效的 JSON 对象")
	}
	var put func(k string, v any) error
	put = func(k string, v any) error {
		switch x := v.(type) {
		case string:
			out.Add(k, x)
		case float64:
			out.Add(k, strconv.FormatFloat(x, 'f', -1, 64))
		case bool:
			out.Add(k, strconv.FormatBool(x))
		case nil:
		case []any:
			for _, e := range x {
				if _, nested := e.([]any); nested {
					return formError("字段 " + k + " 不能嵌套列表")
				}
				if err := put(k, e); err != nil {
					return err
				}
			}
		default:
			return formError("字段 " + k + " 应为文字、数字或它们的列表")
		}
		return nil
	}
	for k, v := range in {
		if err := put(k, v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// dutyUnits are the units whose duty the viewer keeps: the offices where
// they are director or clerk (a section's role counts for its office).
func (srv *Server) dutyUnits(ctx context.Context, v *Viewer) ([]org.Unit, error) {
	n, err := srv.names(ctx)
	if err != nil {
		return nil, err
	}
	var out []org.Unit
	for _, a := range v.Roles {
		if a.Role != org.RoleOfficeDirector && a.Role != org.RoleClerk {
			continue
		}
		id := organOfUnit(n.units, a.UnitID)
		if u, ok := n.units[id]; ok && !slices.ContainsFunc(out, func(x org.Unit) bool { return x.ID == id }) {
			out = append(out, u)
		}
	}
	return out, nil
}

// dutyObject is a roster as the access decisions see it.
func (srv *Server) dutyObject(ctx context.Context, ro duty.Roster) (access.DutyObject, error) {
	n, err := srv.names(ctx)
	if err != nil {
		return access.DutyObject{}, err
	}
	o := access.DutyObject{UnitID: ro.UnitID, Participants: ro.People()}
	for _, u := range n.units {
		if u.ParentID == ro.UnitID && u.Kind == org.KindSection {
			o.Sections = append(o.Sections, u.ID)
		}
	}
	slices.Sort(o.Sections)
	return o, nil
}

// dutyAllowed decides a on the roster; a refusal is audited and answered.
func (srv *Server) dutyAllowed(w http.ResponseWriter, r *http.Request, a access.Action, ro duty.Roster) bool {
	o, err := srv.dutyObject(r.Context(), ro)
	if err != nil {
		srv.serverError(w, r, err)
		return false
	}
	d := access.DecideDuty(viewerFrom(r.Context()).Subject, a, o)
	if !d.Allow {
		srv.refuse(w, r, string(a), d.Reason)
	}
	return d.Allow
}

func (srv *Server) dutyMay(ctx context.Context, a access.Action, ro duty.Roster) (bool, error) {
	o, err := srv.dutyObject(ctx, ro)
	if err != nil {
		return false, err
	}
	return access.DecideDuty(viewerFrom(ctx).Subject, a, o).Allow, nil
}

// loadRoster reads the path's roster; not found is answered.
func (srv *Server) loadRoster(w http.ResponseWriter, r *http.Request) (duty.Roster, bool) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return duty.Roster{}, false
	}
	ro, err := srv.store.DutyRoster(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		if isAPI(r) {
			writeJSONError(w, http.StatusNotFound, "排班表不存在")
		} else {
			srv.notFound(w, r)
		}
		return ro, false
	}
	if err != nil {
		srv.serverError(w, r, err)
		return ro, false
	}
	return ro, true
}

// dutyFail answers a failed write: a refusal or bad input for the person
// (the page again with the message, or JSON), anything else a server error.
func (srv *Server) dutyFail(w http.ResponseWriter, r *http.Request, err error, back func(msg string)) {
	var ref *duty.Refusal
	switch {
	case errors.As(err, &ref) || userError(err) || !isInternal(err):
		msg := err.Error()
		if ref != nil {
			msg = ref.Msg
		}
		if errors.Is(err, store.ErrConflict) {
			msg, _, _ = strings.Cut(msg, ": ")
		}
		if isAPI(r) {
			status := refusedStatus(err)
			if errors.Is(err, store.ErrConflict) {
				status = http.StatusConflict
			}
			writeJSONError(w, status, msg)
			return
		}
		back(msg)
	default:
		srv.serverError(w, r, err)
	}
}

// Views.

type dutyShiftRow struct {
	duty.Shift
	KindLabel, Leader, Staff string
	Weekday                  string // 星期一…, for the printed roster
	Logged                   bool
	Handover                 string // 已交接 / 待确认 n 项 / —
	Mine                     bool
}

type dutyRosterView struct {
	Roster     duty.Roster
	Unit       string
	StateLabel string
	ModeLabel  string
	Rows       []dutyShiftRow
	Swaps      []dutySwapView
	Loads      []dutyLoadView
	Manage     bool
	Print      bool
	Leaders    []dutyPick // the pools, named, for the edit and swap forms
	Staff      []dutyPick
	Mine       []duty.Shift // the viewer's shifts, for a swap request
	MinePost   duty.Post    // the viewer's post on the first of them
	CreatedBy  string
	Published  string
}

type dutyPick struct{ ID, Name string }

type dutySwapView struct {
	duty.Swap
	KindLabel, PostLabel, StateLabel, From, To, Decider string
}

type dutyLoadView struct {
	Name                                     string
	Workday, Weekend, Holiday, Total, Points int
}

func (srv *Server) rosterView(ctx context.Context, ro duty.Roster) (dutyRosterView, error) {
	v := viewerFrom(ctx)
	n, err := srv.names(ctx)
	if err != nil {
		return dutyRosterView{}, err
	}
	d := dutyRosterView{Roster: ro, Unit: n.unit(ro.UnitID), StateLabel: ro.State.Label(), ModeLabel: ro.Rotation.Mode.Label(),
		CreatedBy: n.person(ro.CreatedBy)}
	if ro.PublishedBy != "" {
		d.Published = n.person(ro.PublishedBy)
	}
	if d.Manage, err = srv.dutyMay(ctx, access.ManageDuty, ro); err != nil {
		return d, err
	}
	logged, err := srv.store.DutyLogDates(ctx, ro.ID)
	if err != nil {
		return d, err
	}
	hs, err := srv.store.DutyHandovers(ctx, ro.ID)
	if err != nil {
		return d, err
	}
	for _, s := range ro.Shifts {
		row := dutyShiftRow{Shift: s, KindLabel: s.Kind.Label(), Leader: n.person(s.LeaderID), Staff: n.person(s.StaffID),
			Weekday: planner.WeekdayName(s.Start.In(calendar.Shanghai()).Weekday()),
			Logged:  slices.Contains(logged, s.Date), Handover: "—", Mine: s.Holds(v.Person.ID)}
		for _, h := range hs {
			if h.RosterID == ro.ID && h.Date == s.Date && h.Post == duty.Staff {
				row.Handover = "已交接"
				if !h.Done() {
					row.Handover = fmt.Sprintf("待确认 %d 项", max(h.Open(), 1))
				}
			}
		}
		if row.Mine {
			if len(d.Mine) == 0 {
				d.MinePost = duty.Staff
				if s.LeaderID == v.Person.ID {
					d.MinePost = duty.Leader
				}
			}
			d.Mine = append(d.Mine, s)
		}
		d.Rows = append(d.Rows, row)
	}
	for _, id := range ro.Rotation.Leaders {
		d.Leaders = append(d.Leaders, dutyPick{ID: id, Name: n.person(id)})
	}
	for _, id := range ro.Rotation.Staff {
		d.Staff = append(d.Staff, dutyPick{ID: id, Name: n.person(id)})
	}
	loads := ro.Loads()
	for _, id := range ro.People() {
		l := loads[id]
		d.Loads = append(d.Loads, dutyLoadView{Name: n.person(id), Workday: l.Workday, Weekend: l.Weekend, Holiday: l.Holiday, Total: l.Total(), Points: l.Points()})
	}
	swaps, err := srv.store.DutySwaps(ctx, ro.ID)
	if err != nil {
		return d, err
	}
	for _, s := range swaps {
		sv := dutySwapView{Swap: s, KindLabel: s.Kind.Label(), PostLabel: s.Post.Label(), StateLabel: s.State.Label(), From: n.person(s.FromID), To: n.person(s.ToID)}
		if s.DecidedBy != "" {
			sv.Decider = n.person(s.DecidedBy)
		}
		d.Swaps = append(d.Swaps, sv)
	}
	return d, nil
}

// dutyIndex lists the rosters the viewer may see, their coming shifts and
// the handovers waiting for them.
func (srv *Server) dutyIndex(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	all, err := srv.store.DutyRosters(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	type rosterRow struct {
		duty.Roster
		Unit, StateLabel, ModeLabel string
	}
	type handoverRow struct {
		duty.Handover
		From string
	}
	var d struct {
		Rosters   []rosterRow
		Mine      []store.DutyShiftRef
		Handovers []handoverRow
		Units     []org.Unit
	}
	for _, ro := range all {
		full, err := srv.store.DutyRoster(ctx, ro.ID)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		ok, err := srv.dutyMay(ctx, access.ReadDuty, full)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		if ok {
			ro.Shifts = nil // the list shows headings
			d.Rosters = append(d.Rosters, rosterRow{Roster: ro, Unit: n.unit(ro.UnitID), StateLabel: ro.State.Label(), ModeLabel: ro.Rotation.Mode.Label()})
		}
	}
	if d.Mine, err = srv.store.DutyShiftsOf(ctx, v.Person.ID, srv.store.Now(), 10); err != nil {
		srv.serverError(w, r, err)
		return
	}
	hs, err := srv.store.DutyHandoversTo(ctx, v.Person.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, h := range hs {
		d.Handovers = append(d.Handovers, handoverRow{Handover: h, From: n.person(h.FromID)})
	}
	if d.Units, err = srv.dutyUnits(ctx, v); err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"rosters": d.Rosters, "my_shifts": d.Mine, "handovers_to_me": d.Handovers})
		return
	}
	srv.render(w, r, http.StatusOK, "duty_list", pageData{Title: "值班", Nav: "duty", Data: d})
}

type dutyNewData struct {
	Units  []org.Unit
	UnitID string
	People []dutyPick // the office's and its organ's people
	Modes  []duty.Mode
}

func (srv *Server) dutyNewData(ctx context.Context, v *Viewer, unitID string) (dutyNewData, error) {
	units, err := srv.dutyUnits(ctx, v)
	if err != nil {
		return dutyNewData{}, err
	}
	d := dutyNewData{Units: units, Modes: []duty.Mode{duty.EveryDay, duty.DaysOff}}
	if len(units) == 0 {
		return d, nil
	}
	d.UnitID = units[0].ID
	if slices.ContainsFunc(units, func(u org.Unit) bool { return u.ID == unitID }) {
		d.UnitID = unitID
	}
	n, err := srv.names(ctx)
	if err != nil {
		return d, err
	}
	seen := map[string]bool{}
	from := []string{d.UnitID}
	if p := n.units[d.UnitID].ParentID; p != "" {
		from = append(from, p)
	}
	for _, u := range n.units {
		if u.ParentID == d.UnitID && u.Kind == org.KindSection {
			from = append(from, u.ID)
		}
	}
	for _, uid := range from {
		ps, err := srv.store.People(ctx, store.PeopleFilter{UnitID: uid, Limit: 500})
		if err != nil {
			return d, err
		}
		for _, p := range ps {
			if !seen[p.ID] {
				seen[p.ID] = true
				d.People = append(d.People, dutyPick{ID: p.ID, Name: p.Name + "（" + n.unit(uid) + "）"})
			}
		}
	}
	return d, nil
}

func (srv *Server) dutyNew(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	srv.renderDutyNew(w, r, http.StatusOK, "")
}

func (srv *Server) renderDutyNew(w http.ResponseWriter, r *http.Request, status int, msg string) {
	ctx := r.Context()
	d, err := srv.dutyNewData(ctx, viewerFrom(ctx), r.FormValue("unit_id"))
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	form := r.PostForm
	if status == http.StatusOK {
		form = nil
	}
	srv.render(w, r, status, "duty_new", pageData{Title: "新建排班表", Nav: "duty", Error: msg, Form: form, Data: d})
}

// dutyCreate generates a draft roster for an office the viewer keeps.
func (srv *Server) dutyCreate(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	in, err := dutyInput(r)
	if err != nil {
		srv.dutyFail(w, r, err, func(m string) { srv.renderDutyNew(w, r, http.StatusUnprocessableEntity, m) })
		return
	}
	unitID := in.Get("unit_id")
	if !srv.dutyAllowed(w, r, access.ManageDuty, duty.Roster{UnitID: unitID}) {
		return
	}
	n := duty.NewRoster{UnitID: unitID, Title: in.Get("title"), From: in.Get("from"), To: in.Get("to"),
		Rotation: duty.Rotation{Mode: duty.Mode(in.Get("mode")), Handover: in.Get("handover"), Leaders: in["leaders"], Staff: in["staff"]}}
	if n.Rotation.Away, err = srv.awayOf(ctx, in, n.Rotation.Leaders, n.Rotation.Staff); err != nil {
		srv.dutyFail(w, r, err, func(m string) { srv.renderDutyNew(w, r, http.StatusUnprocessableEntity, m) })
		return
	}
	var ro duty.Roster
	err = srv.store.Write(ctx, func(tx *store.Tx) error {
		var err error
		ro, err = tx.CreateDutyRoster(ctx, v.Person, n)
		return err
	})
	if err != nil {
		srv.dutyFail(w, r, err, func(m string) { srv.renderDutyNew(w, r, http.StatusUnprocessableEntity, m) })
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusCreated, ro)
		return
	}
	http.Redirect(w, r, "/duty/rosters/"+ro.ID+"?notice=created", http.StatusSeeOther)
}

// parseAway reads absences, one person a line: "ID 2026-12-08
// 2026-12-10至2026-12-12" (the API's form of them).
func parseAway(s string) (map[string][]string, error) {
	out := map[string][]string{}
	for i, line := range strings.Split(s, "\n") {
		id, dates, _ := strings.Cut(strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(line, "，", " "), ",", " ")), " ")
		if id == "" {
			continue
		}
		if strings.TrimSpace(dates) == "" {
			return nil, formError(fmt.Sprintf("请假外出第 %d 行应为“人员 日期 日期…”", i+1))
		}
		ds, err := duty.ParseDays(dates, calendar.Shanghai())
		if err != nil {
			return nil, err
		}
		out[id] = append(out[id], ds...)
	}
	return out, nil
}

// awayOf reads the absences a roster is generated with: the API's "away"
// lines, and the form's box per person in the pools ("away.<ID>": that
// person's dates and ranges, named by the person in a refusal).
func (srv *Server) awayOf(ctx context.Context, in url.Values, pools ...[]string) (map[string][]string, error) {
	out := map[string][]string{}
	if s := strings.TrimSpace(in.Get("away")); s != "" {
		var err error
		if out, err = parseAway(s); err != nil {
			return nil, err
		}
	}
	read := map[string]bool{}
	for _, pool := range pools {
		for _, id := range pool {
			s := strings.TrimSpace(in.Get("away." + id))
			if s == "" || read[id] {
				continue
			}
			read[id] = true
			ds, err := duty.ParseDays(s, calendar.Shanghai())
			if err != nil {
				n, nerr := srv.names(ctx)
				if nerr != nil {
					return nil, nerr
				}
				return nil, formError(n.person(id) + "的请假日期：" + err.Error())
			}
			out[id] = append(out[id], ds...)
		}
	}
	return out, nil
}

func (srv *Server) dutyRosterPage(w http.ResponseWriter, r *http.Request) {
	ro, ok := srv.loadRoster(w, r)
	if !ok || !srv.dutyAllowed(w, r, access.ReadDuty, ro) {
		return
	}
	srv.renderRoster(w, r, ro, http.StatusOK, "")
}

func (srv *Server) renderRoster(w http.ResponseWriter, r *http.Request, ro duty.Roster, status int, msg string) {
	d, err := srv.rosterView(r.Context(), ro)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"roster": ro, "swaps": d.Swaps, "unit": d.Unit})
		return
	}
	d.Print = strings.HasSuffix(r.URL.Path, "/print")
	if d.Print {
		// A sheet of its own in the week programme's print style (sheet.css).
		srv.render(w, r, status, "duty_roster_print", pageData{Title: ro.Title, Nav: "duty", Error: msg, Data: d})
		return
	}
	srv.render(w, r, status, "duty_roster", pageData{Title: ro.Title, Nav: "duty", Error: msg, Data: d})
}

// dutyRosterOp: assign, regenerate, publish (the office); swap (who holds
// the shift); approve, reject (the office).
func (srv *Server) dutyRosterOp(w http.ResponseWriter, r *http.Request) {
	ro, ok := srv.loadRoster(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	op := r.PathValue("op")
	need := access.ManageDuty
	if op == "swap" {
		need = access.ReadDuty
	}
	if !srv.dutyAllowed(w, r, need, ro) {
		return
	}
	in, err := dutyInput(r)
	back := func(m string) {
		again, err := srv.store.DutyRoster(ctx, ro.ID)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		srv.renderRoster(w, r, again, http.StatusUnprocessableEntity, m)
	}
	if err != nil {
		srv.dutyFail(w, r, err, back)
		return
	}
	var out any
	notice := "saved"
	err = srv.store.Write(ctx, func(tx *store.Tx) error {
		switch op {
		case "assign":
			date, post, person := in.Get("date"), duty.Post(in.Get("post")), in.Get("person")
			res, err := tx.EditDutyRoster(ctx, v.Person, ro.ID, "duty.roster.assign", func(x duty.Roster) (duty.Roster, error) {
				return duty.Assign(x, date, post, person)
			}, map[string]string{"date": date, "post": post.Label()})
			out = res
			return err
		case "regenerate":
			res, err := tx.EditDutyRoster(ctx, v.Person, ro.ID, "duty.roster.regenerate", func(x duty.Roster) (duty.Roster, error) {
				return duty.Regenerate(srv.store.Calendar(), x, x.Rotation)
			}, nil)
			out = res
			return err
		case "publish":
			res, err := tx.PublishDutyRoster(ctx, v.Person, ro.ID)
			out, notice = res, "published"
			return err
		case "swap":
			keepers, err := srv.dutyKeepers(ctx, ro)
			if err != nil {
				return err
			}
			res, err := tx.RequestDutySwap(ctx, v.Person, duty.Swap{RosterID: ro.ID, Kind: duty.SwapKind(in.Get("kind")), Post: duty.Post(in.Get("post")),
				Date: in.Get("date"), ToID: in.Get("to"), WithDate: in.Get("with_date"), Reason: in.Get("reason")}, keepers)
			out, notice = res, "swap"
			return err
		case "approve", "reject":
			id := in.Get("swap")
			if sw, err := srv.store.DutySwaps(ctx, ro.ID); err != nil {
				return err
			} else if !slices.ContainsFunc(sw, func(s duty.Swap) bool { return s.ID == id }) {
				return &duty.Refusal{Msg: "换班申请不存在"}
			}
			res, err := tx.DecideDutySwap(ctx, v.Person, id, op == "approve", in.Get("note"))
			out = res
			return err
		}
		return errDutyOp
	})
	srv.dutyOpDone(w, r, err, back, out, "/duty/rosters/"+ro.ID+"?notice="+notice)
}

var errDutyOp = errors.New("no such duty operation")

// dutyOpDone answers an operation on a roster or a shift: 404 for an
// operation that does not exist, the refusal, or the result (JSON) or a
// redirect to next (pages).
func (srv *Server) dutyOpDone(w http.ResponseWriter, r *http.Request, err error, back func(msg string), out any, next string) {
	if errors.Is(err, errDutyOp) {
		if isAPI(r) {
			writeJSONError(w, http.StatusNotFound, "没有这项操作")
		} else {
			srv.notFound(w, r)
		}
		return
	}
	if err != nil {
		srv.dutyFail(w, r, err, back)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, out)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func init() {
	notices["published"] = "排班表已发布，值班人员已收到通知，带班领导的值班已列入其日程。"
	notices["swap"] = "换班申请已提交，等待办公室审批。"
	notices["logged"] = "已记入值班日志。"
	notices["submitted"] = "值班日志已提交。"
	notices["handed"] = "已交班，等待接班人员确认。"
	notices["acked"] = "已确认。"
}

// dutyKeepers are the people who keep the roster's office's duty: its
// director and clerks, of the office and its sections.
func (srv *Server) dutyKeepers(ctx context.Context, ro duty.Roster) ([]string, error) {
	o, err := srv.dutyObject(ctx, ro)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range append([]string{o.UnitID}, o.Sections...) {
		for _, role := range []org.Role{org.RoleOfficeDirector, org.RoleClerk} {
			ids, err := srv.store.DutyRoleHolders(ctx, u, role)
			if err != nil {
				return nil, err
			}
			for _, id := range ids {
				if !slices.Contains(out, id) {
					out = append(out, id)
				}
			}
		}
	}
	return out, nil
}

// Shift page.

type dutyEntryView struct {
	duty.Entry
	KindLabel, LevelLabel, By string
}

type dutyHandoverView struct {
	duty.Handover
	From, To, PostLabel string
	Mine                bool // the viewer is the incoming person
}

type dutyShiftView struct {
	Roster    duty.Roster
	Shift     duty.Shift
	KindLabel string
	Leader    string
	Staff     string
	Log       duty.Log
	Entries   []dutyEntryView
	LoggedBy  string
	Out       []dutyHandoverView // from this shift
	In        []dutyHandoverView // into this shift
	Keep      bool               // the viewer may write the log and hand over
	Follow    bool               // the viewer may follow up an event (on the roster, or the office)
	Levels    []duty.Level
	Now       time.Time
}

func (srv *Server) shiftView(ctx context.Context, ro duty.Roster, s duty.Shift) (dutyShiftView, error) {
	v := viewerFrom(ctx)
	n, err := srv.names(ctx)
	if err != nil {
		return dutyShiftView{}, err
	}
	d := dutyShiftView{Roster: ro, Shift: s, KindLabel: s.Kind.Label(), Leader: n.person(s.LeaderID), Staff: n.person(s.StaffID),
		Levels: duty.Levels(), Now: srv.store.Now()}
	manage, err := srv.dutyMay(ctx, access.ManageDuty, ro)
	if err != nil {
		return d, err
	}
	d.Keep = ro.State == duty.Published && (s.Holds(v.Person.ID) || manage)
	d.Follow = ro.State == duty.Published && (manage || slices.Contains(ro.People(), v.Person.ID))
	if d.Log, err = srv.store.DutyLog(ctx, ro.ID, s.Date); err != nil {
		return d, err
	}
	if d.Log.SubmittedBy != "" {
		d.LoggedBy = n.person(d.Log.SubmittedBy)
	}
	for _, e := range d.Log.Entries {
		ev := dutyEntryView{Entry: e, KindLabel: e.Kind.Label(), By: n.person(e.ByID)}
		if e.Kind == duty.Event {
			ev.LevelLabel = e.Level.Label()
		}
		d.Entries = append(d.Entries, ev)
	}
	hs, err := srv.store.DutyHandovers(ctx, ro.ID)
	if err != nil {
		return d, err
	}
	for _, h := range hs {
		hv := dutyHandoverView{Handover: h, From: n.person(h.FromID), To: n.person(h.ToID), PostLabel: h.Post.Label(), Mine: h.ToID == v.Person.ID}
		if h.RosterID == ro.ID && h.Date == s.Date {
			d.Out = append(d.Out, hv)
		}
		if h.ToRosterID == ro.ID && h.ToDate == s.Date {
			d.In = append(d.In, hv)
		}
	}
	return d, nil
}

func (srv *Server) loadShift(w http.ResponseWriter, r *http.Request) (duty.Roster, duty.Shift, bool) {
	ro, ok := srv.loadRoster(w, r)
	if !ok {
		return ro, duty.Shift{}, false
	}
	s, found := ro.Shift(r.PathValue("date"))
	if !found {
		if isAPI(r) {
			writeJSONError(w, http.StatusNotFound, "该日不在排班表中")
		} else {
			srv.notFound(w, r)
		}
		return ro, s, false
	}
	return ro, s, srv.dutyAllowed(w, r, access.ReadDuty, ro)
}

func (srv *Server) dutyShiftPage(w http.ResponseWriter, r *http.Request) {
	ro, s, ok := srv.loadShift(w, r)
	if !ok {
		return
	}
	srv.renderShift(w, r, ro, s, http.StatusOK, "")
}

func (srv *Server) renderShift(w http.ResponseWriter, r *http.Request, ro duty.Roster, s duty.Shift, status int, msg string) {
	d, err := srv.shiftView(r.Context(), ro, s)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"shift": s, "log": d.Log, "handovers_out": d.Out, "handovers_in": d.In})
		return
	}
	form := r.PostForm
	if status == http.StatusOK {
		form = nil
	}
	srv.render(w, r, status, "duty_shift", pageData{Title: s.Date + " 值班", Nav: "duty", Error: msg, Form: form, Data: d})
}

// dutyShiftOp: entry, submit, handover — by who is on the shift (or the
// office); followup {entry, text} of an event — by anyone on the roster.
func (srv *Server) dutyShiftOp(w http.ResponseWriter, r *http.Request) {
	ro, s, ok := srv.loadShift(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	manage, err := srv.dutyMay(ctx, access.ManageDuty, ro)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	back := func(m string) { srv.renderShift(w, r, ro, s, http.StatusUnprocessableEntity, m) }
	in, err := dutyInput(r)
	if err != nil {
		srv.dutyFail(w, r, err, back)
		return
	}
	var out any
	notice := ""
	err = srv.store.Write(ctx, func(tx *store.Tx) error {
		switch r.PathValue("op") {
		case "entry":
			e := duty.Entry{Kind: duty.EntryKind(in.Get("kind")), Party: in.Get("party"), PartyUnit: in.Get("party_unit"), Title: in.Get("title"),
				Content: in.Get("content"), Handling: in.Get("handling")}
			if lv := in.Get("level"); lv != "" {
				n, err := strconv.Atoi(lv)
				if err != nil {
					return &duty.Refusal{Msg: "请选择事件等级"}
				}
				e.Level = duty.Level(n)
			}
			if a := strings.TrimSpace(in.Get("at")); a != "" {
				t, err := parseDutyTime(a)
				if err != nil {
					return err
				}
				e.At = t
			}
			res, err := tx.AddDutyEntry(ctx, v.Person, ro.ID, s.Date, e, manage)
			out, notice = res, "logged"
			return err
		case "followup":
			res, err := tx.FollowUpDutyEntry(ctx, v.Person, ro.ID, in.Get("entry"), in.Get("text"), manage)
			out, notice = res, "logged"
			return err
		case "submit":
			res, err := tx.SubmitDutyLog(ctx, v.Person, ro.ID, s.Date, in.Get("summary"), manage)
			out, notice = res, "submitted"
			return err
		case "handover":
			matters := in["matters"]
			if !isAPI(r) {
				matters = strings.Split(in.Get("matters"), "\n")
			}
			res, err := tx.HandOverDuty(ctx, v.Person, ro.ID, s.Date, matters, in.Get("note"))
			out, notice = res, "handed"
			return err
		}
		return errDutyOp
	})
	srv.dutyOpDone(w, r, err, back, out, "/duty/rosters/"+ro.ID+"/shifts/"+s.Date+"?notice="+notice)
}

// parseDutyTime reads a datetime-local value or "YYYY-MM-DD HH:MM", Beijing time.
func parseDutyTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, chinaTime); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &duty.Refusal{Msg: "时间格式应为 YYYY-MM-DD HH:MM"}
}

// dutyAck: the incoming person acknowledges a handed-over matter.
func (srv *Server) dutyAck(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	h, err := srv.store.DutyHandover(ctx, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		if isAPI(r) {
			writeJSONError(w, http.StatusNotFound, "交接记录不存在")
		} else {
			srv.notFound(w, r)
		}
		return
	}
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	ro, err := srv.store.DutyRoster(ctx, h.ToRosterID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if !srv.dutyAllowed(w, r, access.ReadDuty, ro) {
		return
	}
	back := func(m string) {
		if s, ok := ro.Shift(h.ToDate); ok {
			srv.renderShift(w, r, ro, s, http.StatusUnprocessableEntity, m)
			return
		}
		srv.renderRoster(w, r, ro, http.StatusUnprocessableEntity, m)
	}
	in, err := dutyInput(r)
	if err != nil {
		srv.dutyFail(w, r, err, back)
		return
	}
	seq, err := strconv.Atoi(strings.TrimSpace(in.Get("seq")))
	if err != nil {
		srv.dutyFail(w, r, formError("请指明确认第几项"), back)
		return
	}
	err = srv.store.Write(ctx, func(tx *store.Tx) error {
		h, err = tx.AcknowledgeDuty(ctx, v.Person, h.ID, seq)
		return err
	})
	if err != nil {
		srv.dutyFail(w, r, err, back)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, h)
		return
	}
	http.Redirect(w, r, "/duty/rosters/"+h.ToRosterID+"/shifts/"+h.ToDate+"?notice=acked", http.StatusSeeOther)
}

// Warnings (预警): the office's view, in the 办文预警 page and the API.

type dutyWatchRow struct {
	Kind     string    `json:"kind"`
	Why      string    `json:"why"`
	RosterID string    `json:"roster_id"`
	Roster   string    `json:"roster"`
	Date     string    `json:"date"`
	Who      string    `json:"who"`
	Since    time.Time `json:"since"`
	Overdue  string    `json:"overdue"`
	Open     int       `json:"open,omitempty"`
}

// dutyWatch is the organ's duty warnings (its office and its sections'
// rosters) over the last 30 days.
func (srv *Server) dutyWatch(ctx context.Context, organ string, now time.Time) ([]dutyWatchRow, error) {
	n, err := srv.names(ctx)
	if err != nil {
		return nil, err
	}
	units := []string{organ}
	for _, u := range n.units {
		if u.ParentID == organ && u.Kind == org.KindSection {
			units = append(units, u.ID)
		}
	}
	ws, err := srv.store.DutyWarnings(ctx, units, now, 30)
	if err != nil {
		return nil, err
	}
	titles := map[string]string{}
	out := make([]dutyWatchRow, 0, len(ws))
	for _, w := range ws {
		if _, ok := titles[w.RosterID]; !ok {
			ro, err := srv.store.DutyRoster(ctx, w.RosterID)
			if err != nil {
				return nil, err
			}
			titles[w.RosterID] = ro.Title
		}
		why := w.Kind.Label()
		if w.Kind == duty.Unacknowledged {
			why = fmt.Sprintf("%s（%d 项未确认）", why, max(w.Open, 1))
		}
		out = append(out, dutyWatchRow{Kind: string(w.Kind), Why: why, RosterID: w.RosterID, Roster: titles[w.RosterID], Date: w.Date,
			Who: n.person(w.Who), Since: w.Since, Overdue: overdueFor(now.Sub(w.Since)), Open: w.Open})
	}
	return out, nil
}

// dutyWarningsAPI answers the duty warnings of the organs whose office the
// viewer works in.
func (srv *Server) dutyWarningsAPI(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	organs := watchOrgans(viewerFrom(ctx), n.units)
	if len(organs) == 0 {
		srv.refuse(w, r, string(access.ManageDuty), "仅机关办公室人员和机关负责人可查看值班预警")
		return
	}
	type organ struct {
		ID       string         `json:"id"`
		Name     string         `json:"name"`
		Warnings []dutyWatchRow `json:"warnings"`
	}
	var out []organ
	for _, id := range organs {
		rows, err := srv.dutyWatch(ctx, id, srv.store.Now())
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		out = append(out, organ{ID: id, Name: n.units[id].Name, Warnings: rows})
	}
	writeJSON(w, http.StatusOK, map[string]any{"organs": out})
}
