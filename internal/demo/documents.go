package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// The demo's year of documents: 发文 drafted across the district over the
// past year and driven, through the real route engine and store, to every
// state — drafts, in 会签, waiting for 签发, issued, archived — and the 收文 that
// issuing created in the receiving units, some closed, some in handling, some
// never signed for and now overdue. Everything is deterministic but the dates,
// which count back from the first start.

// docPlan is one outgoing document to create.
type docPlan struct {
	drafter  string // person ID
	unit     string // drafting unit
	docType  document.DocType
	title    string
	body     string
	to       []string // unit IDs
	level    document.Level
	urgency  document.Urgency
	start    time.Time
	outSteps int // how many steps to take on the outgoing route (10 = archived)
	inSteps  int // how many steps each receiving unit takes (8 = archived)
}

// people indexes the district for the autopilot.
type people struct {
	d        District
	byID     map[string]org.Person
	units    map[string]org.Unit
	heads    map[string][]string // unit → head person IDs
	members  map[string][]string // unit → person IDs with a position there
	roles    map[org.Role]map[string][]string
	overseer map[string][]string // unit → leaders overseeing it
}

func index(d District) *people {
	p := &people{d: d, byID: map[string]org.Person{}, units: map[string]org.Unit{}, heads: map[string][]string{},
		members: map[string][]string{}, roles: map[org.Role]map[string][]string{}, overseer: map[string][]string{}}
	for _, x := range d.People {
		p.byID[x.ID] = x
	}
	for _, u := range d.Units {
		p.units[u.ID] = u
	}
	for _, ps := range d.Positions {
		p.members[ps.UnitID] = append(p.members[ps.UnitID], ps.PersonID)
		if org.HeadTitle(ps.Title) {
			p.heads[ps.UnitID] = append(p.heads[ps.UnitID], ps.PersonID)
		}
	}
	for _, r := range d.Roles {
		if p.roles[r.Role] == nil {
			p.roles[r.Role] = map[string][]string{}
		}
		p.roles[r.Role][r.UnitID] = append(p.roles[r.Role][r.UnitID], r.PersonID)
	}
	for _, o := range d.Oversight {
		p.overseer[o.UnitID] = append(p.overseer[o.UnitID], o.LeaderID)
	}
	return p
}

func (p *people) child(parent, name string) string {
	for _, u := range p.d.Units {
		if u.ParentID == parent && strings.Contains(u.Name, name) {
			return u.ID
		}
	}
	return ""
}

func (p *people) byShort(short string) string {
	for _, u := range p.d.Units {
		if u.ShortName == short && u.Kind != org.KindSection {
			return u.ID
		}
	}
	return ""
}

// candidates lists who may act on an assignee, most natural first.
func (p *people) candidates(a route.Assignee, starter string) []string {
	switch a.Kind {
	case route.Person:
		return []string{a.Person}
	case route.Starter:
		return []string{starter}
	case route.Leader:
		return append(append(slices.Clone(p.heads[a.Unit]), p.roles[org.RoleLeader][a.Unit]...), p.overseer[a.Unit]...)
	case route.Unit:
		return p.members[a.Unit]
	case route.Role:
		var out []string
		for _, r := range map[string][]org.Role{
			route.RoleOfficeClerk:    {org.RoleClerk, org.RoleConfidentialClerk},
			route.RoleOfficeReviewer: {org.RoleClerk, org.RoleOfficeDirector},
			route.RoleOfficeHead:     {org.RoleOfficeDirector},
			route.RoleArchivist:      {org.RoleClerk, org.RoleConfidentialClerk},
			route.RoleSupervisor:     {org.RoleSupervisor},
		}[a.Role] {
			out = append(out, p.roles[r][a.Unit]...)
		}
		return out
	}
	return nil
}

// SeedDocuments writes the demo's year of documents. It is deterministic for a
// given now; it takes a few seconds on first start.
func SeedDocuments(ctx context.Context, s *store.Store, d District, now time.Time) error {
	var v string
	if done, err := s.Setting(ctx, documentsSeededKey, &v); err != nil || done {
		return err
	}
	if n, err := s.CountDocuments(ctx); err != nil {
		return err
	} else if n > 0 {
		return errors.New("演示公文只生成了一部分（上次启动被中断），请删除演示数据目录后重新启动")
	}
	p := index(d)
	rng := rand.New(rand.NewPCG(2026, 11))
	plans := p.plans(rng, now)
	for i, pl := range plans {
		if err := p.run(ctx, s, rng, pl, now); err != nil {
			return fmt.Errorf("演示公文 %d《%s》: %w", i+1, pl.title, err)
		}
	}
	if err := p.externalIncoming(ctx, s, rng, now); err != nil {
		return err
	}
	return s.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, documentsSeededKey, "done") })
}

const documentsSeededKey = "demo_documents_seeded"

// sealsOf is the 印章 of a planned document: the issuing organ's seal, as
// 《党政机关公文处理工作条例》 asks of every document with a 署名, where the
// doc type carries one (纪要 does not).
func (p *people) sealsOf(pl docPlan) []string {
	if r, ok := document.RuleFor(pl.docType); !ok || !r.Signature || r.Seal == document.SealForbidden {
		return nil
	}
	return []string{p.units[org.OrganOf(p.units, pl.unit)].Name}
}

// run creates one document and walks it and its incoming copies, all in one
// transaction (with the clock moved step by step), so that seeding a year
// costs one commit per document rather than one per step.
func (p *people) run(ctx context.Context, s *store.Store, rng *rand.Rand, pl docPlan, now time.Time) error {
	cal := s.Calendar()
	return s.Write(ctx, func(tx *store.Tx) error {
		clock := inOffice(cal, pl.start)
		if !clock.Before(now) {
			clock = lastInOffice(cal, pl.start)
		}
		tx.SetNow(clock)
		drafter := p.byID[pl.drafter]
		rec, err := tx.CreateOutgoing(ctx, drafter, store.NewOutgoing{UnitID: pl.unit, To: pl.to, Doc: document.Document{
			Type: pl.docType, Title: pl.title, Body: document.ParseBody(pl.body), Urgency: pl.urgency,
			Classification: document.Classification{Level: pl.level}, Seals: p.sealsOf(pl),
		}})
		if err != nil {
			return err
		}
		advance := func() bool {
			clock = afterWorking(cal, clock, time.Duration(1+rng.IntN(20))*20*time.Minute)
			tx.SetNow(clock)
			return clock.Before(now.Add(-30 * time.Minute))
		}
		for step := 0; step < pl.outSteps; step++ {
			if !advance() {
				break
			}
			done, err := p.step(ctx, tx, rng, rec.ID, rec.OrganID)
			if err != nil {
				return err
			}
			if done {
				break
			}
		}
		if err := p.acknowledge(ctx, tx, rng, rec.ID); err != nil {
			return err
		}
		// The incoming copies the distribution created, each walked on its own.
		incoming, err := tx.IncomingFrom(ctx, rec.ID)
		if err != nil {
			return err
		}
		issued := clock
		for _, in := range incoming {
			clock = issued
			steps := pl.inSteps
			if recent := now.Sub(issued) < 60*24*time.Hour; recent && rng.IntN(4) == 0 {
				steps = 0 // never signed for: on the sender's 办文预警
			} else if recent && rng.IntN(2) == 0 {
				steps = rng.IntN(10)
			}
			for step := 0; step < steps; step++ {
				if !advance() {
					break
				}
				done, err := p.step(ctx, tx, rng, in.ID, in.OrganID)
				if err != nil {
					return err
				}
				if done {
					break
				}
			}
			if steps > 0 { // a copy never signed for has no handover to confirm
				if err := p.acknowledge(ctx, tx, rng, in.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

var comments = map[string][]string{
	"draft":       {"请审核。", "初稿已拟，请审核。"},
	"unit_review": {"同意，请办公室核稿。", "已审，请核稿。"},
	"review":      {"已核稿，请会签。", "文字已校核，请有关科室会签。"},
	"countersign": {"同意。", "无意见。", "同意，建议在第二部分增加时间节点要求。"},
	"sign_off":    {"同意印发。", "同意。", "签发。"},
	"recheck":     {"复核无误。"},
	"propose":     {"拟请分管领导阅示，由相关科室办理。", "拟请主要领导阅示，综合科牵头办理。"},
	"instruct":    {"请认真研究，抓好落实，按时报送结果。", "请牵头科室会同相关单位抓紧办理，办理情况及时报告。", "同意拟办意见。"},
	"handle":      {"已按要求办理完毕。", "已组织落实，情况已报送。"},
	"circulate":   {"已阅。", "阅。"},
	"close":       {"已办结。"},
}

// step takes the first open task of a document and has a natural person act
// on it. It reports whether the route is done.
func (p *people) step(ctx context.Context, tx *store.Tx, rng *rand.Rand, docID, organID string) (bool, error) {
	in, err := tx.Instance(ctx, docID)
	if err != nil {
		return false, err
	}
	if in.Status == route.Done {
		return true, nil
	}
	open := in.OpenTasks()
	if len(open) == 0 {
		return true, nil
	}
	// Non-lead tasks first: a lead handler chooses the next step last.
	slices.SortStableFunc(open, func(a, b route.Task) int {
		switch {
		case a.Lead == b.Lead:
			return 0
		case a.Lead:
			return 1
		}
		return -1
	})
	t := open[0]
	key := in.Template.Steps[t.Step].Key
	req := route.Request{Op: route.Approve, Task: t.ID}
	if cs := comments[key]; len(cs) > 0 {
		req.Comment = cs[rng.IntN(len(cs))]
	}
	if key == "print_issue" {
		req.Fields = map[string]string{"print_date": tx.Now().In(calendar.Shanghai()).Format("2006-01-02"), "copies": fmt.Sprint(10 + rng.IntN(40))}
	}
	if next := p.next(in, t, key, organID, rng); next != nil {
		req.Next = next
	}
	var lastErr error
	for _, who := range p.candidates(t.Assignee, in.Starter) {
		person, ok := p.byID[who]
		if !ok {
			continue
		}
		// A refused attempt must not spoil the transaction: every refusal
		// comes from the pure engine or a check before any write.
		if _, err := tx.Act(ctx, person, docID, req); err == nil {
			return false, nil
		} else {
			lastErr = err
		}
	}
	if lastErr == nil {
		lastErr = errors.New("无人可办")
	}
	return false, fmt.Errorf("%s: %w", in.Template.Steps[t.Step].Name, lastErr)
}

// acknowledge has the receivers of most of a document's open tasks confirm
// the handover (签收交接), as people do when they open their 待办; the rest
// stay unconfirmed and show on the office's 办文预警.
func (p *people) acknowledge(ctx context.Context, tx *store.Tx, rng *rand.Rand, docID string) error {
	in, err := tx.Instance(ctx, docID)
	if err != nil {
		return err
	}
	for _, t := range in.OpenTasks() {
		if t.Acknowledged() || rng.IntN(3) == 0 {
			continue
		}
		for _, who := range p.candidates(t.Assignee, in.Starter) {
			if person, ok := p.byID[who]; ok {
				if _, err := tx.Act(ctx, person, docID, route.Request{Op: route.Acknowledge, Task: t.ID}); err == nil {
					break
				}
			}
		}
	}
	return nil
}

// next chooses the assignees of a chosen next step, as the office would.
func (p *people) next(in route.Instance, t route.Task, key, organID string, rng *rand.Rand) []route.NextTask {
	unit := in.Scope[route.ScopeUnit]
	person := func(id string) route.NextTask {
		return route.NextTask{Assignee: route.Assignee{Kind: route.Person, Person: id}}
	}
	switch key {
	case "review": // 会签: the leaders of one or two other sections of the organ
		var out []route.NextTask
		for _, u := range p.d.Units {
			if u.ParentID == organID && u.Kind == org.KindSection && u.ID != unit && len(p.heads[u.ID]) > 0 && len(out) < 1+rng.IntN(2) {
				out = append(out, route.NextTask{Assignee: route.Assignee{Kind: route.Leader, Unit: u.ID}})
			}
		}
		if len(out) == 0 {
			out = append(out, route.NextTask{Assignee: route.Assignee{Kind: route.Leader, Unit: organID}})
		}
		return out
	case "propose": // 批办: the organ's head, or a leader overseeing it
		leaders := p.leadersOf(organID)
		if len(leaders) == 0 {
			return nil
		}
		if rng.IntN(2) == 0 { // the first leader (the demo login where it fits) half the time
			return []route.NextTask{person(leaders[0])}
		}
		return []route.NextTask{person(leaders[rng.IntN(len(leaders))])}
	case "instruct": // 承办: a lead and a co-handler from the organ's staff
		staff := p.staffOf(organID)
		if len(staff) == 0 {
			return nil
		}
		pick := staff[rng.IntN(len(staff))]
		if p.isLogin(staff[0]) && rng.IntN(3) > 0 { // the 承办人 login leads most of its organ's mail
			pick = staff[0]
		}
		lead := route.NextTask{Assignee: route.Assignee{Kind: route.Person, Person: pick}, Lead: true}
		out := []route.NextTask{lead}
		if co := staff[rng.IntN(len(staff))]; co != lead.Assignee.Person {
			out = append(out, person(co))
		}
		return out
	case "handle": // 传阅: the organ's leaders read it
		if !t.Lead {
			return nil
		}
		var out []route.NextTask
		for _, l := range p.leadersOf(organID) {
			if len(out) < 2 {
				out = append(out, person(l))
			}
		}
		return out
	}
	return nil
}

// leadersOf lists the leaders of an organ: its heads (or its parent's, for an
// office such as a town's 党政办) and the district leaders overseeing it.
func (p *people) leadersOf(organID string) []string {
	out := slices.Clone(p.heads[organID])
	if u := p.units[organID]; u.Kind == org.KindOffice && u.ParentID != "" {
		out = append(out, p.heads[u.ParentID]...)
		out = append(out, p.overseer[u.ParentID]...)
		// A leading body's office (政府办) sends much of its mail to the
		// body's leaders (副区长) for instruction.
		if p.units[u.ParentID].Kind == org.KindLeadingBody {
			out = append(slices.Clone(p.roles[org.RoleLeader][u.ParentID]), out...)
		}
	}
	out = append(out, p.overseer[organID]...)
	// The demo's 领导 login comes first wherever it is one of the leaders, so
	// that its 待办 is busy.
	for _, l := range p.d.Logins {
		if l.Role == org.RoleLeader && slices.Contains(out, l.PersonID) {
			out = append([]string{l.PersonID}, slices.DeleteFunc(out, func(id string) bool { return id == l.PersonID })...)
		}
	}
	return out
}

// isLogin reports whether a person is one of the demo's printed logins.
func (p *people) isLogin(id string) bool {
	for _, l := range p.d.Logins {
		if l.PersonID == id {
			return true
		}
	}
	return false
}

// staffOf lists the handlers of an organ and its sections, the demo's 承办人
// login first where it works there.
func (p *people) staffOf(organID string) []string {
	var out []string
	for _, l := range p.d.Logins {
		if l.Role == org.RoleHandler && slices.Contains(p.roles[org.RoleHandler][organID], l.PersonID) {
			out = append(out, l.PersonID, l.PersonID)
		}
	}
	for _, u := range p.d.Units {
		if u.ID == organID || u.ParentID == organID && u.Kind == org.KindSection {
			for _, id := range p.members[u.ID] {
				if !slices.Contains(out, id) {
					out = append(out, id)
				}
			}
		}
	}
	return out
}

// topics are the matters the district's documents are about.
var topics = []struct{ matter, plan string }{
	{"安全生产", "安全生产大检查"}, {"防汛抗旱", "防汛备汛"}, {"森林防火", "冬春森林防火"}, {"优化营商环境", "营商环境提升"},
	{"民生实事项目", "民生实事推进"}, {"招商引资", "重点项目招商"}, {"城乡人居环境整治", "人居环境整治"}, {"垃圾分类", "生活垃圾分类"},
	{"信访", "信访积案化解"}, {"粮食安全", "秋冬种生产"}, {"消防安全", "冬季消防安全"}, {"食品安全", "校园食品安全"},
	{"文明城市创建", "文明城市创建"}, {"乡村振兴", "乡村振兴重点任务"}, {"河湖长制", "河湖长制巡查"}, {"燃气安全", "城镇燃气安全排查"},
	{"就业创业", "高校毕业生就业服务"}, {"养老服务", "居家养老服务"}, {"统计调查", "经济普查"}, {"政务公开", "政务公开"},
	{"12345热线办理", "热线诉求办理"}, {"数据安全", "政务数据安全"}, {"节能降耗", "公共机构节能"}, {"耕地保护", "耕地保护专项"},
}

func (p *people) plans(rng *rand.Rand, now time.Time) []docPlan {
	gov := p.byShort("政府办")
	party := p.byShort("区委办")
	district := p.byShort("区政府")
	committee := p.byShort("区委")
	var towns, depts []string
	for _, u := range p.d.Units {
		switch u.Kind {
		case org.KindTown:
			towns = append(towns, u.ID)
		case org.KindDepartment:
			depts = append(depts, u.ID)
		}
	}
	ndrc := p.byShort("区发改局")
	// A draft goes to its unit's head for 审核: its drafter is a clerk who
	// does not head the unit, the printed 文秘 login first.
	clerkOf := func(organ, unit string) string {
		cs := slices.Clone(p.roles[org.RoleClerk][organ])
		slices.SortStableFunc(cs, func(a, b string) int {
			switch {
			case p.isLogin(a) == p.isLogin(b):
				return 0
			case p.isLogin(a):
				return -1
			}
			return 1
		})
		for _, c := range cs {
			if !slices.Contains(p.heads[unit], c) {
				return c
			}
		}
		return ""
	}
	pick := func(list []string, n int) []string {
		out := []string{}
		for _, i := range rng.Perm(len(list))[:min(n, len(list))] {
			out = append(out, list[i])
		}
		return out
	}
	var plans []docPlan
	const total = 120
	for i := 0; i < total; i++ {
		// Spread over the past year; the newest are still moving.
		age := time.Duration(total-i) * 3 * 24 * time.Hour
		start := time.Date(now.Year(), now.Month(), now.Day(), 1, 0, 0, 0, time.UTC).Add(-age)
		if i >= total-12 {
			start = now.Add(-time.Duration(total-i) * 5 * time.Hour)
		}
		tp := topics[rng.IntN(len(topics))]
		pl := docPlan{start: start, outSteps: 30, inSteps: 30}
		switch i % 6 {
		case 0, 1, 2: // 政府办 通知 to towns and departments
			pl.unit = p.child(gov, []string{"秘书科", "综合科"}[i%2])
			pl.drafter = clerkOf(gov, pl.unit)
			pl.docType = document.Notice
			pl.title = fmt.Sprintf("清澜区人民政府办公室关于做好%s工作的通知", tp.matter)
			pl.to = append(pick(towns, 3), pick(depts, 1)...)
			if i%9 == 0 {
				pl.to = append(pl.to, ndrc)
			}
		case 3: // 区委办 通知
			pl.unit = p.child(party, "综合科")
			pl.drafter = clerkOf(party, pl.unit)
			pl.docType = document.Notice
			pl.title = fmt.Sprintf("中共清澜区委办公室关于开展%s专项督查的通知", tp.plan)
			pl.to = pick(towns, 2)
		case 4: // a department reports upward to 区政府
			dept := depts[rng.IntN(len(depts))]
			if i%4 == 0 {
				dept = ndrc
			}
			pl.unit = dept
			pl.drafter = p.firstClerk(dept)
			pl.docType = document.Report
			name := p.units[dept].Name
			pl.title = fmt.Sprintf("%s关于%s工作情况的报告", name, tp.matter)
			pl.to = []string{district}
		case 5: // a town asks 区委 / 区政府 (请示)
			town := towns[rng.IntN(len(towns))]
			office := p.child(town, "党政办")
			pl.unit = office
			pl.drafter = clerkOf(office, pl.unit)
			pl.docType = document.Request
			pl.title = fmt.Sprintf("%s关于申请%s专项经费的请示", p.units[town].Name, tp.plan)
			pl.to = []string{[]string{district, committee}[i%2]}
		}
		// 主送 is the document's own field (pl.to); the body starts after it.
		pl.body = body(tp.matter, pl.docType)
		if i := strings.IndexByte(pl.body, '\n'); i > 0 && strings.HasSuffix(pl.body[:i], "：") {
			pl.body = pl.body[i+1:]
		}
		if pl.drafter == "" || pl.unit == "" {
			continue
		}
		// The newest documents stop part-way, in every state.
		// The last third are still moving, at every step of the route.
		if i >= total*2/3 && now.Sub(start) < 60*24*time.Hour {
			pl.outSteps = rng.IntN(13)
		}
		if i%17 == 0 {
			pl.urgency = document.Urgent
		}
		// A few of 政府办's own drafts are classified (秘密) and still inside the
		// office, so that the demo shows the rules for classified documents:
		// only those on the route see them, every opening is audited, and views
		// carry the viewer's watermark.
		if i%12 == 1 {
			pl.level = document.Confidential
			pl.title = fmt.Sprintf("清澜区人民政府办公室关于%s工作有关敏感情况的报告", tp.matter)
			pl.docType = document.Report
			pl.to = []string{district}
			pl.outSteps = rng.IntN(6)
			if start.Before(now.Add(-45 * 24 * time.Hour)) {
				pl.outSteps = 30 // the older ones went through
			}
		}
		plans = append(plans, pl)
	}
	return plans
}

// firstClerk finds a clerk for a department: someone with the 文秘 role there.
func (p *people) firstClerk(organ string) string {
	if cs := p.roles[org.RoleClerk][organ]; len(cs) > 0 {
		return cs[0]
	}
	if hs := p.roles[org.RoleHandler][organ]; len(hs) > 0 {
		return hs[0]
	}
	return ""
}

func body(matter string, t document.DocType) string {
	switch t {
	case document.Report:
		return fmt.Sprintf(`区人民政府：
根据区政府工作部署，我局认真开展%[1]s工作，现将有关情况报告如下。
一、工作开展情况
（一）加强组织领导。成立了工作专班，明确分管领导和责任科室，建立周调度机制。
（二）狠抓任务落实。对照年度目标任务，逐项细化措施，压实工作责任。
二、存在的问题
部分任务推进不够平衡，基层力量相对薄弱。
三、下一步工作打算
我们将进一步提高认识，强化措施，确保%[1]s工作取得实效。
特此报告。`, matter)
	case document.Request:
		return fmt.Sprintf(`区人民政府：
为切实做好%[1]s工作，我镇（街道）拟实施相关项目，现申请专项经费。
一、项目基本情况
项目涉及辖区内重点区域，预计年内完成。
二、资金需求
经测算，项目共需资金若干万元，我镇（街道）自筹部分，申请区级补助部分。
妥否，请批示。`, matter)
	}
	return fmt.Sprintf(`各镇人民政府、街道办事处，区政府各部门：
为切实做好%[1]s工作，经区政府同意，现将有关事项通知如下。
一、提高思想认识
各单位要充分认识做好%[1]s工作的重要性，切实加强组织领导。
二、突出工作重点
（一）全面排查。对辖区内重点领域开展拉网式排查，建立问题清单。
（二）限期整改。对排查发现的问题，明确责任人和整改时限。
1.建立台账，实行销号管理。
2.加强督导，确保整改到位。
三、强化工作保障
各单位要于每月25日前将工作进展情况报区政府办公室。`, matter)
}
