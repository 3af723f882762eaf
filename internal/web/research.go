package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/research"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/study"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// researchRoutes registers the 调研 pages and their JSON API.
func (srv *Server) researchRoutes() {
	m := srv.mux
	m.HandleFunc("GET /research", srv.requireLogin(srv.researchList))
	m.HandleFunc("POST /research", srv.requireLogin(srv.researchCreate))
	m.HandleFunc("GET /research/library", srv.requireLogin(srv.researchLibrary))
	m.HandleFunc("GET /research/{id}", srv.requireLogin(srv.researchPage))
	m.HandleFunc("POST /research/{id}/{op}", srv.requireLogin(srv.researchAction))

	m.HandleFunc("GET /api/v1/research", srv.requireLogin(srv.researchList))
	m.HandleFunc("POST /api/v1/research", srv.requireLogin(srv.researchCreate))
	m.HandleFunc("GET /api/v1/research/library", srv.requireLogin(srv.researchLibrary))
	m.HandleFunc("GET /api/v1/research/{id}", srv.requireLogin(srv.researchPage))
	m.HandleFunc("POST /api/v1/research/{id}/{op}", srv.requireLogin(srv.researchAction))
}

// viewerOffice is the office whose 调研 and 学习 the viewer keeps or is
// served by: where they are director or 文秘 of an office, else the office
// serving them (a leader's), else none.
func (srv *Server) viewerOffice(ctx context.Context, v *Viewer) (string, error) {
	us, err := srv.units(ctx)
	if err != nil {
		return "", err
	}
	for _, ra := range v.Roles {
		if ra.Role == org.RoleOfficeDirector || ra.Role == org.RoleClerk {
			if i := slices.IndexFunc(us, func(u org.Unit) bool { return u.ID == ra.UnitID }); i >= 0 && us[i].Kind == org.KindOffice {
				return ra.UnitID, nil
			}
		}
	}
	return srv.store.ServingOffice(ctx, v.Person.ID)
}

func researchObject(t research.Topic) access.Object {
	people := append(t.People(), t.SetBy)
	return access.Object{Kind: "research_topic", ID: t.ID, UnitID: t.OfficeID, Grants: t.Units(), Participants: people}
}

// researchNames names units and people on the 调研 pages.
type researchNames struct{ n *names }

func (n researchNames) Unit(id string) string   { return n.n.unit(id) }
func (n researchNames) Person(id string) string { return n.n.person(id) }
func (n researchNames) Units(ids []string) string {
	var out []string
	for _, id := range ids {
		out = append(out, n.n.unit(id))
	}
	return strings.Join(out, "、")
}
func (n researchNames) People(ids []string) string {
	var out []string
	for _, id := range ids {
		out = append(out, n.n.person(id))
	}
	return strings.Join(out, "、")
}

// pickable are the units a topic or an entry can name (departments and towns) and the leaders.
func (srv *Server) pickable(ctx context.Context) (units, leaders []option, err error) {
	us, err := srv.units(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, u := range us {
		if u.Kind == org.KindDepartment || u.Kind == org.KindTown || u.Kind == org.KindOffice {
			units = append(units, option{u.ID, u.Name})
		}
	}
	ids, err := srv.store.PeopleWithRole(ctx, org.RoleLeader)
	if err != nil {
		return nil, nil, err
	}
	names, err := srv.store.PersonNames(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	for _, id := range ids {
		leaders = append(leaders, option{id, names[id]})
	}
	slices.SortFunc(leaders, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	return units, leaders, nil
}

type researchListData struct {
	Topics  []research.Topic
	Names   researchNames
	Manage  bool
	Office  string
	Units   []option
	Leaders []option
	Now     time.Time
}

func (srv *Server) researchList(w http.ResponseWriter, r *http.Request) {
	srv.renderResearchList(w, r, http.StatusOK, nil, "")
}

func (srv *Server) renderResearchList(w http.ResponseWriter, r *http.Request, status int, form url.Values, msg string) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	office, err := srv.viewerOffice(ctx, v)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	var ts []research.Topic
	if office != "" {
		if ts, err = srv.store.ResearchTopics(ctx, store.ResearchFilter{OfficeID: office, Limit: 500}); err != nil {
			srv.serverError(w, r, err)
			return
		}
	}
	if units := viewerUnits(v); len(units) > 0 {
		mine, err := srv.store.ResearchTopics(ctx, store.ResearchFilter{UnitIDs: units, Limit: 500})
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		for _, t := range mine {
			if !slices.ContainsFunc(ts, func(o research.Topic) bool { return o.ID == t.ID }) {
				ts = append(ts, t)
			}
		}
	}
	ts = slices.DeleteFunc(ts, func(t research.Topic) bool {
		return !access.Decide(v.Subject, access.ReadResearch, researchObject(t)).Allow
	})
	slices.SortStableFunc(ts, func(a, b research.Topic) int { return b.CreatedAt.Compare(a.CreatedAt) })
	if isAPI(r) && status == http.StatusOK {
		out := make([]researchTopicJSON, len(ts))
		for i, t := range ts {
			out[i] = srv.researchJSON(t)
		}
		writeJSON(w, http.StatusOK, map[string]any{"topics": out})
		return
	}
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := researchListData{Topics: ts, Names: researchNames{n}, Office: office, Now: srv.store.Now(),
		Manage: office != "" && access.Decide(v.Subject, access.ManageResearch, access.Object{UnitID: office}).Allow}
	if d.Manage {
		if d.Units, d.Leaders, err = srv.pickable(ctx); err != nil {
			srv.serverError(w, r, err)
			return
		}
	}
	srv.render(w, r, status, "research_list", pageData{Title: "调研", Nav: "research", Data: d, Form: form, Error: msg})
}

// researchFail answers a refused operation: JSON, or the page again with
// the message and the form as typed.
func (srv *Server) researchFail(w http.ResponseWriter, r *http.Request, err error, again func(status int, form url.Values, msg string)) {
	var rr *research.Refusal
	var sr *study.Refusal
	status := 0
	switch {
	case errors.Is(err, store.ErrStale):
		status = http.StatusConflict
	case errors.Is(err, store.ErrNotFound):
		status = http.StatusNotFound
	case errors.As(err, &rr), errors.As(err, &sr), errors.Is(err, textlimit.ErrTooLong), userError(err):
		status = refusedStatus(err)
	default:
		srv.serverError(w, r, err)
		return
	}
	if errors.As(err, new(formError)) {
		status = http.StatusBadRequest
	}
	if isAPI(r) {
		writeJSONError(w, status, userMessage(err))
		return
	}
	f, _ := formOf(r)
	again(status, f, userMessage(err))
}

// dayEnd reads a date typed on a form as the end of that working day.
func dayEnd(label, s string) (time.Time, error) {
	t, err := parseDay(label, s)
	if err != nil {
		return t, err
	}
	return t.Add(8*time.Hour + 30*time.Minute), nil // 17:30
}

// parseClock reads "2026-03-05 09:00" (Beijing time).
func parseClock(label, s string) (time.Time, error) {
	s = strings.TrimSpace(strings.Replace(s, "T", " ", 1))
	if s == "" {
		return time.Time{}, formError("请填写" + label)
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Shanghai())
	if err != nil {
		return t, formError(label + "格式不正确，应为 2026-03-05 09:00")
	}
	return t, nil
}

func (srv *Server) researchCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	office, err := srv.viewerOffice(ctx, v)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if !srv.authorize(w, r, access.ManageResearch, access.Object{UnitID: office}) {
		return
	}
	again := func(status int, form url.Values, msg string) { srv.renderResearchList(w, r, status, form, msg) }
	f, err := formOf(r)
	if err != nil {
		srv.researchFail(w, r, formError(err.Error()), again)
		return
	}
	due, err := dayEnd("完成时限", f.Get("due"))
	if err != nil {
		srv.researchFail(w, r, err, again)
		return
	}
	var as []research.Assignee
	for _, u := range f["unit"] {
		if u != "" {
			as = append(as, research.Assignee{UnitID: u})
		}
	}
	t, err := srv.store.CreateResearchTopic(ctx, v.Person, research.NewTopic{ID: uid.New(), OfficeID: office, Title: f.Get("title"), Brief: f.Get("brief"),
		Source: research.Source(f.Get("source")), SetBy: f.Get("set_by"), Assignees: as, Due: due})
	if err != nil {
		srv.researchFail(w, r, err, again)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusCreated, srv.researchJSON(t))
		return
	}
	http.Redirect(w, r, "/research/"+t.ID, http.StatusSeeOther)
}

// researchFinding is a proofreading finding on a report under review.
type researchFinding struct {
	proofread.Finding
	Key string
}

type researchPageData struct {
	T          research.Topic
	Names      researchNames
	Manage     bool
	MyUnits    []string // the assigned units the viewer reports for
	Supervises bool
	SupUnits   []option
	Leaders    []option
	Findings   map[int][]researchFinding
	ProofNote  string
	Now        time.Time
}

func (srv *Server) loadResearch(w http.ResponseWriter, r *http.Request) (research.Topic, bool) {
	// Who may not open any 调研 or 学习 page learns nothing of what exists.
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return research.Topic{}, false
	}
	t, err := srv.store.ResearchTopic(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		srv.notFound(w, r)
		return t, false
	}
	if err != nil {
		srv.serverError(w, r, err)
		return t, false
	}
	return t, srv.authorize(w, r, access.ReadResearch, researchObject(t))
}

func (srv *Server) researchPage(w http.ResponseWriter, r *http.Request) {
	t, ok := srv.loadResearch(w, r)
	if !ok {
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, srv.researchJSON(t))
		return
	}
	srv.renderResearchPage(w, r, t, http.StatusOK, nil, "")
}

func (srv *Server) renderResearchPage(w http.ResponseWriter, r *http.Request, t research.Topic, status int, form url.Values, msg string) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := researchPageData{T: t, Names: researchNames{n}, Now: srv.store.Now(), Supervises: supOffice(v) != "",
		Manage: access.Decide(v.Subject, access.ManageResearch, researchObject(t)).Allow}
	for _, u := range t.Units() {
		if slices.Contains(viewerUnits(v), u) {
			d.MyUnits = append(d.MyUnits, u)
		}
	}
	if d.Manage || d.Supervises {
		if d.SupUnits, d.Leaders, err = srv.pickable(ctx); err != nil {
			srv.serverError(w, r, err)
			return
		}
	}
	if d.Manage {
		d.Findings = map[int][]researchFinding{}
		c, err := srv.checker(ctx)
		for _, rep := range t.Reports {
			if err != nil || rep.State != research.Submitted {
				continue
			}
			pctx, cancel := context.WithTimeout(ctx, proofTimeout)
			fs, cerr := c.CheckContext(pctx, rep.Body)
			cancel()
			if cerr != nil {
				err = proofStopped(cerr)
				continue
			}
			for _, f := range fs {
				if !slices.Contains(rep.Ignored, f.Key()) {
					d.Findings[rep.No] = append(d.Findings[rep.No], researchFinding{f, f.Key()})
				}
			}
		}
		if err != nil {
			d.ProofNote = err.Error()
		}
	}
	notice := ""
	switch r.URL.Query().Get("notice") {
	case "done":
		notice = "已办理"
	case "urged":
		notice = "已催报"
	}
	srv.render(w, r, status, "research_page", pageData{Title: t.Title, Nav: "research", Data: d, Form: form, Error: msg, Notice: notice})
}

func (srv *Server) researchAction(w http.ResponseWriter, r *http.Request) {
	t, ok := srv.loadResearch(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	op := r.PathValue("op")
	again := func(status int, form url.Values, msg string) { srv.renderResearchPage(w, r, t, status, form, msg) }
	f, err := formOf(r)
	if err != nil {
		srv.researchFail(w, r, formError(err.Error()), again)
		return
	}
	me := v.Person.ID
	no, _ := strconv.Atoi(f.Get("report"))
	unit := f.Get("unit")
	need := access.ManageResearch
	obj := researchObject(t)
	if op == "plan" || op == "submit" {
		need, obj.Grants = access.ReportResearch, []string{unit}
		if !t.Assigned(unit) {
			obj.Grants = nil
		}
	}
	if op != "supervise" && !srv.authorize(w, r, need, obj) {
		return
	}
	var fn store.ResearchOp
	detail := map[string]any{"report": no}
	switch op {
	case "plan":
		fn = func(x research.Topic) (research.Topic, error) {
			return research.AddPlan(x, unit, me, f.Get("text"), srv.store.Now())
		}
	case "submit":
		fn = func(x research.Topic) (research.Topic, error) {
			x, _, err := research.Submit(x, unit, me, f.Get("title"), f.Get("body"), srv.store.Now())
			return x, err
		}
		detail["title"] = f.Get("title")
	case "trip":
		start, err := parseClock("出发时间", f.Get("start"))
		if err != nil {
			srv.researchFail(w, r, err, again)
			return
		}
		end, err := parseClock("返回时间", f.Get("end"))
		if err != nil {
			srv.researchFail(w, r, err, again)
			return
		}
		tr := research.Trip{ID: uid.New(), Place: f.Get("place"), Purpose: f.Get("purpose"), Start: start, End: end, Leaders: f["leader"],
			Members: strings.FieldsFunc(f.Get("members"), func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == '\n' })}
		fn = func(x research.Topic) (research.Topic, error) { return research.AddTrip(x, tr, me, srv.store.Now()) }
		detail["place"] = tr.Place
	case "cancel_trip":
		fn = func(x research.Topic) (research.Topic, error) {
			return research.CancelTrip(x, f.Get("trip"), me, srv.store.Now())
		}
	case "return":
		fn = func(x research.Topic) (research.Topic, error) {
			return research.Return(x, no, me, f.Get("reason"), srv.store.Now())
		}
		detail["reason"] = f.Get("reason")
	case "accept":
		fn = func(x research.Topic) (research.Topic, error) { return research.Accept(x, no, me, srv.store.Now()) }
	case "correct":
		start, _ := strconv.Atoi(f.Get("start"))
		end, _ := strconv.Atoi(f.Get("end"))
		fn = func(x research.Topic) (research.Topic, error) {
			return research.Correct(x, no, me, start, end, f.Get("text"), f.Get("suggestion"), srv.store.Now())
		}
		detail["text"], detail["suggestion"] = f.Get("text"), f.Get("suggestion")
	case "ignore":
		fn = func(x research.Topic) (research.Topic, error) {
			return research.Ignore(x, no, me, f.Get("key"), srv.store.Now())
		}
	case "instruction":
		day, err := parseDay("批示日期", f.Get("date"))
		if err != nil {
			srv.researchFail(w, r, err, again)
			return
		}
		fn = func(x research.Topic) (research.Topic, error) {
			now := srv.store.Now()
			return research.AddInstruction(x, no, research.Instruction{Leader: f.Get("leader"), Text: f.Get("text"), At: earlier(day, now)}, me, now)
		}
		detail["leader"] = f.Get("leader")
	case "close":
		fn = func(x research.Topic) (research.Topic, error) { return research.Close(x, me, srv.store.Now()) }
	case "urge":
		n, err := srv.store.UrgeResearch(ctx, v.Person, t.ID)
		if err != nil {
			srv.researchFail(w, r, err, again)
			return
		}
		if isAPI(r) {
			writeJSON(w, http.StatusOK, map[string]int{"urged": n})
			return
		}
		http.Redirect(w, r, "/research/"+t.ID+"?notice=urged", http.StatusSeeOther)
		return
	case "supervise":
		// The supervision rules decide who registers an item (the 督查室).
		i, err := strconv.Atoi(f.Get("instruction"))
		if err != nil {
			srv.researchFail(w, r, formError("没有这条批示"), again)
			return
		}
		n, err := srv.newItemFromForm(ctx, f, supOffice(v))
		if err != nil {
			srv.researchFail(w, r, err, again)
			return
		}
		t2, it, err := srv.store.ResearchInstructionToSupervision(ctx, v.Person, t.ID, no, i, n, true)
		if err != nil {
			srv.researchFail(w, r, err, again)
			return
		}
		if isAPI(r) {
			writeJSON(w, http.StatusOK, map[string]any{"topic": srv.researchJSON(t2), "supervision_item": it})
			return
		}
		http.Redirect(w, r, "/research/"+t.ID+"?notice=done", http.StatusSeeOther)
		return
	default:
		if isAPI(r) {
			writeJSONError(w, http.StatusNotFound, "未知操作")
		} else {
			srv.notFound(w, r)
		}
		return
	}
	t2, err := srv.store.ResearchAct(ctx, v.Person, t.ID, op, detail, fn)
	if err != nil {
		srv.researchFail(w, r, err, again)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, srv.researchJSON(t2))
		return
	}
	http.Redirect(w, r, "/research/"+t.ID+"?notice=done", http.StatusSeeOther)
}

type researchLibraryData struct {
	Entries []research.LibraryEntry
	Names   researchNames
	Units   []option
	Q, Unit string
}

func (srv *Server) researchLibrary(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	office, err := srv.viewerOffice(ctx, v)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	// The library of an office is read by whoever reads its topics: its staff and leaders.
	if !srv.authorize(w, r, access.ReadResearch, access.Object{UnitID: office}) {
		return
	}
	q := r.URL.Query()
	es, err := srv.store.ResearchLibrary(ctx, store.LibraryFilter{OfficeID: office, Q: q.Get("q"), UnitID: q.Get("unit"), Limit: 200})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		if es == nil {
			es = []research.LibraryEntry{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"reports": es})
		return
	}
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	units, _, err := srv.pickable(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "research_library", pageData{Title: "调研成果库", Nav: "research",
		Data: researchLibraryData{Entries: es, Names: researchNames{n}, Units: units, Q: q.Get("q"), Unit: q.Get("unit")}})
}

// researchTopicJSON is a topic as the JSON API gives it: with the status
// the pages show (research.Topic.Status at the server's now), its Chinese
// label and whether it is overdue (a unit still owing its report past the
// deadline: what the timed urging acts on).
type researchTopicJSON struct {
	research.Topic
	Status      research.Status `json:"status"`
	StatusLabel string          `json:"status_label"`
	Overdue     bool            `json:"overdue"`
}

func (srv *Server) researchJSON(t research.Topic) researchTopicJSON {
	now := srv.store.Now()
	st := t.Status(now)
	return researchTopicJSON{Topic: t, Status: st, StatusLabel: st.Label(), Overdue: t.Overdue(now)}
}
