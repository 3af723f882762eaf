package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	opsig "github.com/shuniu-oa/shuniu/internal/opinion"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// docPageData is everything the document page shows.
type docPageData struct {
	Rec          store.DocRecord
	Kind         string
	TypeName     string
	Unit         string
	Organ        string
	Level        string
	Urgency      string
	Findings     []document.Finding
	Files        []store.DocFile
	Checks       map[string]string // the 校验 of each file by SHA-256, when asked (?verify=1)
	Track        []trackRow
	Flags        []flagRow
	Copies       []copyRow // outgoing: each receiving unit's copy and whether it was signed for in time
	Circulating  bool
	Read, Unread []string
	Mine         []myTask
	Withdraw     []taskRef
	Urge         []taskRef
	Pick         []pickOption
	CanEdit      bool
	CanAddFile   bool
	Watermark    string
	Annotations  int
	Countersigns []opinion // shown to the signing leader
	Proposal     *opinion  // 拟办意见, shown to the instructing leader
	Today        string    // default 印发日期
	Year         int       // this year in Beijing, as a number taken now would carry it
	HasSide      bool
	Route        string // the template's name
	Done         bool
	Proofread    template.HTML     // the proofreading panel, at a review or the sign-off
	Classify     *classifyForm     // the 变更密级 form, for the organ's 定密责任人
	Series       []document.Series // at 编号: the series the document may be numbered in, the usual first
	Issuer       string            // the organ in whose name it goes, when not the drafting organ
	Joint        []string          // 联合发文: the co-issuing organs, by name, each owing its 会签
	JointNext    []string          // at 核稿: the picker values of the co-issuers' offices, ticked for the 会签
	Archive      *archivePanel     // at 归档: the 档号 each 保管期限 gives; once archived, its 档号
	OTP          bool              // the viewer signs with a 动态口令 (enrolled, on a server that signs)
	SealChoice   *docSealPanel     // outgoing: 加盖印章, chosen by whoever holds it before 印发
}

type trackRow struct {
	Step    string
	Who     string
	Acted   string // who actually acted, with 代 X when under delegation
	Handed  time.Time
	ActedAt time.Time
	Outcome string
	Comment string
	Took    string
	Open    bool
	Urges   int
	// Signed is the 验签 of a signed opinion (已验签 / 验签失败), SignedWhy
	// the reason it failed; "" when the opinion is not signed.
	Signed, SignedWhy string
}

type flagRow struct{ Label, Step, Who, Since string }

// copyRow is one receiving unit's incoming copy of a distributed document, as
// the sender and its office see it: signed for, waiting, or late.
type copyRow struct {
	Unit, Step, State, Due, Signed string
	Late                           bool
}

type taskRef struct {
	ID   int
	Step string
	Who  string
}

// myTask is an open task the viewer may act on, with what the step allows.
type myTask struct {
	ID             int
	Step           route.Step
	Acked          bool
	Urges          int
	LastUrged      time.Time
	ForID, ForName string // acting for a leader who delegated
	Due            time.Time
	State          string
	ApproveLabel   string
	Next           *route.Step // the next step, when its assignees are chosen now
	ReturnTo       []route.Step
	CanDisagree    bool
	CanReturn      bool
	CanForward     bool
	CanAddReviewer bool
}

// pickOption is an assignee that can be chosen: "leader:<unit>" or "person:<id>".
type pickOption struct {
	Value, Label, Group string // Group: the unit, by name
	Kind                string // person, leader or office
	Next, Lead, Add     bool   // given back after a failed action
}

var outcomeLabels = map[route.Outcome]string{route.Agreed: "同意", route.Disagreed: "不同意", route.Read: "已阅"}

var taskStatusLabels = map[route.TaskStatus]string{
	route.Open: "办理中", route.Forwarded: "已转办", route.Returned: "退回",
	route.Cancelled: "已取消", route.Withdrawn: "已撤回",
}

// approveLabel is the button that finishes a step: the step's own verb.
func approveLabel(st route.Step) string {
	switch {
	case st.Circulate:
		return "已阅"
	case st.Key == "sign_for":
		return "签收"
	case st.Key == "sign_off":
		return "签发"
	case st.Key == "instruct":
		return "批示"
	case st.Key == "handle":
		return "办理完毕"
	case st.Key == "archive":
		return "归档"
	case st.Key == "distribute":
		return "分发"
	case st.Key == "number":
		return "编号"
	case st.Key == "draft":
		return "送审"
	case st.Key == "register":
		return "登记"
	case st.Key == "propose":
		return "拟办"
	case st.Key == "recheck":
		return "复核"
	case st.Key == "print_issue":
		return "印发"
	case st.Key == "close":
		return "办结"
	}
	// Review and countersign steps give an opinion: 同意 (beside 不同意).
	return "同意"
}

func (srv *Server) docPage(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "page")
	if !ok {
		return
	}
	notice := ""
	switch op := r.URL.Query().Get("done"); op {
	case "":
	case "created":
		notice = "文稿已创建，已进入发文流程。"
	case "registered":
		notice = "收文已登记，已进入收文流程。"
	case "file":
		notice = "附件已添加。"
	case "classify":
		notice = "密级已变更，已记入新版本和审计日志。"
	case "seals":
		notice = "加盖印章已选定，印发时按此加盖。"
	case string(route.Approve):
		notice = "已办理。"
	default:
		notice = "已" + route.Op(op).Label() + "。"
	}
	srv.renderDocPage(w, r, http.StatusOK, od, "", notice, nil)
}

func (srv *Server) renderDocPage(w http.ResponseWriter, r *http.Request, status int, od openedDoc, errMsg, notice string, form url.Values) {
	d, err := srv.docPageData(r.Context(), od)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	for i, o := range d.Pick {
		d.Pick[i].Next, d.Pick[i].Lead, d.Pick[i].Add = slices.Contains(form["next"], o.Value), form.Get("lead") == o.Value, slices.Contains(form["add"], o.Value)
		if form == nil && slices.Contains(d.JointNext, o.Value) {
			d.Pick[i].Next = true // a joint issue's 会签 owed by each co-issuer, offered ticked
		}
	}
	if r.URL.Query().Get("verify") == "1" {
		checks, err := srv.checkFiles(d.Files)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		d.Checks = map[string]string{}
		for _, c := range checks {
			d.Checks[c.SHA256] = c.Result
		}
	}
	if d.SealChoice, err = srv.docSealPanelFor(r.Context(), od, len(d.Mine) > 0); err != nil {
		srv.serverError(w, r, err)
		return
	}
	if d.Proofread, err = srv.docPageProofread(r, od, d.Mine); err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.render(w, r, status, "doc_page", pageData{Title: od.rec.Doc.Title, Nav: "docs", Data: d, Error: errMsg, Notice: notice, Form: form})
}

func (srv *Server) watermark(v *Viewer, rec store.DocRecord) string {
	if rec.Level() == org.Unclassified {
		return ""
	}
	return v.Person.Name + " " + srv.store.Now().In(chinaTime).Format("2006-01-02 15:04")
}

func (srv *Server) docPageData(ctx context.Context, od openedDoc) (docPageData, error) {
	v := viewerFrom(ctx)
	rec, in := od.rec, od.in
	n, err := srv.names(ctx)
	if err != nil {
		return docPageData{}, err
	}
	now := srv.store.Now()
	d := docPageData{Rec: rec, Kind: kindLabel(rec.Direction), Unit: n.units[rec.UnitID].Name, Organ: n.units[rec.OrganID].Name,
		Urgency: rec.Doc.Urgency.Label(), Watermark: srv.watermark(v, rec), Today: now.In(chinaTime).Format("2006-01-02"), Year: now.In(chinaTime).Year(), Route: in.Template.Name, Done: in.Status != route.Active}
	if rec.Level() > org.Unclassified {
		d.Level = rec.Doc.Classification.String()
	}
	if srv.opt.MasterKey != nil {
		st, err := srv.store.OTPStatusOf(ctx, v.Person.ID)
		if err != nil {
			return d, err
		}
		d.OTP = st.Active
	}
	d.TypeName = typeName(rec.Doc.Type)
	if id := store.IssuerOf(rec, in); id != rec.OrganID {
		d.Issuer = n.units[id].Name
	}
	if j := in.Scope[document.JointScope]; j != "" && rec.Direction == store.Outgoing {
		for _, id := range strings.Split(j, ",") {
			d.Joint = append(d.Joint, n.units[id].Name)
			if a, ok := document.UnitTask(n.units, id); ok {
				d.JointNext = append(d.JointNext, "office:"+a.Unit)
			}
		}
	}
	d.Classify = classifyFormFor(v, rec)
	if rec.Direction == store.Outgoing {
		stage := document.Drafting
		if rec.Doc.Number != nil {
			stage = document.Issuing
		}
		for _, f := range document.Validate(rec.Doc, stage) {
			// 印发 sets these itself; before then they are not missing.
			if rec.Doc.PrintDate.IsZero() && f.Rule == "F20" && (f.Field == "printed_by" || f.Field == "print_date") {
				continue
			}
			d.Findings = append(d.Findings, f)
		}
	}
	if d.Files, err = srv.store.Files(ctx, rec.ID); err != nil {
		return d, err
	}
	anns, err := srv.store.Annotations(ctx, rec.ID)
	if err != nil {
		return d, err
	}
	for _, a := range anns {
		if !a.Resolved {
			d.Annotations++
		}
	}
	sigs, sigKeys, err := srv.store.OpinionSignatures(ctx, rec.ID)
	if err != nil {
		return d, err
	}
	eng := route.Engine{Calendar: srv.store.Calendar()}
	for _, tr := range eng.Track(in, now) {
		t := tr.Task
		row := trackRow{Step: tr.StepName, Who: n.assignee(t.Assignee), Handed: t.HandedAt, ActedAt: t.ActedAt,
			Comment: t.Comment, Took: fmtDuration(tr.Took), Open: t.Status == route.Open, Urges: t.Urges}
		if sig, ok := sigs[t.ID]; ok {
			st, why := opsig.Verify(store.OpinionOf(rec.ID, rec.Version, in, t), sig, sigKeys[sig.PersonID])
			row.Signed, row.SignedWhy = string(st), why
		}
		if t.ActedBy != "" {
			row.Acted = n.person(t.ActedBy)
			if t.OnBehalfOf != "" {
				row.Acted += "（代 " + n.person(t.OnBehalfOf) + "）"
			}
		}
		row.Outcome = outcomeLabels[t.Outcome]
		if t.Status != route.Finished {
			row.Outcome = taskStatusLabels[t.Status]
		}
		if t.Lead {
			row.Step += "（主办）"
		}
		d.Track = append(d.Track, row)
	}
	for _, f := range eng.Flags(in, now) {
		t, _ := in.Task(f.Task)
		d.Flags = append(d.Flags, flagRow{Label: f.Kind.Label(), Step: in.Template.Steps[t.Step].Name, Who: n.assignee(f.Assignee), Since: f.Since.In(chinaTime).Format("01-02 15:04")})
	}
	if rec.Direction == store.Outgoing {
		if d.Copies, err = srv.copies(ctx, rec.ID, n, now); err != nil {
			return d, err
		}
		for _, c := range d.Copies {
			if c.Late {
				d.Flags = append(d.Flags, flagRow{Label: "逾期未签收", Step: "签收", Who: c.Unit, Since: c.Due})
			}
		}
	}
	for _, st := range in.Template.Steps {
		if !st.Circulate {
			continue
		}
		read, unread := in.Circulation(st.Key)
		for _, t := range read {
			d.Read = append(d.Read, n.assignee(t.Assignee))
		}
		for _, t := range unread {
			d.Unread = append(d.Unread, n.assignee(t.Assignee))
		}
		d.Circulating = len(read)+len(unread) > 0
	}
	for _, c := range document.CountersignsOf(in) {
		d.Countersigns = append(d.Countersigns, n.countersign(c))
	}
	if ps := in.Finished("propose"); len(ps) > 0 {
		t := ps[len(ps)-1]
		d.Proposal = &opinion{Who: n.person(t.ActedBy), Text: t.Comment, At: t.ActedAt}
	}
	if in.Status == route.Active {
		srv.fillActions(&d, in, od.actor, n, now)
		if len(d.Mine) > 0 {
			d.CanAddFile = true
			d.CanEdit = rec.Direction == store.Outgoing && rec.Doc.Number == nil
			if d.Pick, err = srv.pickOptions(ctx, rec, n, od.actor); err != nil {
				return d, err
			}
			for _, t := range d.Mine {
				if t.Step.Key == document.StepNumber && rec.Direction == store.Outgoing {
					if d.Series, err = srv.store.SeriesFor(ctx, store.IssuerOf(rec, in), rec.Doc.Type); err != nil {
						return d, err
					}
				}
			}
		}
	}
	atArchive := slices.ContainsFunc(d.Mine, func(t myTask) bool { return t.Step.Key == "archive" })
	if d.Archive, err = srv.archivePanel(ctx, rec, d.Files, atArchive); err != nil {
		return d, err
	}
	if d.Archive != nil && d.Archive.Record != nil {
		d.Classify = nil // filed as it stands: the store refuses a change
	}
	d.HasSide = len(d.Flags) > 0 || d.Circulating || len(d.Withdraw) > 0 || len(d.Urge) > 0
	return d, nil
}

// fillActions lists the viewer's open tasks and what they may do with them,
// the tasks they may withdraw, and the open tasks they may urge. The engine
// has the last word on each; the page only offers what is plausible.
func (srv *Server) fillActions(d *docPageData, in route.Instance, a route.Actor, n *names, now time.Time) {
	eng := route.Engine{Calendar: srv.store.Calendar()}
	mayUrge := in.Starter == a.ID
	for _, t := range in.Tasks {
		if t.ActedBy == a.ID {
			mayUrge = true
		}
	}
	for _, g := range a.Roles {
		if slices.Contains(in.Template.UrgeRoles, g.Role) {
			mayUrge = true
		}
	}
	for _, t := range in.Tasks {
		st := in.Template.Steps[t.Step]
		switch {
		case t.Status == route.Open:
			forID, mine := "", a.Matches(t.Assignee) || (t.Assignee.Kind == route.Starter && in.Starter == a.ID)
			if !mine && st.Allows(route.Delegate) {
				for _, dp := range a.Delegations {
					if dp.Matches(t.Assignee) {
						forID, mine = dp.ID, true
						break
					}
				}
			}
			if !mine {
				if mayUrge && st.Allows(route.Urge) {
					d.Urge = append(d.Urge, taskRef{ID: t.ID, Step: st.Name, Who: n.assignee(t.Assignee)})
				}
				continue
			}
			mt := myTask{ID: t.ID, Step: st, Acked: t.Acknowledged(), Urges: t.Urges, LastUrged: t.LastUrgedAt, ForID: forID, ForName: n.person(forID), Due: t.Due,
				State: eng.TaskState(t, now, calendar.DefaultSoon()).Label(), ApproveLabel: approveLabel(st),
				CanDisagree: st.Allows(route.Disagree), CanReturn: st.Allows(route.Return) && t.Step > 0,
				CanForward: st.Allows(route.Forward), CanAddReviewer: st.Allows(route.AddReviewer)}
			if t.Step+1 < len(in.Template.Steps) && in.Template.Steps[t.Step+1].Chosen {
				next := in.Template.Steps[t.Step+1]
				mt.Next = &next
			}
			if mt.CanReturn {
				for i := 0; i < t.Step; i++ {
					mt.ReturnTo = append(mt.ReturnTo, in.Template.Steps[i])
				}
			}
			d.Mine = append(d.Mine, mt)
		case (t.Status == route.Finished || t.Status == route.Forwarded) && t.ActedBy == a.ID && st.Allows(route.Withdraw) && untouchedSince(in, t):
			d.Withdraw = append(d.Withdraw, taskRef{ID: t.ID, Step: st.Name, Who: n.assignee(t.Assignee)})
		}
	}
}

// untouchedSince mirrors the engine's rule for 撤回: nothing on the route
// opened or closed after the action. The engine still decides.
func untouchedSince(in route.Instance, t route.Task) bool {
	for _, o := range in.Tasks {
		if o.OpenTxn > t.CloseTxn || o.CloseTxn > t.CloseTxn {
			return false
		}
	}
	return true
}

// pickOptions are the assignees the viewer may choose for the next step,
// for 转办 or for 加签, grouped by unit and named by name: the leaders and the
// people of the document's own organ (with the leading body or town above
// it) and of the viewer's own organs — so an office handed work from outside
// can assign it inside —, then every other organ: its leader (会签 by
// another organ's 局长), or its office (document.UnitTask: the office head
// receives and assigns it inside: 承办 by another unit).
func (srv *Server) pickOptions(ctx context.Context, rec store.DocRecord, n *names, viewer route.Actor) ([]pickOption, error) {
	us, err := srv.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	var scope []org.Unit
	inScope := map[string]bool{}
	add := func(tree []org.Unit) {
		for _, u := range tree {
			if !inScope[u.ID] {
				inScope[u.ID] = true
				scope = append(scope, u)
			}
		}
	}
	if organ, ok := n.units[rec.OrganID]; ok {
		if parent, ok := n.units[organ.ParentID]; ok && parent.Kind == org.KindTown {
			add(unitsUnder(us, parent.ID))
		} else {
			if ok {
				add([]org.Unit{parent})
			}
			add(unitsUnder(us, organ.ID))
		}
	}
	// The viewer's own organs, each with its sections only (a 副区长's
	// 区政府 brings its leaders, not every bureau under it).
	for _, vu := range viewer.Units {
		organ := organOf(n.units, vu)
		for _, u := range us {
			if organOf(n.units, u.ID) == organ {
				add([]org.Unit{u})
			}
		}
	}
	var opts []pickOption
	for _, u := range scope {
		opts = append(opts, pickOption{Value: "leader:" + u.ID, Label: u.ShortName + "负责人", Group: u.Name, Kind: "leader"})
		ps, err := srv.store.People(ctx, store.PeopleFilter{UnitID: u.ID, Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			opts = append(opts, pickOption{Value: "person:" + p.ID, Label: p.Name + "（" + u.ShortName + "）", Group: u.Name, Kind: "person"})
		}
	}
	offices := map[string]bool{} // a body and its office share one office: offered once
	for _, u := range us {
		if inScope[u.ID] || u.Kind == org.KindSection {
			continue
		}
		opts = append(opts, pickOption{Value: "leader:" + u.ID, Label: u.Name + "负责人", Group: "其他机关和单位", Kind: "leader"})
		if a, ok := document.UnitTask(n.units, u.ID); ok && !offices[a.Unit] {
			offices[a.Unit] = true
			opts = append(opts, pickOption{Value: "office:" + a.Unit, Label: u.Name + "（交其办公室分办）", Group: "其他机关和单位", Kind: "office"})
		}
	}
	return opts, nil
}

// parseAssignee reads "leader:<unit>", "person:<id>", "unit:<unit>" or
// "office:<office>" (the office head of another unit, document.UnitTask).
func parseAssignee(s string) (route.Assignee, bool) {
	kind, id, ok := strings.Cut(s, ":")
	if !ok || id == "" {
		return route.Assignee{}, false
	}
	switch kind {
	case "leader":
		return route.Assignee{Kind: route.Leader, Unit: id}, true
	case "person":
		return route.Assignee{Kind: route.Person, Person: id}, true
	case "unit":
		return route.Assignee{Kind: route.Unit, Unit: id}, true
	case "office":
		return route.Assignee{Kind: route.Role, Role: route.RoleOfficeHead, Unit: id}, true
	}
	return route.Assignee{}, false
}

// typeName is a doc type's Chinese name.
func typeName(t document.DocType) string {
	if r, ok := document.RuleFor(t); ok {
		if t == document.Order {
			return "命令（令）"
		}
		return r.Name
	}
	return string(t)
}

// copies reports, for a distributed document, each receiving unit's copy:
// when its first step (签收) was done, or its due time and whether that has
// passed — so that the sender and its office see who has not signed for it.
func (srv *Server) copies(ctx context.Context, docID string, n *names, now time.Time) ([]copyRow, error) {
	recs, err := srv.store.IncomingFrom(ctx, docID)
	if err != nil {
		return nil, err
	}
	var out []copyRow
	for _, c := range recs {
		in, err := srv.store.Instance(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		row := copyRow{Unit: n.units[c.UnitID].Name, Step: c.Step}
		for _, t := range in.Tasks {
			if t.Step != 0 {
				continue
			}
			if t.Due.IsZero() {
				row.Due = ""
			} else {
				row.Due = t.Due.In(chinaTime).Format("01-02 15:04")
			}
			switch {
			case t.Status == route.Finished:
				row.State, row.Signed = "已签收", t.ActedAt.In(chinaTime).Format("01-02 15:04")
			case t.Status == route.Open && !t.Due.IsZero() && now.After(t.Due):
				row.State, row.Late = "逾期未签收", true
			case t.Status == route.Open:
				row.State = "待签收"
			}
		}
		out = append(out, row)
	}
	return out, nil
}
