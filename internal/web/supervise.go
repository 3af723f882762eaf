package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/supervise"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// supRoutes registers the 督查督办 pages, their JSON API and the inbox.
func (srv *Server) supRoutes() {
	m := srv.mux
	m.HandleFunc("GET /supervise", srv.requireLogin(srv.supList))
	m.HandleFunc("GET /supervise/new", srv.requireLogin(srv.supNew))
	m.HandleFunc("POST /supervise", srv.requireLogin(srv.supCreate))
	m.HandleFunc("GET /supervise/items/{id}", srv.requireLogin(srv.supItemPage))
	m.HandleFunc("GET /supervise/items/{id}/sheet.pdf", srv.requireLogin(srv.supSheetPDF))
	m.HandleFunc("GET /supervise/items/{id}/urgings/{seq}/sheet.pdf", srv.requireLogin(srv.supUrgeSheetPDF))
	m.HandleFunc("GET /supervise/items/{id}/files/{sha}", srv.requireLogin(srv.supFile))
	m.HandleFunc("POST /supervise/items/{id}/{op}", srv.requireLogin(srv.supAction))
	m.HandleFunc("GET /supervise/stats", srv.requireLogin(srv.supStats))
	m.HandleFunc("GET /supervise/stats/items", srv.requireLogin(srv.supBehind))
	m.HandleFunc("GET /supervise/bulletin", srv.requireLogin(srv.supBulletin))
	m.HandleFunc("GET /supervise/bulletin.xlsx", srv.requireLogin(srv.supBulletinXLSX))
	m.HandleFunc("GET /supervise/import", srv.requireLogin(srv.supImportPage))
	m.HandleFunc("POST /supervise/import", srv.requireLogin(srv.supImport))
	m.HandleFunc("GET /inbox", srv.requireLogin(srv.inboxPage))
	m.HandleFunc("POST /inbox/read", srv.requireLogin(srv.inboxRead))
	m.HandleFunc("GET /inbox/unread", srv.requireLogin(srv.inboxUnread))
	m.HandleFunc("GET /settings/notify", srv.requireLogin(srv.notifyPrefsPage))
	m.HandleFunc("POST /settings/notify", srv.requireLogin(srv.notifyPrefsSubmit))
	m.HandleFunc("GET /api/v1/settings/notify", srv.requireLogin(srv.notifyPrefsPage))
	m.HandleFunc("PUT /api/v1/settings/notify", srv.requireLogin(srv.notifyPrefsSubmit))

	m.HandleFunc("GET /api/v1/supervise/items", srv.requireLogin(srv.apiSupList))
	m.HandleFunc("POST /api/v1/supervise/items", srv.requireLogin(srv.supCreate))
	m.HandleFunc("GET /api/v1/supervise/items/{id}", srv.requireLogin(srv.apiSupItem))
	m.HandleFunc("GET /api/v1/supervise/items/{id}/files/{sha}", srv.requireLogin(srv.supFile))
	m.HandleFunc("POST /api/v1/supervise/items/{id}/{op}", srv.requireLogin(srv.supAction))
	m.HandleFunc("GET /api/v1/supervise/stats", srv.requireLogin(srv.supStats))
	m.HandleFunc("POST /api/v1/supervise/import", srv.requireLogin(srv.supImport))
	m.HandleFunc("GET /api/v1/inbox", srv.requireLogin(srv.inboxPage))
	m.HandleFunc("POST /api/v1/inbox/read", srv.requireLogin(srv.inboxRead))
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// supOffice is the 督查室 the viewer works for: the unit of their 督查员 role.
func supOffice(v *Viewer) string {
	for _, r := range v.Roles {
		if r.Role == org.RoleSupervisor {
			return r.UnitID
		}
	}
	return ""
}

// viewerUnits are the units the viewer works in (positions and business roles).
func viewerUnits(v *Viewer) []string {
	var out []string
	add := func(id string) {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, p := range v.Positions {
		add(p.UnitID)
	}
	for _, r := range v.Roles {
		if !r.Role.Admin() {
			add(r.UnitID)
		}
	}
	return out
}

// supObject is the item as the access function sees it (the rule is
// access.SupervisionObject, which search applies too).
func supObject(v *Viewer, it *supervise.Item, units map[string]org.Unit, oversight []org.Oversight) access.Object {
	return access.SupervisionObject(v.Subject, store.SupervisionFacts(it), units, oversight)
}

// supObjectFor is supObject with the unit tree and the 分管 read.
func (srv *Server) supObjectFor(ctx context.Context, v *Viewer, it *supervise.Item) (access.Object, error) {
	n, err := srv.supNamesOf(ctx)
	if err != nil {
		return access.Object{}, err
	}
	os, err := srv.store.Oversight(ctx)
	if err != nil {
		return access.Object{}, err
	}
	return supObject(v, it, n.units, os), nil
}

// supNames resolves unit and person IDs for display.
type supNames struct {
	units  map[string]org.Unit
	people map[string]string
}

func (srv *Server) supNamesOf(ctx context.Context) (*supNames, error) {
	us, err := srv.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	n := &supNames{units: make(map[string]org.Unit, len(us)), people: map[string]string{}}
	for _, u := range us {
		n.units[u.ID] = u
	}
	return n, nil
}

func (n *supNames) Unit(id string) string {
	if u, ok := n.units[id]; ok {
		return u.Name
	}
	if id == "" {
		return ""
	}
	return "（未知单位）" // never the ID
}

func (n *supNames) Short(id string) string {
	if u, ok := n.units[id]; ok && u.ShortName != "" {
		return u.ShortName
	}
	return n.Unit(id)
}

// person supNames people, looking each up once.
func (srv *Server) personName(ctx context.Context, n *supNames, id string) string {
	if id == "" {
		return ""
	}
	if s, ok := n.people[id]; ok {
		return s
	}
	p, err := srv.store.Person(ctx, id)
	name := "（未知人员）" // never the ID
	if err == nil {
		name = p.Name
	}
	n.people[id] = name
	return name
}

// supListRow is one line of an item list.
type supListRow struct {
	store.SupSummary
	LeadName string
}

type supListData struct {
	Tab, Light, State, Source, Unit, Query string
	Rows                                   []supListRow
	States                                 map[string]int // by state
	Lights                                 map[string]int // open items by light
	AllStates                              []supervise.State
	AllSources                             []supervise.Source
	Units                                  []org.Unit
	CanCreate                              bool
	Total                                  int
	Next, Prev                             string // the neighbouring pages' addresses, with the same filters
}

// supPage is how many items a page of the 督办 list shows.
const supPage = 50

// supPageURL is the list's address at offset, with the request's filters.
func supPageURL(q url.Values, offset int) string {
	v := url.Values{}
	for k, x := range q {
		if k != "offset" {
			v[k] = x
		}
	}
	if offset > 0 {
		v.Set("offset", strconv.Itoa(offset))
	}
	return "/supervise?" + v.Encode()
}

// supScope narrows a filter to what the viewer may see: a 督查员 sees their
// office's items, others the items on which one of their units works, those
// their 分管 units (or the sections of those units) are on, and those they
// instructed.
func (srv *Server) supScope(ctx context.Context, v *Viewer, f *store.SupFilter) error {
	if off := supOffice(v); off != "" {
		f.Office = off
		return nil
	}
	units, err := srv.supViewerUnits(ctx, v)
	if err != nil {
		return err
	}
	f.Units, f.Instructor = units, v.Person.ID
	return nil
}

// supViewerUnits are the units whose items are the viewer's own work: where
// they work, and for a leader the units they oversee with their sections.
func (srv *Server) supViewerUnits(ctx context.Context, v *Viewer) ([]string, error) {
	units := viewerUnits(v)
	os, err := srv.oversight(ctx)
	if err != nil {
		return nil, err
	}
	var overseen []string
	for _, o := range os {
		if o.LeaderID == v.Person.ID {
			overseen = append(overseen, o.UnitID)
		}
	}
	if len(overseen) > 0 {
		all, err := srv.units(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range all {
			if slices.Contains(overseen, u.ID) || slices.Contains(overseen, u.ParentID) {
				if !slices.Contains(units, u.ID) {
					units = append(units, u.ID)
				}
			}
		}
	}
	if len(units) == 0 {
		units = []string{"-"}
	}
	return units, nil
}

func (srv *Server) supFilterFrom(ctx context.Context, v *Viewer, q url.Values) (store.SupFilter, supListData, error) {
	d := supListData{Tab: q.Get("tab"), Light: q.Get("light"), State: q.Get("state"), Source: q.Get("source"), Unit: q.Get("unit"),
		Query: strings.TrimSpace(q.Get("q"))}
	f := store.SupFilter{Now: srv.store.Now()}
	if err := srv.supScope(ctx, v, &f); err != nil {
		return f, d, err
	}
	switch d.Tab {
	case "mine":
		// The viewer's own work: a 督查员's units too, and what they instructed.
		units, err := srv.supViewerUnits(ctx, v)
		if err != nil {
			return f, d, err
		}
		f.Units, f.Instructor, f.Office = units, v.Person.ID, ""
	case "closed":
		f.State = supervise.Closed
	case "all":
	default:
		d.Tab = "open"
		f.Open = true
	}
	if d.State != "" {
		f.State = supervise.State(d.State)
		f.Open = false
	}
	f.Light, f.Source, f.LeadUnit, f.Query = supervise.Color(d.Light), supervise.Source(d.Source), d.Unit, d.Query
	return f, d, nil
}

func (srv *Server) supList(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	f, d, err := srv.supFilterFrom(ctx, v, r.URL.Query())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	tallyF := f
	tallyF.State, tallyF.Light, tallyF.Open = "", "", false
	states, lights, err := srv.store.SupTally(ctx, tallyF)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d.States, d.Lights = map[string]int{}, map[string]int{}
	for k, c := range states {
		d.States[string(k)] = c
	}
	for k, c := range lights {
		d.Lights[string(k)] = c
	}
	// A page at a time, in the database's stable order (changed last first,
	// then by ID), one more than shown to know whether there is a next.
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(offset, 0)
	f.Limit, f.Offset = supPage+1, offset
	rows, err := srv.store.SupItems(ctx, f)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if len(rows) > supPage {
		rows, d.Next = rows[:supPage], supPageURL(r.URL.Query(), offset+supPage)
	}
	if offset > 0 {
		d.Prev = supPageURL(r.URL.Query(), max(offset-supPage, 0))
	}
	n, err := srv.supNamesOf(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for _, s := range rows {
		d.Rows = append(d.Rows, supListRow{SupSummary: s, LeadName: n.Short(s.LeadUnit)})
	}
	d.AllStates, d.AllSources = supervise.AllStates(), supervise.AllSources()
	for _, u := range n.units {
		if u.Kind != org.KindSection {
			d.Units = append(d.Units, u)
		}
	}
	slices.SortFunc(d.Units, func(a, b org.Unit) int { return a.Sort - b.Sort })
	d.CanCreate = supOffice(v) != ""
	for _, c := range d.States {
		d.Total += c
	}
	srv.render(w, r, http.StatusOK, "sup_list", pageData{Title: "督查督办", Nav: "supervise", Data: d})
}

func (srv *Server) apiSupList(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	f, _, err := srv.supFilterFrom(r.Context(), v, r.URL.Query())
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	f.Limit, _ = strconv.Atoi(r.URL.Query().Get("limit"))
	f.Offset, _ = strconv.Atoi(r.URL.Query().Get("offset"))
	rows, err := srv.store.SupItems(r.Context(), f)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": rows})
}

// supNewData fills the 立项 form.
type supNewData struct {
	Sources  []supervise.Source
	Units    []org.Unit
	FromDoc  *store.DocRecord
	Weekdays []string
	Leaders  []org.Person
	Existing []store.SupSummary // items already made from the document
	NoInstr  bool
	DocNote  string          // why nothing of the named document is shown
	Co       map[string]bool // co-units chosen
}

// refHidden answers a 立项 whose document does not exist or may not be
// opened by the 督查员, in the same words, so that it tells nothing of it.
const refHidden = "所引来文不存在或您无权查看"

func (srv *Server) supNew(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	office := supOffice(v)
	if office == "" {
		srv.refuse(w, r, string(access.CreateObject), "只有督查室人员可以立项")
		return
	}
	if !srv.authorize(w, r, access.CreateObject, access.Object{Kind: "supervision_item", UnitID: office}) {
		return
	}
	form := url.Values{"source": {string(supervise.FromLeader)}, "schedule": {"每周五"}, "workdays": {"10"}, "assign": {"1"}}
	d, err := srv.supNewData(r, r.URL.Query().Get("doc"), form)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "sup_new", pageData{Title: "督办立项", Nav: "supervise", Data: d, Form: form})
}

// supNewData loads the form's lists; with a document, it prefills the
// fields from the leader's 批办 (the instruction verbatim) — if the 督查员
// may open the document (a refusal is audited and shows nothing of it) and
// it is 非密 (an item is not made from a classified document).
func (srv *Server) supNewData(r *http.Request, docID string, form url.Values) (supNewData, error) {
	ctx := r.Context()
	d := supNewData{Sources: supervise.AllSources(), Co: map[string]bool{}}
	for _, u := range form["co_unit"] {
		d.Co[u] = true
	}
	us, err := srv.store.Units(ctx)
	if err != nil {
		return d, err
	}
	for _, u := range us {
		if u.Kind != org.KindSection {
			d.Units = append(d.Units, u)
		}
	}
	if docID == "" {
		docID = form.Get("ref")
	}
	if docID != "" && (form.Get("source") == "" || form.Get("source") == string(supervise.FromInstruction) || form.Get("title") == "") {
		rec, err := srv.store.Document(ctx, docID)
		if err == nil {
			var ok bool
			if ok, err = srv.mayReadDoc(ctx, r, rec, "supervise.new"); err == nil && !ok {
				err = store.ErrNotFound
			}
		}
		if errors.Is(err, store.ErrNotFound) {
			d.DocNote = refHidden
			return d, nil
		}
		if err != nil {
			return d, err
		}
		if err := supervise.SourceDocument(rec.Doc); err != nil {
			d.DocNote = err.Error()
			return d, nil
		}
		d.FromDoc = &rec
		if d.Existing, err = srv.store.SupItemsForDocument(ctx, docID); err != nil {
			return d, err
		}
		in, err := srv.store.Instance(ctx, docID)
		if err != nil {
			return d, err
		}
		ins, ok := document.InstructionOf(in)
		if !ok {
			d.NoInstr = true
		} else if form.Get("title") == "" {
			n := supervise.ItemFromInstruction("", "", rec.Doc, ins)
			form.Set("source", string(supervise.FromInstruction))
			form.Set("ref", docID)
			form.Set("title", n.Title)
			form.Set("instruction", n.Instruction)
			form.Set("instructor", n.Instructor)
			if p, err := srv.store.Person(ctx, n.Instructor); err == nil {
				form.Set("instructor_name", p.Name)
			}
		}
	}
	return d, nil
}

// headOf is a unit's default responsible person: its head, else anyone there.
func (srv *Server) headOf(ctx context.Context, unitID string) (string, error) {
	ps, err := srv.store.UnitPositions(ctx, unitID)
	if err != nil {
		return "", err
	}
	for _, p := range ps {
		if p.Head {
			return p.PersonID, nil
		}
	}
	if len(ps) > 0 {
		return ps[0].PersonID, nil
	}
	name := "所选单位"
	if u, err := srv.store.Unit(ctx, unitID); err == nil {
		name = u.Name
	}
	return "", fmt.Errorf("%s没有人员，无法指定责任人", name)
}

// parseDeadline reads 办理时限: working days or a date.
func parseDeadline(days, date string) (supervise.DeadlineSpec, error) {
	days, date = strings.TrimSpace(days), strings.TrimSpace(date)
	if date != "" {
		t, err := supervise.ParseListDate(date)
		if err != nil {
			return supervise.DeadlineSpec{}, errors.New("办理时限日期无法识别，请填写如 2026-06-30")
		}
		return supervise.DeadlineSpec{Date: t}, nil
	}
	if days == "" {
		return supervise.DeadlineSpec{}, nil
	}
	n, err := strconv.Atoi(days)
	if err != nil || n <= 0 || n > 3660 {
		return supervise.DeadlineSpec{}, errors.New("办理时限的工作日数应为 1–3660 的整数")
	}
	return supervise.DeadlineSpec{Workdays: n}, nil
}

// newItemFromForm builds the 立项 input.
func (srv *Server) newItemFromForm(ctx context.Context, f url.Values, office string) (supervise.NewItem, error) {
	n := supervise.NewItem{ID: uid.New(), Source: supervise.Source(f.Get("source")), Ref: strings.TrimSpace(f.Get("ref")),
		Title: strings.TrimSpace(f.Get("title")), Instruction: f.Get("instruction"), Instructor: f.Get("instructor"), Office: office}
	var err error
	if n.Deadline, err = parseDeadline(f.Get("workdays"), f.Get("date")); err != nil {
		return n, err
	}
	if s := strings.TrimSpace(f.Get("schedule")); s != "" {
		if n.Schedule, err = supervise.ParseSchedule(s); err != nil {
			return n, err
		}
	} else {
		n.Schedule = supervise.Schedule{Kind: supervise.Monthly, Day: 25}
	}
	lead := f.Get("lead_unit")
	if lead == "" {
		return n, errors.New("请选择牵头单位")
	}
	units := []string{lead}
	for _, u := range f["co_unit"] {
		if u != "" && !slices.Contains(units, u) {
			units = append(units, u)
		}
	}
	for i, u := range units {
		who := ""
		if i == 0 {
			who = strings.TrimSpace(f.Get("lead_person"))
		}
		if who == "" {
			if who, err = srv.headOf(ctx, u); err != nil {
				return n, err
			}
		}
		n.Units = append(n.Units, supervise.Unit{UnitID: u, Lead: i == 0, Responsible: who})
	}
	for i, title := range f["milestone_title"] {
		title = strings.TrimSpace(title)
		if title == "" {
			continue
		}
		var spec supervise.DeadlineSpec
		if i < len(f["milestone_date"]) {
			if spec, err = parseDeadline("", f["milestone_date"][i]); err != nil {
				return n, fmt.Errorf("节点“%s”：%w", title, err)
			}
		}
		n.Milestones = append(n.Milestones, supervise.Milestone{ID: fmt.Sprintf("m%d", i+1), Title: title, Spec: spec})
	}
	for i, title := range f["sub_title"] {
		title = strings.TrimSpace(title)
		if title == "" {
			continue
		}
		s := supervise.SubItem{ID: fmt.Sprintf("s%d", i+1), Title: title}
		if i < len(f["sub_unit"]) {
			s.UnitID = f["sub_unit"][i]
		}
		if i < len(f["sub_date"]) {
			if s.Spec, err = parseDeadline("", f["sub_date"][i]); err != nil {
				return n, fmt.Errorf("子事项“%s”：%w", title, err)
			}
		}
		n.SubItems = append(n.SubItems, s)
	}
	if n.Source.IsProposal() {
		n.Proposal = &supervise.ProposalInfo{Number: strings.TrimSpace(f.Get("proposal_number")), Proposer: strings.TrimSpace(f.Get("proposer"))}
	}
	return n, nil
}

// formOf reads a request's parameters: a form, or for the API a JSON object
// whose values are strings or lists of strings.
func formOf(r *http.Request) (url.Values, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var raw map[string]any
		if err := json.NewDecoder(io.LimitReader(r.Body, 4<<20)).Decode(&raw); err != nil {
			return nil, errors.New("请求格式无效")
		}
		f := url.Values{}
		for k, v := range raw {
			switch x := v.(type) {
			case string:
				f.Set(k, x)
			case bool:
				if x {
					f.Set(k, "1")
				}
			case float64:
				f.Set(k, strconv.FormatFloat(x, 'f', -1, 64))
			case []any:
				for _, e := range x {
					if s, ok := e.(string); ok {
						f.Add(k, s)
					}
				}
			}
		}
		return f, nil
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			return nil, errors.New("上传内容无效或过大")
		}
	} else if err := r.ParseForm(); err != nil {
		return nil, errors.New("表单无效")
	}
	return r.PostForm, nil
}

func (srv *Server) supCreate(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	ctx := r.Context()
	office := supOffice(v)
	if office == "" {
		srv.refuse(w, r, string(access.CreateObject), "只有督查室人员可以立项")
		return
	}
	if !srv.authorize(w, r, access.CreateObject, access.Object{Kind: "supervision_item", UnitID: office}) {
		return
	}
	f, err := formOf(r)
	if err == nil {
		err = srv.checkRef(r, f)
	}
	if err == nil {
		var n supervise.NewItem
		if n, err = srv.newItemFromForm(ctx, f, office); err == nil {
			var it supervise.Item
			if it, err = srv.store.CreateSupItem(ctx, v.Person, n, f.Get("assign") != ""); err == nil {
				if isAPI(r) {
					writeJSON(w, http.StatusCreated, it)
					return
				}
				http.Redirect(w, r, "/supervise/items/"+it.ID+"?notice=created", http.StatusSeeOther)
				return
			}
		}
	}
	if !userError(err) {
		srv.serverError(w, r, err)
		return
	}
	status := refusedStatus(err)
	if isAPI(r) {
		writeJSONError(w, status, err.Error())
		return
	}
	d, derr := srv.supNewData(r, f.Get("ref"), f)
	if derr != nil {
		srv.serverError(w, r, derr)
		return
	}
	srv.render(w, r, status, "sup_new", pageData{Title: "督办立项", Nav: "supervise", Data: d, Form: f, Error: err.Error()})
}

// checkRef decides the document a 领导批办 立项 names, as opening it would:
// a document the 督查员 may not open is answered like one that does not
// exist (refusal audited). The store then takes the instruction from its 批办.
func (srv *Server) checkRef(r *http.Request, f url.Values) error {
	ref := strings.TrimSpace(f.Get("ref"))
	if supervise.Source(f.Get("source")) != supervise.FromInstruction || ref == "" {
		return nil
	}
	rec, err := srv.store.Document(r.Context(), ref)
	if errors.Is(err, store.ErrNotFound) {
		return formError(refHidden)
	}
	if err != nil {
		return err
	}
	ok, err := srv.mayReadDoc(r.Context(), r, rec, "supervise.create")
	if err != nil {
		return err
	}
	if !ok {
		return formError(refHidden)
	}
	return nil
}

// userError reports whether err is for the user (a refusal or bad input)
// rather than a fault of the server.
func userError(err error) bool {
	if err == nil {
		return false
	}
	var ref *supervise.Refusal
	var rr *route.Refusal
	var ie supervise.ImportErrors
	if errors.As(err, &ref) || errors.As(err, &rr) || errors.As(err, &ie) || errors.Is(err, store.ErrConflict) {
		return true
	}
	var fe formError
	return errors.As(err, &fe) || !strings.ContainsAny(err.Error(), "abcdefghijklmnopqrstuvwxyz")
}

// refusedStatus is the status of a refusal for the user: 400 for a field
// over its limit (the request itself is wrong), 422 for a rule's refusal.
func refusedStatus(err error) int {
	if errors.Is(err, textlimit.ErrTooLong) {
		return http.StatusBadRequest
	}
	return http.StatusUnprocessableEntity
}

// formError is bad input, said in Chinese.
type formError string

func (e formError) Error() string { return string(e) }

// loadSupItem loads an item and checks the viewer may read it.
func (srv *Server) loadSupItem(w http.ResponseWriter, r *http.Request) (supervise.Item, bool) {
	it, err := srv.store.SupItem(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		if isAPI(r) {
			writeJSONError(w, http.StatusNotFound, "督办事项不存在")
		} else {
			srv.notFound(w, r)
		}
		return it, false
	}
	if err != nil {
		srv.serverError(w, r, err)
		return it, false
	}
	o, err := srv.supObjectFor(r.Context(), viewerFrom(r.Context()), &it)
	if err != nil {
		srv.serverError(w, r, err)
		return it, false
	}
	if !srv.authorizeObject(w, r, access.ReadObject, o, "supervise.item") {
		return it, false
	}
	return it, true
}

func (srv *Server) apiSupItem(w http.ResponseWriter, r *http.Request) {
	it, ok := srv.loadSupItem(w, r)
	if !ok {
		return
	}
	sw := srv.store.SupSweep(srv.store.Now())
	writeJSON(w, http.StatusOK, map[string]any{"item": it, "light": sw.LightAt(&it, srv.store.Now())})
}

// supOpFrom turns an operation's name and parameters into the pure call.
// files are the evidence uploaded with a report or an application to close
// (already in the file store) and the earlier files of the item it refers to.
func supOpFrom(op string, f url.Values, loc *time.Location, files []supervise.Attachment) (store.SupOp, error) {
	text := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	atoi := func(k string) int { n, _ := strconv.Atoi(text(k)); return n }
	date := func(k, what string) (time.Time, error) {
		s := text(k)
		if s == "" {
			return time.Time{}, formError("请填写" + what)
		}
		t, err := supervise.ParseListDate(s)
		if err != nil {
			return time.Time{}, formError(what + "无法识别，请填写如 2026-06-30")
		}
		// The close of office that day (17:30 Beijing time).
		return time.Date(t.Year(), t.Month(), t.Day(), 17, 30, 0, 0, loc), nil
	}
	attachments := func() []supervise.Attachment { return files }
	switch op {
	case "assign":
		return func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			return r.Assign(it, a, now)
		}, nil
	case "sign_for":
		unit := text("unit")
		return func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			return r.SignFor(it, a, unit, now)
		}, nil
	case "report":
		in := supervise.ReportInput{UnitID: text("unit"), Text: f.Get("text"), Attachments: attachments(), Reached: f["reached"]}
		return func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			return r.Report(it, a, in, now)
		}, nil
	case "request_close":
		ev := supervise.Evidence{Text: f.Get("text"), Attachments: attachments()}
		return func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			return r.RequestClose(it, a, ev, now)
		}, nil
	case "review":
		approve, reason := f.Get("decision") == "close", text("reason")
		if f.Get("decision") != "close" && f.Get("decision") != "return" {
			return nil, formError("请选择办结或退回")
		}
		return func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			return r.Review(it, a, approve, reason, now)
		}, nil
	case "request_extension":
		asked, err := date("asked", "申请延期至的日期")
		if err != nil {
			return nil, err
		}
		in := supervise.ExtensionInput{UnitID: text("unit"), Target: text("target"), Asked: asked, Reason: text("reason")}
		return func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			return r.RequestExtension(it, a, in, now)
		}, nil
	case "decide_extension":
		seq, grant, note := atoi("seq"), f.Get("decision") == "grant", text("note")
		var due time.Time
		if grant && text("due") != "" {
			var err error
			if due, err = date("due", "批准的期限"); err != nil {
				return nil, err
			}
		}
		return func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			return r.DecideExtension(it, a, seq, grant, due, note, now)
		}, nil
	case "urge":
		unit, txt := text("unit"), text("text")
		return func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			return r.Urge(it, a, unit, txt, now)
		}, nil
	case "sign_urging":
		seq := atoi("seq")
		return func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			return r.SignForUrging(it, a, seq, now)
		}, nil
	case "contact":
		at, err := date("at", "沟通日期")
		if err != nil {
			return nil, err
		}
		c := supervise.Contact{At: time.Date(at.Year(), at.Month(), at.Day(), 9, 0, 0, 0, loc), Way: text("way"), Note: text("note")}
		return func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			if c.At.After(now) {
				c.At = now
			}
			return r.RecordContact(it, a, c, now)
		}, nil
	case "satisfaction":
		s, note := supervise.Satisfaction(text("satisfaction")), text("note")
		return func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			return r.RecordSatisfaction(it, a, s, note, now)
		}, nil
	}
	return nil, formError("未知的操作")
}

func (srv *Server) supAction(w http.ResponseWriter, r *http.Request) {
	it, ok := srv.loadSupItem(w, r)
	if !ok {
		return
	}
	v := viewerFrom(r.Context())
	f, err := formOf(r)
	var next supervise.Item
	op := r.PathValue("op")
	if err == nil {
		var fn store.SupOp
		var files []supervise.Attachment
		var keep func() error
		if op == "report" || op == "request_close" {
			files, keep, err = srv.supFiles(r, &it, f)
		}
		if err == nil {
			fn, err = supOpFrom(op, f, srv.store.Calendar().Location(), files)
		}
		if err == nil && keep != nil {
			// The operation is decided before any uploaded file is kept, so
			// a refused report leaves no file behind (issue 11).
			if err = srv.store.SupCheck(r.Context(), v.Person, it.ID, fn); err == nil {
				err = keep()
			}
		}
		if err == nil {
			detail := map[string]any{}
			for k := range f {
				if k != "csrf" {
					detail[k] = truncate(f.Get(k), 200)
				}
			}
			if len(files) > 0 {
				detail["files"] = files
			}
			next, err = srv.store.SupAct(r.Context(), v.Person, it.ID, op, detail, fn)
		}
	}
	if err != nil {
		if !userError(err) {
			srv.serverError(w, r, err)
			return
		}
		status := refusedStatus(err)
		if isAPI(r) {
			writeJSONError(w, status, err.Error())
			return
		}
		srv.renderSupItem(w, r, it, status, err.Error(), op, f)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, next)
		return
	}
	http.Redirect(w, r, "/supervise/items/"+it.ID+"?notice=saved", http.StatusSeeOther)
}

// supFiles reads the evidence of a report or an application to close: the
// files uploaded in the form's "files" field, checked against the attachment
// policy (size, type allow-list, content sniffed) and kept in the
// content-addressed file store; and, by reference (attachment_name and
// attachment_sha256, as the API may send them), files already attached to
// this item — never any other stored file, which a reference could
// otherwise make downloadable through the item. Uploads are inspected
// (hashed, sniffed, checked) but not stored: keep stores them, once the
// operation has been decided.
func (srv *Server) supFiles(r *http.Request, it *supervise.Item, f url.Values) (files []supervise.Attachment, keep func() error, err error) {
	var out []supervise.Attachment
	for i, n := range f["attachment_name"] {
		if i >= len(f["attachment_sha256"]) || strings.TrimSpace(n) == "" {
			continue
		}
		a, ok := it.Attachment(f["attachment_sha256"][i])
		if !ok {
			return nil, nil, formError("附件引用无效：只能引用本事项已有的附件，新文件请上传")
		}
		a.Name = strings.TrimSpace(n)
		out = append(out, a)
	}
	// The policy's refusals are for the user; the file store's faults
	// (disk, no data directory) are the server's.
	userErr := func(err error) error {
		if msg := err.Error(); strings.HasPrefix(msg, "file store") || strings.Contains(msg, "数据目录") {
			return err
		}
		return formError(err.Error())
	}
	var fhs []*multipart.FileHeader
	if r.MultipartForm != nil {
		fhs = r.MultipartForm.File["files"]
	}
	if len(fhs) == 0 {
		return out, nil, nil
	}
	bs, err := srv.blobs()
	if err != nil {
		return nil, nil, userErr(err)
	}
	sums := make([]string, len(fhs))
	for i, fh := range fhs {
		obj, err := inspectUpload(bs, fh)
		if err != nil {
			return nil, nil, userErr(err)
		}
		sums[i] = obj.SHA256
		out = append(out, supervise.Attachment{Name: uploadName(fh), SHA256: obj.SHA256, Size: obj.Size, MediaType: obj.MediaType})
	}
	keep = func() error {
		for i, fh := range fhs {
			obj, err := putUpload(bs, fh)
			if err != nil {
				return userErr(err)
			}
			if obj.SHA256 != sums[i] {
				return fmt.Errorf("upload %s changed while it was read", fh.Filename)
			}
			srv.keepUploadText(r.Context(), fh, obj.SHA256) // for search: the item's entry reads it when saved
		}
		return nil
	}
	return out, keep, nil
}

// supFile downloads a file attached to the item, for those who may read the
// item; only PDF and images are shown inline, nothing as a page (blob.Serve).
func (srv *Server) supFile(w http.ResponseWriter, r *http.Request) {
	it, ok := srv.loadSupItem(w, r)
	if !ok {
		return
	}
	a, found := it.Attachment(r.PathValue("sha"))
	if !found {
		srv.notFound(w, r)
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
