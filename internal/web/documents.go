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
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// This file holds what every document page shares: opening a document under
// the access decision (and auditing classified openings), names for ids, the
// four lists (待办/待阅/已办/办结) and the workbench source built on them.

func (srv *Server) docRoutes() {
	m := srv.mux
	m.HandleFunc("GET /docs", srv.requireLogin(srv.docList))
	m.HandleFunc("POST /docs/signfor", srv.requireLogin(srv.docBulkSignFor))
	m.HandleFunc("GET /docs/watch", srv.requireLogin(srv.docWatch))
	m.HandleFunc("GET /api/v1/documents/watch", srv.requireLogin(srv.docWatch))
	m.HandleFunc("GET /docs/new", srv.requireLogin(srv.docNew))
	m.HandleFunc("POST /docs/new", srv.requireLogin(srv.docCreate))
	m.HandleFunc("GET /docs/{id}", srv.requireLogin(srv.docPage))
	m.HandleFunc("POST /docs/{id}/act", srv.requireLogin(srv.docAct))
	m.HandleFunc("GET /docs/{id}/edit", srv.requireLogin(srv.docEdit))
	m.HandleFunc("POST /docs/{id}/edit", srv.requireLogin(srv.docSave))
	m.HandleFunc("GET /docs/{id}/diff", srv.requireLogin(srv.docDiff))
	m.HandleFunc("POST /docs/{id}/classify", srv.requireLogin(srv.docClassify))
	m.HandleFunc("POST /docs/{id}/annotations", srv.requireLogin(srv.docAnnotate))
	m.HandleFunc("POST /docs/{id}/annotations/{aid}/resolve", srv.requireLogin(srv.docResolve))
	m.HandleFunc("GET /docs/{id}/sheet", srv.requireLogin(srv.docSheet))
	m.HandleFunc("GET /docs/{id}/files/{sha}", srv.requireLogin(srv.docFile))
	m.HandleFunc("POST /docs/{id}/files", srv.requireLogin(srv.docFileAdd))
	m.HandleFunc("GET /incoming/new", srv.requireLogin(srv.incomingNew))
	m.HandleFunc("POST /incoming/new", srv.requireLogin(srv.incomingCreate))
	srv.docAPIRoutes()
}

// maxUpload caps a request that carries files: a few attachments at the
// policy's 50 MiB each (see bodyLimits in input.go).
const maxUpload = 200 << 20

// docWork is the documents' WorkSource for the workbench.
type docWork struct{ srv *Server }

func (d docWork) Work(ctx context.Context, v *Viewer, q WorkQuery) (Worklists, error) {
	var wl Worklists
	a, err := d.srv.store.Actor(ctx, v.Person.ID, d.srv.store.Now())
	if err != nil {
		return wl, err
	}
	c, err := d.srv.docCounts(ctx, v.Subject, a)
	if err != nil {
		return wl, err
	}
	wl.Counts = WorkCounts{Todo: c.Todo, ToRead: c.ToRead, Done: c.Done}
	conv := func(rows []docRow) []WorkItem {
		out := make([]WorkItem, 0, len(rows))
		for _, r := range rows {
			out = append(out, WorkItem{Kind: r.Kind, Title: r.Title, From: r.From, URL: "/docs/" + r.ID, Due: r.Due, State: r.State,
				DocID: r.ID, TaskID: r.TaskID})
		}
		return out
	}
	for _, tab := range q.Tabs {
		rows, _, err := d.srv.docListPage(ctx, v.Subject, a, docFilter{Tab: tab}, q.Limit)
		if err != nil {
			return wl, err
		}
		switch tab {
		case "todo":
			wl.Todo = conv(rows)
		case "toread":
			wl.ToRead = conv(rows)
		case "done":
			wl.Done = conv(rows)
		}
	}
	return wl, nil
}

// docObject is a document as the access function sees it. Participants is
// the viewer when they take part in it (acted, or hold an open task).
func docObject(rec store.DocRecord, personID string, involved bool) access.Object {
	o := access.Object{Kind: "document", ID: rec.ID, UnitID: rec.OrganID, Level: rec.Level()}
	if involved {
		o.Participants = []string{personID}
	}
	return o
}

// openedDoc is a document the viewer may read, with its route.
type openedDoc struct {
	rec      store.DocRecord
	in       route.Instance
	actor    route.Actor
	involved bool
}

// openDoc loads a document and decides whether the viewer may read it; on
// refusal it has answered (403, audited) and returns false. Every opening of a
// classified document is audited.
func (srv *Server) openDoc(w http.ResponseWriter, r *http.Request, what string) (openedDoc, bool) {
	ctx := r.Context()
	v := viewerFrom(ctx)
	var od openedDoc
	rec, err := srv.store.Document(ctx, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		srv.docNotFound(w, r)
		return od, false
	}
	if err != nil {
		srv.serverError(w, r, err)
		return od, false
	}
	actor, err := srv.store.Actor(ctx, v.Person.ID, srv.store.Now())
	if err != nil {
		srv.serverError(w, r, err)
		return od, false
	}
	involved, err := srv.store.Involved(ctx, rec.ID, actor)
	if err != nil {
		srv.serverError(w, r, err)
		return od, false
	}
	if !srv.authorizeObject(w, r, access.ReadObject, docObject(rec, v.Person.ID, involved), what) {
		return od, false
	}
	if rec.Level() > org.Unclassified {
		err := srv.store.AuditAlone(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "document.read",
			ObjectKind: "document", ObjectID: rec.ID, IP: clientIP(r),
			// No title: the auditor reads this log and may not read the document.
			Detail: jsonDetail(map[string]string{"level": rec.Level().Label(), "view": what})})
		if err != nil {
			// Opening a classified document that cannot be recorded is refused.
			srv.serverError(w, r, err)
			return od, false
		}
	}
	in, err := srv.store.Instance(ctx, rec.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return od, false
	}
	return openedDoc{rec: rec, in: in, actor: actor, involved: involved}, true
}

// mayReadDoc decides, as opening it would, whether the viewer may read rec:
// for the places that show a part of a document outside its own pages — a
// title in a bulk result, a prefilled form, the document an item names. A
// refusal is audited with the document named (never its title); the caller
// then shows nothing of it.
func (srv *Server) mayReadDoc(ctx context.Context, r *http.Request, rec store.DocRecord, view string) (bool, error) {
	v := viewerFrom(ctx)
	actor, err := srv.store.Actor(ctx, v.Person.ID, srv.store.Now())
	if err != nil {
		return false, err
	}
	involved, err := srv.store.Involved(ctx, rec.ID, actor)
	if err != nil {
		return false, err
	}
	return srv.decideDocAt(r, rec, involved, rec.Level(), view).Allow, nil
}

// decideDocAt decides reading the document as it stood at level — an
// earlier version keeps its own 密级 — auditing a refusal.
func (srv *Server) decideDocAt(r *http.Request, rec store.DocRecord, involved bool, level org.Classification, view string) access.Decision {
	v := viewerFrom(r.Context())
	o := docObject(rec, v.Person.ID, involved)
	o.Level = level
	d := access.Decide(v.Subject, access.ReadObject, o)
	if !d.Allow {
		srv.auditRefusal(r, access.ReadObject, o, d.Reason, view)
	}
	return d
}

// mayReadVersion reports, without auditing, whether the viewer may read a
// version at its own level: lists of versions show the others without
// their notes (which may quote the text).
func mayReadVersion(v *Viewer, od openedDoc, level org.Classification) bool {
	o := docObject(od.rec, v.Person.ID, od.involved)
	o.Level = level
	return access.Decide(v.Subject, access.ReadObject, o).Allow
}

// authorizeObject is authorize for an action on one object: a refusal is
// audited naming the object (its kind and ID, with the view asked for) and
// answered 403.
func (srv *Server) authorizeObject(w http.ResponseWriter, r *http.Request, a access.Action, o access.Object, view string) bool {
	d := access.Decide(viewerFrom(r.Context()).Subject, a, o)
	if d.Allow {
		return true
	}
	srv.auditRefusal(r, a, o, d.Reason, view)
	if isAPI(r) {
		writeJSONError(w, http.StatusForbidden, d.Reason)
		return false
	}
	srv.render(w, r, http.StatusForbidden, "error", pageData{Title: "无权操作", Error: d.Reason})
	return false
}

// auditRefusal records that the viewer was refused action on o, naming the
// object (its kind and ID, never its content). Used where the refusal is not
// answered with a 403 page but by leaving the object out.
func (srv *Server) auditRefusal(r *http.Request, a access.Action, o access.Object, reason, view string) {
	ev := audit.Event{Action: "access.deny", ObjectKind: o.Kind, ObjectID: o.ID, Outcome: audit.Denied, IP: clientIP(r),
		Detail: jsonDetail(map[string]string{"action": string(a), "view": view, "path": r.URL.Path, "method": r.Method, "reason": reason})}
	if v := viewerFrom(r.Context()); v != nil {
		ev.ActorID, ev.ActorName = v.Person.ID, v.Person.Name
	}
	if err := srv.store.AuditAlone(r.Context(), ev); err != nil {
		srv.log.Error("audit refusal", "err", err)
	}
}

func (srv *Server) docNotFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, http.StatusNotFound, "文件不存在")
		return
	}
	srv.notFound(w, r)
}

// names turns ids into what people read, caching within one request.
type names struct {
	ctx    context.Context
	s      *store.Store
	people map[string]string
	units  map[string]org.Unit
}

func (srv *Server) names(ctx context.Context) (*names, error) {
	us, err := srv.units(ctx)
	if err != nil {
		return nil, err
	}
	n := &names{ctx: ctx, s: srv.store, people: map[string]string{}, units: make(map[string]org.Unit, len(us))}
	for _, u := range us {
		n.units[u.ID] = u
	}
	return n, nil
}

// units is every unit, read once per request (see requestMemo).
func (srv *Server) units(ctx context.Context) ([]org.Unit, error) {
	v := viewerFrom(ctx)
	if v != nil && v.memo.units != nil {
		return v.memo.units, nil
	}
	us, err := srv.store.Units(ctx)
	if err == nil && v != nil && v.memo.on {
		v.memo.units = us
	}
	return us, err
}

// oversight is every 分管 relation, read once per request.
func (srv *Server) oversight(ctx context.Context) ([]org.Oversight, error) {
	v := viewerFrom(ctx)
	if v != nil && v.memo.haveOv {
		return v.memo.oversight, nil
	}
	ov, err := srv.store.Oversight(ctx)
	if err == nil && v != nil && v.memo.on {
		v.memo.oversight, v.memo.haveOv = ov, true
	}
	return ov, err
}

func (n *names) person(id string) string {
	if id == "" {
		return ""
	}
	if s, ok := n.people[id]; ok {
		return s
	}
	name := "（未知人员）"
	if p, err := n.s.Person(n.ctx, id); err == nil {
		name = p.Name
	}
	n.people[id] = name
	return name
}

func (n *names) unit(id string) string {
	if u, ok := n.units[id]; ok {
		return u.ShortName
	}
	if id == "" {
		return ""
	}
	return "（未知单位）" // never the ID
}

// post names a person's primary post, e.g. 区财政局局长 ("" if none).
func (n *names) post(personID string) string {
	ps, err := n.s.Positions(n.ctx, personID)
	if err != nil || len(ps) == 0 {
		return ""
	}
	p := ps[0]
	for _, x := range ps {
		if x.Primary {
			p = x
			break
		}
	}
	return n.unit(p.UnitID) + p.Title
}

// countersign is one 会签 result as the page and the 发文稿纸 show it: the
// post asked to sign (a unit's leader, or the person's post when a person
// was asked — never their name again beside the signature) and who signed.
func (n *names) countersign(c document.Countersign) opinion {
	step := n.assignee(c.Assignee)
	if c.Assignee.Kind == route.Person || c.Assignee.Kind == route.Starter {
		if step = n.post(c.Assignee.Person); step == "" {
			step = "会签"
		}
	}
	return opinion{Step: step, Who: n.person(c.By), Text: c.Comment, At: c.At, Agreed: c.Agreed}
}

func (n *names) assignee(a route.Assignee) string {
	return a.Describe(n.unit, n.person)
}

// docRow is one line of a document list.
type docRow struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"` // 发文 / 收文
	Title  string `json:"title"`
	Number string `json:"number,omitempty"` // 发文字号 or 收文编号
	// SenderNumber is an incoming document's 来文字号 (the sender's 发文字号).
	SenderNumber string    `json:"sender_number,omitempty"`
	From         string    `json:"from"`
	Step         string    `json:"step"`
	Due          time.Time `json:"due,omitzero"`
	State        string    `json:"state,omitempty"` // 正常 / 即将到期 / 逾期
	Level        string    `json:"classification,omitempty"`
	Urgency      string    `json:"urgency,omitempty"`
	TaskID       int       `json:"task,omitempty"`
	SignFor      bool      `json:"sign_for,omitempty"` // a 签收 task: may be signed for in bulk
	OnBehalf     string    `json:"on_behalf_of,omitempty"`
}

func kindLabel(direction string) string {
	if direction == store.Incoming {
		return "收文"
	}
	return "发文"
}

func (srv *Server) stateOf(due, now time.Time) string {
	if due.IsZero() {
		return calendar.Normal.Label()
	}
	return srv.store.Calendar().StateAt(due, now, calendar.DefaultSoon()).Label()
}

func (srv *Server) rowOf(rec store.DocRecord, n *names) docRow {
	r := docRow{ID: rec.ID, Kind: kindLabel(rec.Direction), Title: rec.Doc.Title, Step: rec.Step,
		Urgency: rec.Doc.Urgency.Label()}
	if rec.Level() > org.Unclassified {
		r.Level = rec.Level().Label()
	}
	if rec.Direction == store.Incoming {
		r.Number, r.SenderNumber, r.From = rec.InNumber, rec.DocNumber, rec.Sender
	} else {
		r.Number, r.From = rec.DocNumber, n.unit(rec.UnitID)
	}
	return r
}

// listPage is how many rows a page of a list shows.
const listPage = 50

// listLevel is the highest 密级 the lists may show the viewer, the predicate
// they apply in the database. For a document the viewer takes part in,
// access.Decide allows exactly the valid levels up to their clearance, and
// nothing at all to a subject it refuses even a 非密 one (ok false).
func listLevel(s access.Subject) (max org.Classification, ok bool) {
	probe := access.Object{Kind: "document", Level: org.Unclassified, Participants: []string{s.PersonID}}
	if !access.Decide(s, access.ReadObject, probe).Allow {
		return 0, false
	}
	return s.Clearance, true
}

// docCounts counts the viewer's four lists in the database, under the same
// predicate the pages apply (listLevel).
func (srv *Server) docCounts(ctx context.Context, s access.Subject, a route.Actor) (store.ListCounts, error) {
	max, ok := listLevel(s)
	if !ok {
		return store.ListCounts{}, nil
	}
	return srv.store.ListCounts(ctx, a, max, countLimit)
}

// countLimit bounds the lists' counts: counting reads every index entry it
// counts, so past it a tab says "10000+" and a page costs the same with a
// backlog of 10,000 or 100,000.
const countLimit = 10000

// shownCount is a list's size as a tab shows it.
func shownCount(n int) string {
	if n >= countLimit {
		return fmt.Sprintf("%d+", countLimit)
	}
	return strconv.Itoa(n)
}

// docListPage reads one page of a list — the tab, its filters, starting after
// f.After — in the database, newest first, and returns its rows and the
// cursor of the next page ("" on the last). Every row passes the same access
// decision as opening the document; the database query already leaves out
// what the decision would refuse (listLevel), and should a row still be
// refused, more are read in its place, so a refused document never shows up.
func (srv *Server) docListPage(ctx context.Context, s access.Subject, a route.Actor, f docFilter, limit int) ([]docRow, string, error) {
	max, ok := listLevel(s)
	if !ok {
		return nil, "", nil
	}
	now := srv.store.Now()
	n, err := srv.names(ctx)
	if err != nil {
		return nil, "", err
	}
	may := func(rec store.DocRecord) bool {
		return rec.ID != "" && access.Decide(s, access.ReadObject, docObject(rec, s.PersonID, true)).Allow
	}
	var rows []docRow
	var cursors []string // the cursor after each row kept
	next := ""
	// A few rounds at most: the query refuses in SQL what Decide refuses.
	const rounds = 8
	switch f.Tab {
	case "done", "closed":
		if f.State != "" {
			return nil, "", nil // only tasks have a due time
		}
		q := store.PartQuery{Closed: f.Tab == "closed", MaxLevel: max, Direction: f.Dir, Text: f.Query, After: parsePartCursor(f.After), Limit: limit + 1}
		for round := 0; ; round++ {
			ps, err := srv.store.ParticipatedPage(ctx, s.PersonID, q)
			if err != nil {
				return nil, "", err
			}
			for _, p := range ps {
				if may(p.Doc) {
					rows = append(rows, srv.rowOf(p.Doc, n))
					cursors = append(cursors, partCursor(p))
				}
			}
			if len(ps) < q.Limit || len(rows) > limit {
				break
			}
			last := ps[len(ps)-1]
			q.After = &store.PartCursor{Acted: last.Acted, DocID: last.Doc.ID}
			if round == rounds {
				next = partCursor(last)
				break
			}
		}
	default:
		q := store.TaskQuery{Which: store.TasksTodo, MaxLevel: max, Direction: f.Dir, Text: f.Query, After: parseTaskCursor(f.After), Limit: limit + 1}
		if f.Tab == "toread" {
			q.Which = store.TasksToRead
		}
		if f.State != "" {
			if q.Due, err = srv.dueFilter(f.State, now); err != nil {
				return nil, "", err
			}
		}
		for round := 0; ; round++ {
			items, err := srv.store.TaskPage(ctx, a, q)
			if err != nil {
				return nil, "", err
			}
			for _, it := range items {
				if !may(it.Doc) {
					continue
				}
				row := srv.rowOf(it.Doc, n)
				row.Step, row.Due, row.TaskID = it.Step, it.Due, it.TaskID
				row.State = srv.stateOf(it.Due, now)
				row.SignFor = it.Doc.Direction == store.Incoming && it.Step == "签收"
				if it.OnBehalfOf != "" {
					row.OnBehalf = n.person(it.OnBehalfOf)
				}
				rows = append(rows, row)
				cursors = append(cursors, taskCursor(it))
			}
			if len(items) < q.Limit || len(rows) > limit {
				break
			}
			last := items[len(items)-1]
			q.After = &store.TaskCursor{Handed: last.Handed, DocID: last.Doc.ID, TaskID: last.TaskID}
			if round == rounds {
				next = taskCursor(last)
				break
			}
		}
	}
	if len(rows) > limit {
		rows, next = rows[:limit], cursors[limit-1]
	}
	return rows, next, nil
}

// Cursors name the last row of a page: "microseconds.document.task" for
// tasks, "microseconds.document" for participations. A cursor that does not
// parse starts from the first page.
func taskCursor(it store.WorkItem) string {
	return fmt.Sprintf("%d.%s.%d", it.Handed.UnixMicro(), it.Doc.ID, it.TaskID)
}

func parseTaskCursor(s string) *store.TaskCursor {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return nil
	}
	us, err1 := strconv.ParseInt(parts[0], 10, 64)
	task, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || parts[1] == "" {
		return nil
	}
	return &store.TaskCursor{Handed: time.UnixMicro(us).UTC(), DocID: parts[1], TaskID: task}
}

func partCursor(p store.Participation) string {
	return fmt.Sprintf("%d.%s", p.Acted.UnixMicro(), p.Doc.ID)
}

func parsePartCursor(s string) *store.PartCursor {
	parts := strings.Split(s, ".")
	if len(parts) != 2 {
		return nil
	}
	us, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || parts[1] == "" {
		return nil
	}
	return &store.PartCursor{Acted: time.UnixMicro(us).UTC(), DocID: parts[1]}
}

// dueFilter turns a state (正常/即将到期/逾期, as stateOf labels it) into the
// due times that have it now, for the database.
func (srv *Server) dueFilter(state string, now time.Time) (store.DueFilter, error) {
	// Due times are stored in whole microseconds: "before t" is "before t
	// rounded up".
	up := func(t time.Time) time.Time {
		return t.Add(time.Microsecond - time.Nanosecond).Truncate(time.Microsecond)
	}
	until, err := srv.store.Calendar().SoonUntil(now, calendar.DefaultSoon())
	if err != nil {
		return store.DueFilter{}, err
	}
	switch state {
	case calendar.Overdue.Label():
		return store.DueFilter{Set: true, Due: true, Before: up(now)}, nil
	case calendar.DueSoon.Label():
		return store.DueFilter{Set: true, Due: true, From: up(now), Before: up(until)}, nil
	case calendar.Normal.Label():
		return store.DueFilter{Set: true, NoDue: true, Due: true, From: up(until)}, nil
	}
	return store.DueFilter{Set: true}, nil // no such state: nothing
}

// docFilter narrows a list: text in title or number, 发文/收文, state; After
// is where the page starts (a cursor).
type docFilter struct {
	Tab   string `json:"tab"`
	Query string `json:"q"`
	Dir   string `json:"dir"`
	State string `json:"state"`
	After string `json:"after,omitempty"`
}

func filterFrom(r *http.Request) docFilter {
	q := r.URL.Query()
	f := docFilter{Tab: q.Get("tab"), Query: strings.TrimSpace(q.Get("q")), Dir: q.Get("dir"), State: q.Get("state"), After: q.Get("after")}
	if !slices.Contains([]string{"todo", "toread", "done", "closed"}, f.Tab) {
		f.Tab = "todo"
	}
	if f.Dir != store.Outgoing && f.Dir != store.Incoming {
		f.Dir = ""
	}
	return f
}

// pageURL is the list's address for the page starting after cursor, with
// the same tab and filters.
func (f docFilter) pageURL(path, cursor string) string {
	v := url.Values{"tab": {f.Tab}}
	for k, x := range map[string]string{"q": f.Query, "dir": f.Dir, "state": f.State, "after": cursor} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return path + "?" + v.Encode()
}

type docListData struct {
	Counts   store.ListCounts
	Filter   docFilter
	Rows     []docRow
	Next     string // the next page's address; "" on the last
	First    string // the first page's address, when this is not it
	Results  []bulkResult
	CanNew   bool
	CanWatch bool // works in an organ's office or heads an organ: sees 办文预警
}

type bulkResult struct {
	Title string `json:"title"`
	OK    bool   `json:"ok"`
	Msg   string `json:"message"`
}

func (srv *Server) docList(w http.ResponseWriter, r *http.Request) {
	srv.renderDocList(w, r, http.StatusOK, nil, "")
}

func (srv *Server) renderDocList(w http.ResponseWriter, r *http.Request, status int, results []bulkResult, notice string) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	a, err := srv.store.Actor(ctx, v.Person.ID, srv.store.Now())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	f := filterFrom(r)
	counts, err := srv.docCounts(ctx, v.Subject, a)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	rows, next, err := srv.docListPage(ctx, v.Subject, a, f, listPage)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := docListData{Counts: counts, Filter: f, Rows: rows, Results: results, CanNew: len(v.Positions) > 0}
	if next != "" {
		d.Next = f.pageURL("/docs", next)
	}
	if f.After != "" {
		d.First = f.pageURL("/docs", "")
	}
	if n, err := srv.names(ctx); err == nil {
		d.CanWatch = len(watchOrgans(v, n.units)) > 0
	}
	srv.render(w, r, status, "doc_list", pageData{Title: "公文", Nav: "docs", Data: d, Notice: notice})
}

// unitsUnder lists a unit and everything below it, in tree order.
func unitsUnder(all []org.Unit, rootID string) []org.Unit {
	in := map[string]bool{rootID: true}
	var out []org.Unit
	// Units come parents first, so one pass finds every descendant.
	for _, u := range all {
		if u.ID == rootID || in[u.ParentID] {
			in[u.ID] = true
			out = append(out, u)
		}
	}
	return out
}

// organOf walks up from a unit past its sections, as the store does.
func organOf(units map[string]org.Unit, id string) string {
	for u, ok := units[id]; ok; u, ok = units[u.ParentID] {
		if u.Kind != org.KindSection {
			return u.ID
		}
	}
	return id
}

func fmtDuration(d time.Duration) string {
	if d <= 0 {
		return "—"
	}
	// Working time: a working day is the office's 6½ hours.
	const day = 6*time.Hour + 30*time.Minute
	days := int(d / day)
	d -= time.Duration(days) * day
	h, m := int(d.Hours()), int(d.Minutes())%60
	var b strings.Builder
	if days > 0 {
		fmt.Fprintf(&b, "%d个工作日", days)
	}
	if h > 0 {
		fmt.Fprintf(&b, "%d小时", h)
	}
	if m > 0 && days == 0 {
		fmt.Fprintf(&b, "%d分", m)
	}
	if b.Len() == 0 {
		return "不到1分钟"
	}
	return b.String()
}
