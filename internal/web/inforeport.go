package web

import (
	"bytes"
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
	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/inforeport"
	"github.com/shuniu-oa/shuniu/internal/layout"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// infoRoutes registers the 信息报送 pages and their JSON API.
func (srv *Server) infoRoutes() {
	m := srv.mux
	m.HandleFunc("GET /info", srv.requireLogin(srv.infoList))
	m.HandleFunc("GET /info/new", srv.requireLogin(srv.infoNew))
	m.HandleFunc("POST /info", srv.requireLogin(srv.infoSubmit))
	m.HandleFunc("POST /info/merge", srv.requireLogin(srv.infoMerge))
	m.HandleFunc("GET /info/{id}", srv.requireLogin(srv.infoPage))
	// Not /info/{id}/files/{sha}: that would overlap /info/issues/{id}/pdf.
	m.HandleFunc("GET /info/files/{id}/{sha}", srv.requireLogin(srv.infoFile))
	m.HandleFunc("POST /info/{id}/{op}", srv.requireLogin(srv.infoAction))
	m.HandleFunc("GET /info/solicitations", srv.requireLogin(srv.infoSolList))
	m.HandleFunc("POST /info/solicitations", srv.requireLogin(srv.infoSolCreate))
	m.HandleFunc("POST /info/solicitations/urge", srv.requireLogin(srv.infoSolUrge))
	m.HandleFunc("GET /info/issues", srv.requireLogin(srv.infoIssueList))
	m.HandleFunc("POST /info/issues", srv.requireLogin(srv.infoIssueCreate))
	m.HandleFunc("GET /info/issues/{id}", srv.requireLogin(srv.infoIssuePage))
	m.HandleFunc("GET /info/issues/{id}/pdf", srv.requireLogin(srv.infoIssuePDF))
	m.HandleFunc("POST /info/issues/{id}/distribute", srv.requireLogin(srv.infoIssueDistribute))
	m.HandleFunc("GET /info/scores", srv.requireLogin(srv.infoScores))

	m.HandleFunc("GET /api/v1/info", srv.requireLogin(srv.infoList))
	m.HandleFunc("POST /api/v1/info", srv.requireLogin(srv.infoSubmit))
	m.HandleFunc("POST /api/v1/info/merge", srv.requireLogin(srv.infoMerge))
	m.HandleFunc("GET /api/v1/info/{id}", srv.requireLogin(srv.infoPage))
	m.HandleFunc("GET /api/v1/info/files/{id}/{sha}", srv.requireLogin(srv.infoFile))
	m.HandleFunc("POST /api/v1/info/{id}/{op}", srv.requireLogin(srv.infoAction))
	m.HandleFunc("GET /api/v1/info/solicitations", srv.requireLogin(srv.infoSolList))
	m.HandleFunc("POST /api/v1/info/solicitations", srv.requireLogin(srv.infoSolCreate))
	m.HandleFunc("GET /api/v1/info/issues", srv.requireLogin(srv.infoIssueList))
	m.HandleFunc("POST /api/v1/info/issues", srv.requireLogin(srv.infoIssueCreate))
	m.HandleFunc("GET /api/v1/info/issues/{id}", srv.requireLogin(srv.infoIssuePage))
	m.HandleFunc("POST /api/v1/info/issues/{id}/distribute", srv.requireLogin(srv.infoIssueDistribute))
	m.HandleFunc("GET /api/v1/info/scores", srv.requireLogin(srv.infoScores))
}

// infoCtx is what every 信息 page needs: the unit tree, the receiving
// offices (those with an information section) and the viewer's place.
type infoCtx struct {
	units   map[string]org.Unit
	offices []string // receiving offices, in the tree's order
	own     []string // the organs the viewer works in (their positions' organs)
	edits   []string // the offices the viewer edits for
	sups    []string // the offices whose 督查室 the viewer is in
	people  map[string]string
	srv     *Server
	ctx     context.Context
}

func (srv *Server) infoCtxOf(ctx context.Context, v *Viewer) (*infoCtx, error) {
	us, err := srv.units(ctx)
	if err != nil {
		return nil, err
	}
	c := &infoCtx{units: map[string]org.Unit{}, people: map[string]string{}, srv: srv, ctx: ctx}
	for _, u := range us {
		c.units[u.ID] = u
	}
	c.offices = infoOffices(c.units, us)
	for _, p := range v.Positions {
		if o := org.OrganOf(c.units, p.UnitID); !slices.Contains(c.own, o) {
			c.own = append(c.own, o)
		}
	}
	for _, o := range c.offices {
		obj := c.officeObject(o)
		if access.InfoEditor(v.Subject, obj) {
			c.edits = append(c.edits, o)
		}
		if access.DecideInfo(v.Subject, access.SuperviseInfo, obj).Allow {
			c.sups = append(c.sups, o)
		}
	}
	return c, nil
}

// infoOffices are the offices that receive information reports: those with
// a section whose name has 信息 in it, in directory order.
func infoOffices(byID map[string]org.Unit, us []org.Unit) []string {
	var out []string
	for _, u := range us {
		if u.Kind == org.KindSection && strings.Contains(u.Name, "信息") {
			if p, ok := byID[u.ParentID]; ok && p.Kind == org.KindOffice && !slices.Contains(out, p.ID) {
				out = append(out, p.ID)
			}
		}
	}
	return out
}

// infoPoints gives the 信息采用得分 events dated in [from, to) of every
// receiving office, as 考核评比 counts them: each point traceable to its
// report (or, for a 约稿 that has no report, to the 约稿).
func (srv *Server) infoPoints(ctx context.Context, from, to time.Time) ([]evaluate.PointEvent, error) {
	us, err := srv.units(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]org.Unit, len(us))
	for _, u := range us {
		byID[u.ID] = u
	}
	rs, err := srv.store.InfoRules(ctx)
	if err != nil {
		return nil, err
	}
	var out []evaluate.PointEvent
	for _, o := range infoOffices(byID, us) {
		rec, err := srv.store.InfoRecords(ctx, o, to, srv.store.Now())
		if err != nil {
			return nil, err
		}
		for _, e := range inforeport.Events(rs, rec) {
			if e.Date.Before(from) || !e.Date.Before(to) {
				continue
			}
			item := e.ReportID
			if item == "" {
				item = e.SolicitationID
			}
			out = append(out, evaluate.PointEvent{Unit: e.UnitID, Item: item, Points: e.Points, At: e.Date, Reason: e.Reason})
		}
	}
	return out, nil
}

// infoEnter starts every 信息 handler: a business user, and what they may do
// with which receiving office.
func (srv *Server) infoEnter(w http.ResponseWriter, r *http.Request) (*Viewer, *infoCtx, bool) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return nil, nil, false
	}
	v := viewerFrom(r.Context())
	c, err := srv.infoCtxOf(r.Context(), v)
	if err != nil {
		srv.serverError(w, r, err)
		return nil, nil, false
	}
	return v, c, true
}

// editOffice is the receiving office a form names (the viewer's first when
// it names none), and whether the viewer edits for it.
func (c *infoCtx) editOffice(office string) (string, bool) {
	if office == "" && len(c.edits) > 0 {
		office = c.edits[0]
	}
	return office, slices.Contains(c.edits, office)
}

func (c *infoCtx) sections(office string) []string {
	var out []string
	for _, u := range c.units {
		if u.ParentID == office && u.Kind == org.KindSection {
			out = append(out, u.ID)
		}
	}
	slices.Sort(out)
	return out
}

func (c *infoCtx) officeObject(office string) access.InfoObject {
	return access.InfoObject{OfficeID: office, Sections: c.sections(office)}
}

// object is a report as the access function sees it.
func (c *infoCtx) object(r inforeport.Report) access.InfoObject {
	o := c.officeObject(r.OfficeID)
	o.Units, o.Level = r.Credits(), r.Level
	for _, s := range r.Sources {
		o.Persons = append(o.Persons, s.PersonID)
	}
	return o
}

func (c *infoCtx) Unit(id string) string {
	if u, ok := c.units[id]; ok {
		return u.Name
	}
	if id == "" {
		return ""
	}
	return "（未知单位）"
}

func (c *infoCtx) Person(id string) string {
	if id == "" {
		return ""
	}
	if s, ok := c.people[id]; ok {
		return s
	}
	name := "（未知人员）"
	if p, err := c.srv.store.Person(c.ctx, id); err == nil {
		name = p.Name
	}
	c.people[id] = name
	return name
}

// Credits names the units credited with a report.
func (c *infoCtx) Credits(r inforeport.Report) string {
	var names []string
	for _, u := range r.Credits() {
		names = append(names, c.Unit(u))
	}
	return strings.Join(names, "、")
}

func (c *infoCtx) unitOptions(ids []string) []option {
	out := make([]option, 0, len(ids))
	for _, id := range ids {
		out = append(out, option{id, c.Unit(id)})
	}
	return out
}

// infoStatus maps a refusal to its status: 409 stale, 404 missing, 400 over
// a limit, 422 a rule's refusal; ok false when err is not the user's.
func infoStatus(err error) (int, bool) {
	var ir *inforeport.Refusal
	switch {
	case errors.Is(err, store.ErrStale):
		return http.StatusConflict, true
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, true
	case errors.As(err, &ir):
		return refusedStatus(err), true
	}
	if userError(err) {
		return refusedStatus(err), true
	}
	return 0, false
}

// ---- list ----

type infoRow struct {
	inforeport.Report
	Unit, Person, Submitted, Top string
}

type infoListData struct {
	Tab       string
	Rows      []infoRow
	Edits     bool
	Own       []option
	Todo      []inforeport.Solicitation
	CanMerge  bool
	Publishes []inforeport.Publication
	Offices   []option
}

func (srv *Server) infoList(w http.ResponseWriter, r *http.Request) {
	v, c, ok := srv.infoEnter(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	d := infoListData{Tab: r.URL.Query().Get("tab"), Edits: len(c.edits) > 0, Own: c.unitOptions(c.own), Publishes: inforeport.Publications(),
		Offices: c.unitOptions(c.edits)}
	var rs []inforeport.Report
	clear := v.Subject.Clearance
	switch d.Tab {
	case "queue", "adopted", "all":
		if !d.Edits {
			srv.refuse(w, r, string(access.EditInfo), "信息编辑只对收信办公室的主任和文秘显示")
			return
		}
		f := store.InfoFilter{MaxLevel: &clear, Limit: 300}
		switch d.Tab {
		case "queue":
			f.States = []inforeport.State{inforeport.Submitted, inforeport.Editing}
			d.CanMerge = true
		case "adopted":
			f.States = []inforeport.State{inforeport.Adopted}
		}
		for _, o := range c.edits {
			f.OfficeID = o
			got, err := srv.store.InfoReports(ctx, f)
			if err != nil {
				srv.serverError(w, r, err)
				return
			}
			rs = append(rs, got...)
		}
	default:
		d.Tab = "unit"
		for _, u := range c.own {
			got, err := srv.store.InfoReports(ctx, store.InfoFilter{UnitID: u, Limit: 300})
			if err != nil {
				srv.serverError(w, r, err)
				return
			}
			rs = append(rs, got...)
			todo, err := srv.store.InfoTodo(ctx, u)
			if err != nil {
				srv.serverError(w, r, err)
				return
			}
			d.Todo = append(d.Todo, todo...)
		}
	}
	// Only what the viewer may read (a classified report of the unit is
	// its submitter's and the editors').
	shown := rs[:0]
	for _, x := range rs {
		if access.DecideInfo(v.Subject, access.ReadInfo, c.object(x)).Allow {
			shown = append(shown, x)
		}
	}
	if isAPI(r) {
		if shown == nil {
			shown = []inforeport.Report{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"reports": shown, "solicitations": d.Todo})
		return
	}
	for _, x := range shown {
		d.Rows = append(d.Rows, infoRow{Report: x, Unit: c.Credits(x), Person: c.Person(x.PersonID), Submitted: fmtCN(x.SubmittedAt), Top: x.TopLevel().Label()})
	}
	srv.render(w, r, http.StatusOK, "info_list", pageData{Title: "信息报送", Nav: "info", Data: d, Notice: infoNotice(r)})
}

func infoNotice(r *http.Request) string {
	switch r.URL.Query().Get("notice") {
	case "submitted":
		return "信息已报送"
	case "done":
		return "已办理"
	case "merged":
		return "已合稿"
	case "solicited":
		return "约稿已发出"
	case "urged":
		return "已催报"
	case "issued":
		return "本期已编发"
	case "distributed":
		return "本期已分发，收文单位已收到"
	case "saved":
		return "已保存"
	}
	return ""
}

// ---- submit ----

type infoNewData struct {
	Units          []option
	Offices        []option
	Categories     []inforeport.Category
	Urgencies      []inforeport.Urgency
	Levels         []org.Classification
	Solicitations  []inforeport.Solicitation
	SolicitationID string
}

func (srv *Server) infoNewData(ctx context.Context, c *infoCtx) (infoNewData, error) {
	d := infoNewData{Units: c.unitOptions(c.own), Offices: c.unitOptions(c.offices), Categories: inforeport.Categories(),
		Urgencies: inforeport.Urgencies(), Levels: org.AllClassifications()}
	for _, u := range c.own {
		todo, err := srv.store.InfoTodo(ctx, u)
		if err != nil {
			return d, err
		}
		d.Solicitations = append(d.Solicitations, todo...)
	}
	return d, nil
}

func (srv *Server) infoNew(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	c, err := srv.infoCtxOf(ctx, viewerFrom(ctx))
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d, err := srv.infoNewData(ctx, c)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	form := url.Values{"solicitation_id": {r.URL.Query().Get("solicitation")}, "urgency": {string(inforeport.Normal)}}
	srv.render(w, r, http.StatusOK, "info_new", pageData{Title: "报送信息", Nav: "info", Data: d, Form: form})
}

func draftFrom(f url.Values) (inforeport.Draft, error) {
	lv, err := org.ParseClassification(f.Get("level"))
	if err != nil {
		return inforeport.Draft{}, formError(err.Error())
	}
	return inforeport.Draft{Title: f.Get("title"), Body: f.Get("body"), Category: inforeport.Category(f.Get("category")),
		Urgency: inforeport.Urgency(f.Get("urgency")), Level: lv, SolicitationID: strings.TrimSpace(f.Get("solicitation_id"))}, nil
}

func (srv *Server) infoSubmit(w http.ResponseWriter, r *http.Request) {
	v, c, ok := srv.infoEnter(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	f, err := formOf(r)
	var rep inforeport.Report
	if err == nil {
		var d inforeport.Draft
		if d, err = draftFrom(f); err == nil {
			d.Attachments, err = srv.infoUploads(r, d.Level)
		}
		if err == nil {
			unit, office := f.Get("unit_id"), f.Get("office_id")
			if unit == "" && len(c.own) > 0 {
				unit = c.own[0]
			}
			if office == "" && len(c.offices) > 0 {
				office = c.offices[len(c.offices)-1]
			}
			switch {
			case !slices.Contains(c.offices, office) && d.SolicitationID == "":
				err = formError("请选择报送的办公室")
			case !access.DecideInfo(v.Subject, access.SubmitInfo, access.InfoObject{OfficeID: office, Units: []string{unit}, Level: d.Level}).Allow:
				srv.refuse(w, r, string(access.SubmitInfo), access.DecideInfo(v.Subject, access.SubmitInfo, access.InfoObject{OfficeID: office, Units: []string{unit}, Level: d.Level}).Reason)
				return
			default:
				rep, err = srv.store.SubmitInfoReport(ctx, v.Person, uid.New(), office, unit, d)
			}
		}
	}
	if err == nil {
		if isAPI(r) {
			writeJSON(w, http.StatusCreated, rep)
			return
		}
		http.Redirect(w, r, "/info/"+rep.ID+"?notice=submitted", http.StatusSeeOther)
		return
	}
	status, ok := infoStatus(err)
	if !ok {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSONError(w, status, userMessage(err))
		return
	}
	d, derr := srv.infoNewData(ctx, c)
	if derr != nil {
		srv.serverError(w, r, derr)
		return
	}
	srv.render(w, r, status, "info_new", pageData{Title: "报送信息", Nav: "info", Data: d, Form: f, Error: userMessage(err)})
}

// ---- one report ----

// loadInfo loads a report the viewer may read (refusals audited).
func (srv *Server) loadInfo(w http.ResponseWriter, r *http.Request) (inforeport.Report, *infoCtx, bool) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return inforeport.Report{}, nil, false
	}
	ctx := r.Context()
	rep, err := srv.store.InfoReport(ctx, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		if isAPI(r) {
			writeJSONError(w, http.StatusNotFound, "信息不存在")
		} else {
			srv.notFound(w, r)
		}
		return rep, nil, false
	}
	if err != nil {
		srv.serverError(w, r, err)
		return rep, nil, false
	}
	v := viewerFrom(ctx)
	c, err := srv.infoCtxOf(ctx, v)
	if err != nil {
		srv.serverError(w, r, err)
		return rep, nil, false
	}
	if d := access.DecideInfo(v.Subject, access.ReadInfo, c.object(rep)); !d.Allow {
		o := access.Object{Kind: "info_report", ID: rep.ID, UnitID: rep.UnitID, Level: rep.Level}
		srv.auditRefusal(r, access.ReadInfo, o, d.Reason, "info")
		if isAPI(r) {
			writeJSONError(w, http.StatusForbidden, d.Reason)
		} else {
			srv.render(w, r, http.StatusForbidden, "error", pageData{Title: "无权操作", Error: d.Reason})
		}
		return rep, nil, false
	}
	return rep, c, true
}

type infoHist struct{ At, Who, What, Note string }

type infoPageData struct {
	R          inforeport.Report
	C          *infoCtx
	Unit       string
	Person     string
	Edits      bool // the viewer edits for the report's office
	Supervises bool
	Own        bool // the viewer's unit sent it
	Redline    *document.Redline
	From, To   int
	History    []infoHist
	Findings   []proofread.DocFinding
	ProofNote  string
	Levels     []inforeport.Level
	Categories []inforeport.Category
	Issues     []inforeport.Issue
	Today      string
	SupUnits   []option
	MergedFrom []inforeport.Report
	MergedInto string
	BodyLines  []string
}

var infoActions = map[string]string{
	"submit": "报送", "edit": "编辑修改", "adopt": "采用", "decline": "不采用", "return": "退回", "resubmit": "修改后再报",
	"merge": "合稿", "adoption": "登记上级采用", "instruction": "登记领导批示", "supervise": "批示转督办", "issue": "编入期刊",
}

func (srv *Server) infoPageData(r *http.Request, rep inforeport.Report, c *infoCtx) (infoPageData, error) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	d := infoPageData{R: rep, C: c, Unit: c.Credits(rep), Person: c.Person(rep.PersonID), Levels: inforeport.Levels()[1:],
		Categories: inforeport.Categories(), Today: srv.store.Now().In(calendar.Shanghai()).Format("2006-01-02")}
	d.Edits = slices.Contains(c.edits, rep.OfficeID) && access.DecideInfo(v.Subject, access.EditInfo, c.object(rep)).Allow
	d.Supervises = slices.Contains(c.sups, rep.OfficeID)
	d.Own = slices.ContainsFunc(rep.Credits(), func(u string) bool { return slices.Contains(c.own, u) })
	d.BodyLines = strings.Split(rep.Body, "\n")
	for _, h := range rep.History {
		note := h.Note
		if h.Action == "merge" || h.Action == "supervise" {
			note = "" // IDs: the page links the reports and the item instead
		}
		d.History = append(d.History, infoHist{At: fmtCN(h.At), Who: c.Person(h.Actor), What: infoActions[h.Action], Note: note})
	}
	if len(rep.Versions) > 1 {
		d.From, d.To = len(rep.Versions)-1, len(rep.Versions)
		if x, err := strconv.Atoi(r.URL.Query().Get("from")); err == nil {
			d.From = x
		}
		if x, err := strconv.Atoi(r.URL.Query().Get("to")); err == nil {
			d.To = x
		}
		if rl, err := rep.Redline(d.From, d.To); err == nil {
			d.Redline = &rl
		}
	}
	for _, id := range rep.Issues {
		if is, err := srv.store.InfoIssue(ctx, id); err == nil {
			d.Issues = append(d.Issues, is)
		}
	}
	for _, id := range rep.MergedFrom {
		if x, err := srv.store.InfoReport(ctx, id); err == nil {
			d.MergedFrom = append(d.MergedFrom, x)
		}
	}
	if rep.MergedInto != "" {
		if x, err := srv.store.InfoReport(ctx, rep.MergedInto); err == nil {
			d.MergedInto = x.Title
		}
	}
	if d.Supervises {
		for _, u := range c.units {
			if u.Kind == org.KindTown || u.Kind == org.KindDepartment {
				d.SupUnits = append(d.SupUnits, option{u.ID, u.Name})
			}
		}
		slices.SortFunc(d.SupUnits, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	}
	// Proofreading of the body, as drafts are: for the unit while it can
	// still change it and for the editors while the report is open.
	if (d.Edits && rep.State.Open()) || (d.Own && rep.State == inforeport.Returned) {
		if ck, err := srv.checker(ctx); err == nil {
			pd := proofread.Document{Title: rep.Title}
			for _, p := range strings.Split(rep.Body, "\n") {
				if strings.TrimSpace(p) != "" {
					pd.Body = append(pd.Body, proofread.Paragraph{Text: p})
				}
			}
			pctx, cancel := context.WithTimeout(ctx, proofTimeout)
			fs, err := ck.CheckDocumentContext(pctx, pd)
			cancel()
			if err == nil {
				d.Findings = fs
				if len(fs) == 0 {
					d.ProofNote = "校对未发现问题"
				}
			} else {
				d.ProofNote = "校对未完成：" + userMessage(proofStopped(err))
			}
		} else if !proofUnavailable(err) && !errors.Is(err, errProofreadOff) {
			return d, err
		}
	}
	return d, nil
}

func (srv *Server) infoPage(w http.ResponseWriter, r *http.Request) {
	rep, c, ok := srv.loadInfo(w, r)
	if !ok {
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, rep)
		return
	}
	d, err := srv.infoPageData(r, rep, c)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "info_page", pageData{Title: rep.Title, Nav: "info", Data: d, Notice: infoNotice(r)})
}

// infoUploads reads the files a report comes with through the documents'
// upload path (the attachment policy, the content-addressed file store); a
// file the policy refuses is the person's error, the store's faults are the
// server's. The files of a classified report (level) are stored as any
// report's, but their text is not read for search.
func (srv *Server) infoUploads(r *http.Request, level org.Classification) ([]inforeport.Attachment, error) {
	atts, err := srv.uploadFiles(r, "files", false, level == org.Unclassified)
	if err != nil && !strings.HasPrefix(err.Error(), "file store") && !strings.Contains(err.Error(), "数据目录") {
		return nil, formError(err.Error())
	}
	return atts, err
}

// infoFile downloads a file of a report, for those who may read the report
// (loadInfo asks the access function first and audits a refusal); only PDF
// and images are shown inline, nothing as a page (blob.Serve).
func (srv *Server) infoFile(w http.ResponseWriter, r *http.Request) {
	rep, _, ok := srv.loadInfo(w, r)
	if !ok {
		return
	}
	a, found := rep.File(r.PathValue("sha"))
	if !found {
		if isAPI(r) {
			writeJSONError(w, http.StatusNotFound, "附件不存在")
		} else {
			srv.notFound(w, r)
		}
		return
	}
	bs, err := srv.blobs()
	if err == nil {
		err = bs.Serve(w, r, a.SHA256, a.Name, a.MediaType)
	}
	if errors.Is(err, blob.ErrNotFound) {
		srv.notFound(w, r)
	} else if err != nil {
		srv.serverError(w, r, err)
	}
}

// parseDay reads a date (2026-03-02, Beijing time) a person typed, at noon:
// an adoption or a 批示 is dated by its day.
func parseDay(label, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, formError("请填写" + label)
	}
	t, err := time.ParseInLocation("2006-01-02", s, calendar.Shanghai())
	if err != nil {
		return time.Time{}, formError(label + "格式不正确，应为 2026-03-02")
	}
	return t.Add(9 * time.Hour), nil
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func (srv *Server) infoAction(w http.ResponseWriter, r *http.Request) {
	rep, c, ok := srv.loadInfo(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	op := r.PathValue("op")
	f, err := formOf(r)
	if err != nil {
		srv.infoFail(w, r, rep, c, err)
		return
	}
	obj := c.object(rep)
	need := access.EditInfo
	switch op {
	case "resubmit":
		need = access.SubmitInfo
		obj.Units = []string{rep.UnitID}
	case "supervise":
		need = access.SuperviseInfo
	}
	if dec := access.DecideInfo(v.Subject, need, obj); !dec.Allow {
		srv.auditRefusal(r, need, access.Object{Kind: "info_report", ID: rep.ID, UnitID: rep.UnitID, Level: rep.Level}, dec.Reason, op)
		if isAPI(r) {
			writeJSONError(w, http.StatusForbidden, dec.Reason)
		} else {
			srv.render(w, r, http.StatusForbidden, "error", pageData{Title: "无权操作", Error: dec.Reason})
		}
		return
	}
	me := v.Person.ID
	var fn store.InfoOp
	detail := map[string]string{}
	switch op {
	case "edit":
		fn = func(x inforeport.Report, now time.Time) (inforeport.Report, error) {
			return inforeport.Edit(x, me, f.Get("title"), f.Get("body"), f.Get("note"), now)
		}
		detail["note"] = f.Get("note")
	case "adopt":
		fn = func(x inforeport.Report, now time.Time) (inforeport.Report, error) {
			return inforeport.Adopt(x, me, f.Get("outlet"), now, now)
		}
		detail["outlet"] = f.Get("outlet")
	case "decline", "return":
		fn = func(x inforeport.Report, now time.Time) (inforeport.Report, error) {
			if op == "decline" {
				return inforeport.Decline(x, me, f.Get("reason"), now)
			}
			return inforeport.Return(x, me, f.Get("reason"), now)
		}
		detail["reason"] = f.Get("reason")
	case "resubmit":
		if rep.PersonID != me && !slices.Contains(c.own, rep.UnitID) {
			srv.infoFail(w, r, rep, c, formError("只有报送单位可以修改后再报"))
			return
		}
		files, err := srv.infoUploads(r, rep.Level)
		if err != nil {
			srv.infoFail(w, r, rep, c, err)
			return
		}
		fn = func(x inforeport.Report, now time.Time) (inforeport.Report, error) {
			return inforeport.Resubmit(x, me, f.Get("title"), f.Get("body"), files, now)
		}
	case "adoption":
		day, err := parseDay("采用日期", f.Get("date"))
		if err != nil {
			srv.infoFail(w, r, rep, c, err)
			return
		}
		fn = func(x inforeport.Report, now time.Time) (inforeport.Report, error) {
			return inforeport.RecordAdoption(x, me, inforeport.Level(f.Get("level")), f.Get("outlet"), earlier(day, now), now)
		}
		detail["level"], detail["outlet"] = f.Get("level"), f.Get("outlet")
	case "instruction":
		day, err := parseDay("批示日期", f.Get("date"))
		if err != nil {
			srv.infoFail(w, r, rep, c, err)
			return
		}
		fn = func(x inforeport.Report, now time.Time) (inforeport.Report, error) {
			return inforeport.AddInstruction(x, me, inforeport.Instruction{Leader: f.Get("leader"), Level: inforeport.Level(f.Get("level")),
				Text: f.Get("text"), At: earlier(day, now)}, now)
		}
		detail["leader"] = f.Get("leader")
	case "supervise":
		i, err := strconv.Atoi(f.Get("instruction"))
		if err != nil {
			srv.infoFail(w, r, rep, c, formError("没有这条批示"))
			return
		}
		office := supOffice(v)
		n, err := srv.newItemFromForm(ctx, f, office)
		if err != nil {
			srv.infoFail(w, r, rep, c, err)
			return
		}
		rep2, it, err := srv.store.InstructionToSupervision(ctx, v.Person, rep.ID, i, n, true)
		if err != nil {
			srv.infoFail(w, r, rep, c, err)
			return
		}
		if isAPI(r) {
			writeJSON(w, http.StatusOK, map[string]any{"report": rep2, "supervision_item": it})
			return
		}
		http.Redirect(w, r, "/info/"+rep.ID+"?notice=done", http.StatusSeeOther)
		return
	default:
		if isAPI(r) {
			writeJSONError(w, http.StatusNotFound, "未知操作")
		} else {
			srv.notFound(w, r)
		}
		return
	}
	rep2, err := srv.store.InfoAct(ctx, v.Person, rep.ID, op, detail, fn)
	if err != nil {
		srv.infoFail(w, r, rep, c, err)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, rep2)
		return
	}
	http.Redirect(w, r, "/info/"+rep.ID+"?notice=done", http.StatusSeeOther)
}

// infoFail answers a refused operation on a report: JSON, or the page again
// with the message and the form as typed.
func (srv *Server) infoFail(w http.ResponseWriter, r *http.Request, rep inforeport.Report, c *infoCtx, err error) {
	status, ok := infoStatus(err)
	if !ok {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSONError(w, status, userMessage(err))
		return
	}
	d, derr := srv.infoPageData(r, rep, c)
	if derr != nil {
		srv.serverError(w, r, derr)
		return
	}
	f, _ := formOf(r)
	srv.render(w, r, status, "info_page", pageData{Title: rep.Title, Nav: "info", Data: d, Form: f, Error: userMessage(err)})
}

func (srv *Server) infoMerge(w http.ResponseWriter, r *http.Request) {
	v, c, ok := srv.infoEnter(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	f, err := formOf(r)
	if err == nil {
		ids := f["id"]
		for _, id := range ids {
			x, gerr := srv.store.InfoReport(ctx, id)
			if gerr != nil {
				err = formError("所选信息不存在")
				break
			}
			if !access.DecideInfo(v.Subject, access.EditInfo, c.object(x)).Allow {
				srv.refuse(w, r, string(access.EditInfo), "只能合并本办公室收到的信息")
				return
			}
		}
		if err == nil {
			var item inforeport.Report
			item, err = srv.store.MergeInfoReports(ctx, v.Person, uid.New(), ids, f.Get("title"), f.Get("body"), inforeport.Category(f.Get("category")))
			if err == nil {
				if isAPI(r) {
					writeJSON(w, http.StatusCreated, item)
					return
				}
				http.Redirect(w, r, "/info/"+item.ID+"?notice=merged", http.StatusSeeOther)
				return
			}
		}
	}
	status, ok := infoStatus(err)
	if !ok {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSONError(w, status, userMessage(err))
		return
	}
	srv.render(w, r, status, "error", pageData{Title: "合稿", Nav: "info", Error: userMessage(err)})
}

// ---- 约稿 ----

type infoSolRow struct {
	inforeport.Solicitation
	Due     string
	Answers []infoAnswer
	Late    int
}

type infoAnswer struct {
	Unit, State, At string
	Late            bool
}

type infoSolData struct {
	Rows    []infoSolRow
	Edits   bool
	Offices []option
	Units   []option
}

func (srv *Server) infoSolList(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	srv.renderSolList(w, r, http.StatusOK, nil, "")
}

func (srv *Server) renderSolList(w http.ResponseWriter, r *http.Request, status int, form url.Values, errMsg string) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	c, err := srv.infoCtxOf(ctx, v)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := infoSolData{Edits: len(c.edits) > 0, Offices: c.unitOptions(c.edits)}
	var sols []inforeport.Solicitation
	for _, o := range c.edits {
		got, err := srv.store.InfoSolicitations(ctx, o, "", false)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		sols = append(sols, got...)
	}
	for _, u := range c.own {
		got, err := srv.store.InfoSolicitations(ctx, "", u, false)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		for _, s := range got {
			if !slices.ContainsFunc(sols, func(x inforeport.Solicitation) bool { return x.ID == s.ID }) {
				sols = append(sols, s)
			}
		}
	}
	if isAPI(r) {
		if sols == nil {
			sols = []inforeport.Solicitation{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"solicitations": sols})
		return
	}
	now := srv.store.Now()
	for _, s := range sols {
		reports, err := srv.store.InfoReports(ctx, store.InfoFilter{SolicitationID: s.ID})
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		row := infoSolRow{Solicitation: s, Due: fmtCN(s.Due)}
		editor := slices.Contains(c.edits, s.OfficeID)
		for _, a := range s.Answers(reports, now) {
			if !editor && !slices.Contains(c.own, a.UnitID) {
				continue // a unit sees its own standing, not the others'
			}
			ans := infoAnswer{Unit: c.Unit(a.UnitID), At: fmtCN(a.First)}
			switch {
			case a.OnTime:
				ans.State = "按时报送"
			case a.Answered:
				ans.State, ans.Late = "逾期报送", true
			case a.Overdue:
				ans.State, ans.Late = "逾期未报", true
				row.Late++
			default:
				ans.State = "待报送"
			}
			row.Answers = append(row.Answers, ans)
		}
		d.Rows = append(d.Rows, row)
	}
	for _, u := range c.units {
		if u.Kind == org.KindTown || u.Kind == org.KindDepartment {
			d.Units = append(d.Units, option{u.ID, u.Name})
		}
	}
	slices.SortFunc(d.Units, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	srv.render(w, r, status, "info_solicitations", pageData{Title: "约稿", Nav: "info", Data: d, Form: form, Error: errMsg, Notice: infoNotice(r)})
}

func (srv *Server) infoSolCreate(w http.ResponseWriter, r *http.Request) {
	v, c, ok := srv.infoEnter(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	f, err := formOf(r)
	if err == nil {
		office, ok := c.editOffice(f.Get("office_id"))
		if !ok {
			srv.refuse(w, r, string(access.EditInfo), "约稿只能由收信办公室的主任或文秘发出")
			return
		}
		var due time.Time
		if due, err = parseDueTime(f.Get("due")); err == nil {
			var sol inforeport.Solicitation
			sol, err = inforeport.NewSolicitation(uid.New(), office, v.Person.ID, f.Get("topic"), f.Get("detail"), due, f["unit"], srv.store.Now())
			if err == nil {
				if err = srv.store.CreateInfoSolicitation(ctx, v.Person, sol); err == nil {
					if isAPI(r) {
						writeJSON(w, http.StatusCreated, sol)
						return
					}
					http.Redirect(w, r, "/info/solicitations?notice=solicited", http.StatusSeeOther)
					return
				}
			}
		}
	}
	status, ok := infoStatus(err)
	if !ok {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSONError(w, status, userMessage(err))
		return
	}
	srv.renderSolList(w, r, status, f, userMessage(err))
}

func parseDueTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, formError("请填写报送截止时间")
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, calendar.Shanghai()); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, calendar.Shanghai()); err == nil {
		return t.Add(17*time.Hour + 30*time.Minute), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, formError("报送截止时间格式不正确，应为 2026-03-02 17:30")
}

func (srv *Server) infoSolUrge(w http.ResponseWriter, r *http.Request) {
	v, c, ok := srv.infoEnter(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	if len(c.edits) == 0 {
		srv.refuse(w, r, string(access.EditInfo), "催报只能由收信办公室的主任或文秘办理")
		return
	}
	n := 0
	for _, o := range c.edits {
		k, err := srv.store.UrgeInfoSolicitations(ctx, v.Person, o)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		n += k
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]int{"urged": n})
		return
	}
	http.Redirect(w, r, "/info/solicitations?notice=urged", http.StatusSeeOther)
}

// ---- publications ----

type infoIssueRow struct {
	inforeport.Issue
	Items int
}

type infoIssuesData struct {
	Rows      []infoIssueRow
	Edits     bool
	Offices   []option
	Adopted   []infoRow
	Publishes []inforeport.Publication
	Pub       inforeport.Publication
}

func (srv *Server) infoIssueList(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	srv.renderIssues(w, r, http.StatusOK, nil, "")
}

func (srv *Server) renderIssues(w http.ResponseWriter, r *http.Request, status int, form url.Values, errMsg string) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	c, err := srv.infoCtxOf(ctx, v)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if len(c.edits) == 0 {
		srv.refuse(w, r, string(access.EditInfo), "期刊编发只对收信办公室的主任和文秘显示")
		return
	}
	pub := inforeport.Publication(r.URL.Query().Get("publication"))
	if !pub.Valid() {
		pub = ""
	}
	d := infoIssuesData{Edits: true, Offices: c.unitOptions(c.edits), Publishes: inforeport.Publications(), Pub: pub}
	var all []inforeport.Issue
	clear := v.Subject.Clearance
	for _, o := range c.edits {
		got, err := srv.store.InfoIssues(ctx, o, pub)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		for _, is := range got {
			if is.Level <= clear {
				all = append(all, is)
			}
		}
		adopted, err := srv.store.InfoReports(ctx, store.InfoFilter{OfficeID: o, States: []inforeport.State{inforeport.Adopted}, MaxLevel: &clear, Limit: 60})
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		for _, x := range adopted {
			d.Adopted = append(d.Adopted, infoRow{Report: x, Unit: c.Credits(x), Submitted: fmtCN(x.SubmittedAt), Top: x.TopLevel().Label()})
		}
	}
	if isAPI(r) {
		if all == nil {
			all = []inforeport.Issue{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"issues": all})
		return
	}
	for _, is := range all {
		d.Rows = append(d.Rows, infoIssueRow{Issue: is, Items: len(is.Items)})
	}
	srv.render(w, r, status, "info_issues", pageData{Title: "信息期刊", Nav: "info", Data: d, Form: form, Error: errMsg, Notice: infoNotice(r)})
}

func (srv *Server) infoIssueCreate(w http.ResponseWriter, r *http.Request) {
	v, c, ok := srv.infoEnter(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	f, err := formOf(r)
	if err == nil {
		office, ok := c.editOffice(f.Get("office_id"))
		if !ok {
			srv.refuse(w, r, string(access.EditInfo), "期刊只能由收信办公室的主任或文秘编发")
			return
		}
		for _, id := range f["item"] {
			if x, gerr := srv.store.InfoReport(ctx, id); gerr == nil && x.Level > v.Subject.Clearance {
				srv.refuse(w, r, string(access.EditInfo), "您的涉密等级低于所选信息的密级")
				return
			}
		}
		var is inforeport.Issue
		is, err = srv.store.CompileInfoIssue(ctx, v.Person, uid.New(), office, inforeport.Publication(f.Get("publication")), f.Get("title"), f["item"])
		if err == nil {
			if isAPI(r) {
				writeJSON(w, http.StatusCreated, is)
				return
			}
			http.Redirect(w, r, "/info/issues/"+is.ID+"?notice=issued", http.StatusSeeOther)
			return
		}
	}
	status, ok := infoStatus(err)
	if !ok {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSONError(w, status, userMessage(err))
		return
	}
	srv.renderIssues(w, r, status, f, userMessage(err))
}

type infoIssueData struct {
	Is       inforeport.Issue
	Masthead inforeport.Masthead
	Items    []infoRow
	Print    bool
	// Edits: the viewer edits for the issue's office (may distribute it).
	Edits      bool
	Units      []option // the units it may be distributed to
	Recipients string   // the units it went to, named
}

// loadIssue loads an issue for its office's editors, or for anyone
// credited with one of its items (what they read is the printed issue).
func (srv *Server) loadIssue(w http.ResponseWriter, r *http.Request) (inforeport.Issue, []inforeport.Report, *infoCtx, bool) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return inforeport.Issue{}, nil, nil, false
	}
	ctx := r.Context()
	is, err := srv.store.InfoIssue(ctx, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		if isAPI(r) {
			writeJSONError(w, http.StatusNotFound, "期刊不存在")
		} else {
			srv.notFound(w, r)
		}
		return is, nil, nil, false
	}
	if err != nil {
		srv.serverError(w, r, err)
		return is, nil, nil, false
	}
	v := viewerFrom(ctx)
	c, err := srv.infoCtxOf(ctx, v)
	if err != nil {
		srv.serverError(w, r, err)
		return is, nil, nil, false
	}
	var items []inforeport.Report
	readsAll := true
	for _, id := range is.Items {
		x, err := srv.store.InfoReport(ctx, id)
		if err != nil {
			srv.serverError(w, r, err)
			return is, nil, nil, false
		}
		if !access.DecideInfo(v.Subject, access.ReadInfo, c.object(x)).Allow {
			readsAll = false
		}
		items = append(items, x)
	}
	obj := c.officeObject(is.OfficeID)
	obj.Level = is.Level
	if dec := access.DecideInfo(v.Subject, access.EditInfo, obj); !dec.Allow && !readsAll {
		srv.auditRefusal(r, access.ReadInfo, access.Object{Kind: "info_issue", ID: is.ID, UnitID: is.OfficeID, Level: is.Level}, dec.Reason, "issue")
		if isAPI(r) {
			writeJSONError(w, http.StatusForbidden, dec.Reason)
		} else {
			srv.render(w, r, http.StatusForbidden, "error", pageData{Title: "无权操作", Error: dec.Reason})
		}
		return is, nil, nil, false
	}
	return is, items, c, true
}

func (srv *Server) infoIssuePage(w http.ResponseWriter, r *http.Request) {
	is, items, c, ok := srv.loadIssue(w, r)
	if !ok {
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"issue": is, "number": is.Number(), "items": items})
		return
	}
	srv.renderIssue(w, r, http.StatusOK, is, items, c, "")
}

func (srv *Server) renderIssue(w http.ResponseWriter, r *http.Request, status int, is inforeport.Issue, items []inforeport.Report, c *infoCtx, msg string) {
	v := viewerFrom(r.Context())
	d := infoIssueData{Is: is, Masthead: is.Masthead()}
	d.Masthead.Date = dateOf(is.IssuedAt)
	for _, x := range items {
		d.Items = append(d.Items, infoRow{Report: x, Unit: c.Credits(x)})
	}
	obj := c.officeObject(is.OfficeID)
	obj.Level = is.Level
	d.Edits = access.DecideInfo(v.Subject, access.EditInfo, obj).Allow
	if d.Edits && is.DocumentID == "" {
		for _, u := range c.units {
			if u.Kind == org.KindTown || u.Kind == org.KindDepartment || u.Kind == org.KindLeadingBody {
				d.Units = append(d.Units, option{u.ID, u.Name})
			}
		}
		slices.SortFunc(d.Units, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	}
	var names []string
	for _, u := range is.Recipients {
		names = append(names, c.Unit(u))
	}
	d.Recipients = strings.Join(names, "、")
	f, _ := formOf(r)
	srv.render(w, r, status, "info_issue", pageData{Title: is.Publication.Label() + is.Number(), Nav: "info", Data: d, Form: f, Error: msg, Notice: infoNotice(r)})
}

// infoIssueDistribute sends an issue out as a document (分发 through 办文):
// the office's editors choose the units; the store makes the document at
// the 分发 step of the office's 发文 route, and when the viewer is the
// office's clerk who holds that step it is finished here, through the one
// path every document is sent by (srv.act: the issued text typeset, a copy
// in each receiving office's 收文). Otherwise the clerk finishes it on the
// document's page.
func (srv *Server) infoIssueDistribute(w http.ResponseWriter, r *http.Request) {
	is, items, c, ok := srv.loadIssue(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	obj := c.officeObject(is.OfficeID)
	obj.Level = is.Level
	if dec := access.DecideInfo(v.Subject, access.EditInfo, obj); !dec.Allow {
		srv.auditRefusal(r, access.EditInfo, access.Object{Kind: "info_issue", ID: is.ID, UnitID: is.OfficeID, Level: is.Level}, dec.Reason, "distribute")
		if isAPI(r) {
			writeJSONError(w, http.StatusForbidden, dec.Reason)
		} else {
			srv.render(w, r, http.StatusForbidden, "error", pageData{Title: "无权操作", Error: dec.Reason})
		}
		return
	}
	f, err := formOf(r)
	var rec store.DocRecord
	if err == nil {
		is, rec, err = srv.store.DistributeInfoIssue(ctx, v.Person, is.ID, f["unit"])
	}
	if err != nil {
		status, ok := infoStatus(err)
		if !ok && !userError(err) {
			srv.serverError(w, r, err)
			return
		}
		if !ok {
			status = refusedStatus(err)
		}
		if isAPI(r) {
			writeJSONError(w, status, userMessage(err))
			return
		}
		srv.renderIssue(w, r, status, is, items, c, userMessage(err))
		return
	}
	sent, err := srv.finishDistribute(ctx, v, rec)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"issue": is, "document_id": rec.ID, "sent": sent})
		return
	}
	if sent {
		http.Redirect(w, r, "/info/issues/"+is.ID+"?notice=distributed", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/docs/"+rec.ID, http.StatusSeeOther)
}

// finishDistribute finishes the 分发 task of a new document when the viewer
// holds it (false, nil when they do not: the office's clerk will).
func (srv *Server) finishDistribute(ctx context.Context, v *Viewer, rec store.DocRecord) (bool, error) {
	now := srv.store.Now()
	actor, err := srv.store.Actor(ctx, v.Person.ID, now)
	if err != nil {
		return false, err
	}
	in, err := srv.store.Instance(ctx, rec.ID)
	if err != nil {
		return false, err
	}
	od := openedDoc{rec: rec, in: in, actor: actor, involved: true}
	for _, t := range in.OpenTasks() {
		if !actor.Matches(t.Assignee) {
			continue
		}
		if _, err := srv.act(ctx, v.Person, od, route.Request{Op: route.Approve, Task: t.ID}, ""); err != nil {
			if _, _, internal := actError(err); internal {
				return false, err
			}
			return false, nil // the document's page says why when the clerk tries
		}
		return true, nil
	}
	return false, nil
}

// infoIssueLayout is an issue as the GB/T 9704 typesetter prints it: the
// 纪要 format, whose 版头 is the publication's name and its 期号.
func infoIssueLayout(is inforeport.Issue, items []inforeport.Report, unitName func(string) string) *layout.Document {
	d := &layout.Document{Format: layout.FormatMinutes, IssuerMark: is.Publication.Name(), DocNumber: is.Number(),
		Title: is.Title, Issuer: is.Compiler, Date: dateOf(is.IssuedAt), PrintIssuer: is.Compiler, PrintDate: dateOf(is.IssuedAt)}
	if is.Level > org.Unclassified {
		d.Classification = is.Level.Label()
	}
	for _, line := range strings.Split(is.Text(items, unitName), "\n") {
		if strings.TrimSpace(line) != "" {
			d.Body = append(d.Body, layout.Paragraph{Text: line, Level: layout.HeadingLevel(line)})
		}
	}
	return d
}

func (srv *Server) infoIssuePDF(w http.ResponseWriter, r *http.Request) {
	is, items, c, ok := srv.loadIssue(w, r)
	if !ok {
		return
	}
	if srv.opt.Renderer == nil {
		srv.printUnavailable(w, r)
		return
	}
	fonts := srv.opt.Renderer.Fonts()
	pages, err := fonts.TypesetContext(r.Context(), infoIssueLayout(is, items, c.Unit), layout.Options{})
	var buf bytes.Buffer
	if err == nil {
		err = fonts.WritePDF(&buf, pages, is.Publication.Name()+is.Number())
	}
	if err != nil {
		srv.printFailed(w, r, err)
		return
	}
	sendFile(w, "application/pdf", is.Publication.Name()+is.Number()+".pdf", true, buf.Bytes())
}

// ---- scores ----

type infoScoreRow struct {
	Rank   int
	Unit   string
	UnitID string
	Points float64
	Months [12]float64
	Events []infoScoreEvent
}

type infoScoreEvent struct {
	inforeport.PointEvent
	Title, Date string
}

type infoScoresData struct {
	Year   int
	Rows   []infoScoreRow
	Rules  inforeport.RuleSet
	Levels []inforeport.Level
	Unit   string
}

func (srv *Server) infoScores(w http.ResponseWriter, r *http.Request) {
	v, c, ok := srv.infoEnter(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	var err error
	if len(c.edits) == 0 {
		srv.refuse(w, r, string(access.EditInfo), "信息积分只对收信办公室的主任和文秘显示")
		return
	}
	loc := calendar.Shanghai()
	now := srv.store.Now()
	year := now.In(loc).Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y > 2000 && y < 2200 {
		year = y
	}
	p := inforeport.Year(year, loc)
	rs, err := srv.store.InfoRules(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	var scores []inforeport.UnitScore
	titles := map[string]string{}
	for _, o := range c.edits {
		rec, err := srv.store.InfoRecords(ctx, o, p.To, now)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		for _, x := range rec.Reports {
			titles[x.ID] = x.Title
			if x.Level > v.Subject.Clearance {
				titles[x.ID] = "（" + x.Level.Label() + "信息）"
			}
		}
		for _, s := range rec.Solicitations {
			titles[s.ID] = "约稿：" + s.Topic
		}
		scores = append(scores, inforeport.Score(rs, rec, p)...)
	}
	unit := r.URL.Query().Get("unit")
	if isAPI(r) {
		if unit != "" {
			scores = slices.DeleteFunc(scores, func(s inforeport.UnitScore) bool { return s.UnitID != unit })
		}
		if scores == nil {
			scores = []inforeport.UnitScore{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"year": year, "rules": rs, "scores": scores})
		return
	}
	d := infoScoresData{Year: year, Rules: rs, Levels: inforeport.Levels(), Unit: unit}
	for i, s := range scores {
		row := infoScoreRow{Rank: i + 1, Unit: c.Unit(s.UnitID), UnitID: s.UnitID, Points: s.Points, Months: inforeport.Monthly(s.Events, loc)}
		if unit == s.UnitID {
			for _, e := range s.Events {
				t := titles[e.ReportID]
				if t == "" {
					t = titles[e.SolicitationID]
				}
				row.Events = append(row.Events, infoScoreEvent{PointEvent: e, Title: t, Date: dateOf(e.Date)})
			}
		}
		d.Rows = append(d.Rows, row)
	}
	srv.render(w, r, http.StatusOK, "info_scores", pageData{Title: fmt.Sprintf("%d年信息积分", year), Nav: "info", Data: d})
}
