package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/research"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/study"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// researchSeededKey marks a database that holds the demo's 调研 and 学习.
const researchSeededKey = "demo_research_seeded"

// demoCast is who plays the 调研 and 学习 year: the 政府办, its 文秘, a
// 副区长, its 督查员 and the units by short name.
type demoCast struct {
	clerk, leader, sup org.Person
	officeID           string
	unit               map[string]string
	staff              []string // people working in the 政府办
}

func castOf(d District) (demoCast, error) {
	c := demoCast{unit: map[string]string{}}
	for _, u := range d.Units {
		if u.Kind != org.KindSection {
			if _, ok := c.unit[u.ShortName]; !ok {
				c.unit[u.ShortName] = u.ID
			}
		}
	}
	c.officeID = c.unit["政府办"]
	person := map[string]org.Person{}
	for _, p := range d.People {
		person[p.ID] = p
		switch p.Login {
		case "wenmi":
			c.clerk = p
		case "lingdao":
			c.leader = p
		case "ducha":
			c.sup = p
		}
	}
	units := map[string]org.Unit{}
	for _, u := range d.Units {
		units[u.ID] = u
	}
	for _, pos := range d.Positions {
		if organOrSelf(units, pos.UnitID) == c.officeID && len(c.staff) < 12 && !contains(c.staff, pos.PersonID) {
			c.staff = append(c.staff, pos.PersonID)
		}
	}
	if c.officeID == "" || c.clerk.ID == "" || c.leader.ID == "" || c.sup.ID == "" || len(c.staff) < 3 {
		return c, fmt.Errorf("demo research: the district lacks the 政府办's people")
	}
	return c, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// organOrSelf is the unit a section belongs to (its parent office), or the unit itself.
func organOrSelf(units map[string]org.Unit, id string) string {
	if u, ok := units[id]; ok && u.Kind == org.KindSection {
		return u.ParentID
	}
	return id
}

// workday is the working day daysAgo before now (later ones: negative) at
// hour:min in Beijing, moved off a weekend to the Monday after.
func workday(now time.Time, daysAgo, hour, min int) time.Time {
	l := now.In(calendar.Shanghai())
	t := time.Date(l.Year(), l.Month(), l.Day()-daysAgo, hour, min, 0, 0, calendar.Shanghai())
	for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// SeedResearch gives the demo district a year of 调研 and 学习培训 up to now:
// three topics of the 政府办 (one set by a 副区长 with a trip, two reports,
// one returned and resubmitted, and a 区长's 批示 turned into a supervision
// item; one under way with a trip ahead on the leader's schedule; one just
// planned), a study plan, three trainings with their attendance, and the
// 范文 library. Done once: a setting marks it.
func SeedResearch(ctx context.Context, s *store.Store, d District, now time.Time) error {
	var v string
	if done, err := s.Setting(ctx, researchSeededKey, &v); err != nil || done {
		return err
	}
	c, err := castOf(d)
	if err != nil {
		return err
	}
	must := func(t research.Topic, err error) research.Topic {
		if err != nil {
			panic(err) // the demo's own tables are wrong: a programming error, caught by TestSeedResearch
		}
		return t
	}
	var topics []research.Topic
	{ // 1. A leader's topic, done, with a 批示.
		t0 := workday(now, 150, 9, 30)
		t := must(research.Create(research.NewTopic{ID: id("research:营商环境"), OfficeID: c.officeID, Title: "关于进一步优化营商环境的调研",
			Brief: "围绕企业开办、项目审批、要素保障三个方面，摸清企业反映集中的问题，提出可操作的改进建议。", Source: research.ByLeader, SetBy: c.leader.ID,
			Assignees: []research.Assignee{{UnitID: c.unit["区发改局"]}, {UnitID: c.unit["区市场监管局"]}}, Due: workday(now, 110, 17, 30)}, c.clerk.ID, t0))
		t = must(research.AddPlan(t, c.unit["区发改局"], c.clerk.ID, "一、调研对象：区内规上工业企业20家、个体工商户30户。\n二、方式：座谈、问卷、实地走访。\n三、时间：两周内完成走访，月底前形成报告。", workday(now, 146, 10, 0)))
		trip := workday(now, 140, 9, 0)
		t = must(research.AddTrip(t, research.Trip{ID: id("research:营商环境:trip1"), Place: "清澜经济开发区", Purpose: "走访企业，召开企业家座谈会",
			Start: trip, End: trip.Add(3*time.Hour + 30*time.Minute), Leaders: []string{c.leader.ID}, Members: []string{"区发改局局长", "区市场监管局副局长"}}, c.clerk.ID, workday(now, 143, 15, 0)))
		var no int
		t, no, err = research.Submit(t, c.unit["区发改局"], c.clerk.ID, "关于我区营商环境的调研报告",
			"一、基本情况\n今年以来，我区新登记市场主体同比增长12.6%，企业开办时间压缩至1个工作日。\n二、存在问题\n部分审批事项跨部门流转环节多，中小企业融资难问题仍然突出。\n三、对策建议\n推行“一件事一次办”，设立中小企业应急转贷资金。", workday(now, 125, 16, 0))
		must(t, err)
		t = must(research.Return(t, no, c.clerk.ID, "请补充问卷调查的样本情况和主要数据", workday(now, 124, 10, 0)))
		t, no, err = research.Submit(t, c.unit["区发改局"], c.clerk.ID, "关于我区营商环境的调研报告",
			"一、基本情况\n本次调研走访企业20家、个体工商户30户，回收问卷412份。今年以来，我区新登记市场主体同比增长12.6%，企业开办时间压缩至1个工作日。\n二、存在问题\n部分审批事项跨部门流转环节多，中小企业融资难问题仍然突出。\n三、对策建议\n推行“一件事一次办”，设立中小企业应急转贷资金。", workday(now, 120, 11, 0))
		must(t, err)
		t = must(research.Accept(t, no, c.clerk.ID, workday(now, 118, 9, 40)))
		var no2 int
		t, no2, err = research.Submit(t, c.unit["区市场监管局"], c.clerk.ID, "关于市场主体培育情况的调研报告",
			"一、市场主体总量稳步增长。\n二、个体工商户“转企升规”意愿不强。\n三、建议完善“个转企”扶持政策。", workday(now, 115, 15, 20))
		must(t, err)
		t = must(research.Accept(t, no2, c.clerk.ID, workday(now, 112, 10, 0)))
		t = must(research.AddInstruction(t, no, research.Instruction{Leader: "区长 陈志远", Text: "报告很有分量。请区发改局牵头，会同区财政局研究设立应急转贷资金，一个月内拿出方案。",
			At: workday(now, 110, 18, 0)}, c.clerk.ID, workday(now, 109, 9, 0)))
		topics = append(topics, t)
	}
	{ // 2. Under way: a town trip ahead, one report waiting for review.
		t0 := workday(now, 40, 10, 0)
		units := []research.Assignee{{UnitID: c.unit["区农业农村局"]}}
		town := ""
		for _, u := range d.Units {
			if u.Kind == org.KindTown && len(units) < 3 {
				units = append(units, research.Assignee{UnitID: u.ID})
				if town == "" {
					town = u.Name
				}
			}
		}
		t := must(research.Create(research.NewTopic{ID: id("research:集体经济"), OfficeID: c.officeID, Title: "关于发展壮大村级集体经济的调研",
			Brief: "重点了解村级集体经济收入结构、经营性资产盘活和“空壳村”转化情况。", Source: research.ByOffice,
			Assignees: units, Due: workday(now, -25, 17, 30)}, c.clerk.ID, t0))
		trip := workday(now, -3, 8, 30)
		t = must(research.AddTrip(t, research.Trip{ID: id("research:集体经济:trip1"), Place: town + "及所辖村", Purpose: "实地察看村级集体经济项目",
			Start: trip, End: trip.Add(8 * time.Hour), Leaders: []string{c.leader.ID}, Members: []string{"区农业农村局分管负责同志"}}, c.clerk.ID, workday(now, 10, 11, 0)))
		var err error
		t, _, err = research.Submit(t, units[1].UnitID, c.clerk.ID, "关于本镇村级集体经济发展情况的调研报告",
			"全镇12个村集体经济收入均超过10万元，其中超过50万元的3个。主要做法：盘活闲置资产，发展物业经济。存在问题：产业项目同质化。", workday(now, 2, 15, 0))
		topics = append(topics, must(t, err))
	}
	{ // 3. Just set, a plan in.
		t0 := workday(now, 12, 9, 0)
		t := must(research.Create(research.NewTopic{ID: id("research:老旧小区"), OfficeID: c.officeID, Title: "关于老旧小区改造后长效管理的调研",
			Source: research.ByOffice, Assignees: []research.Assignee{{UnitID: c.unit["区住建局"]}}, Due: workday(now, -45, 17, 30)}, c.clerk.ID, t0))
		t = must(research.AddPlan(t, c.unit["区住建局"], c.clerk.ID, "选取2023年以来完成改造的8个小区，采取入户走访、物业座谈等方式开展调研。", workday(now, 8, 16, 0)))
		topics = append(topics, t)
	}
	for _, t := range topics {
		if err := s.ImportResearchTopic(ctx, c.clerk, t); err != nil {
			return fmt.Errorf("demo research %s: %w", t.Title, err)
		}
	}
	// The 区长's 批示 becomes a supervision item from the report, as the 督查室 would.
	n := supervise.NewItem{ID: id("research:营商环境:sup"), Office: supOfficeOf(d, c.sup.ID), Deadline: supervise.DeadlineSpec{Workdays: 22},
		Schedule: supervise.Schedule{Kind: supervise.Monthly, Day: 25},
		Units:    []supervise.Unit{{UnitID: c.unit["区发改局"], Lead: true, Responsible: headOf(d, c.unit["区发改局"])}, {UnitID: c.unit["区财政局"], Responsible: headOf(d, c.unit["区财政局"])}}}
	if _, _, err := s.ResearchInstructionToSupervision(ctx, c.sup, topics[0].ID, 2, 0, n, true); err != nil {
		return fmt.Errorf("demo research 批示: %w", err)
	}
	if err := seedStudy(ctx, s, c, now); err != nil {
		return err
	}
	return s.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, researchSeededKey, "1") })
}

func supOfficeOf(d District, personID string) string {
	for _, r := range d.Roles {
		if r.PersonID == personID && r.Role == org.RoleSupervisor {
			return r.UnitID
		}
	}
	return ""
}

func headOf(d District, unitID string) string {
	for _, p := range d.Positions {
		if p.UnitID == unitID {
			return p.PersonID
		}
	}
	return ""
}

func seedStudy(ctx context.Context, s *store.Store, c demoCast, now time.Time) error {
	year := now.In(calendar.Shanghai()).Year()
	p, err := study.NewPlan(id("study:plan"), c.officeID, fmt.Sprintf("%d年度政府办干部学习计划", year), year, c.clerk.ID, workday(now, 160, 9, 0))
	if err != nil {
		return err
	}
	for _, it := range []study.Item{
		{Topic: "《党政机关公文处理工作条例》", Material: "条例全文及释义", People: c.staff, Due: workday(now, 120, 17, 30)},
		{Topic: "《党政机关公文格式》（GB/T 9704—2012）", Material: "国家标准文本，对照本办近期发文自查", People: c.staff, Due: workday(now, 60, 17, 30)},
		{Topic: "优秀调研报告选读", Material: "范文库中的调研报告三篇", People: c.staff[:len(c.staff)/2], Due: workday(now, -20, 17, 30)},
	} {
		if p, err = study.AddItem(p, it, workday(now, 160, 9, 30)); err != nil {
			return err
		}
	}
	for i, who := range c.staff {
		if i%4 != 3 { // most finished the first two topics
			for item, daysAgo := range []int{125, 70} {
				if p, err = study.Complete(p, item, who, "", workday(now, daysAgo-i%3, 16, 0)); err != nil {
					return err
				}
			}
		}
	}
	if err := s.CreateStudyPlan(ctx, c.clerk, p); err != nil {
		return err
	}
	for k, tr := range []struct {
		title, speaker, place string
		daysAgo, hour, mins   int
	}{
		{"公文写作与处理专题培训", "市委办公室秘书科科长", "区政府三楼会议室", 95, 14, 150},
		{"保密知识专题讲座", "区保密局副局长", "区政府五楼多功能厅", 48, 9, 90},
		{"信息报送与调研报告写作培训", "市政府办信息科科长", "区政府三楼会议室", 9, 14, 120},
	} {
		start := workday(now, tr.daysAgo, tr.hour, 30)
		t, err := s.CreateTraining(ctx, c.clerk, study.Training{ID: id(fmt.Sprintf("study:training:%d", k)), OfficeID: c.officeID, Title: tr.title, Speaker: tr.speaker,
			Place: tr.place, Start: start, End: start.Add(time.Duration(tr.mins) * time.Minute), Invitees: c.staff, Organizer: c.clerk.ID,
			Secret: []byte(id(fmt.Sprintf("study:training:%d:secret", k)))})
		if err != nil {
			return err
		}
		for i, who := range c.staff {
			if (i+k)%5 == 4 {
				continue // away that day
			}
			at := start.Add(time.Duration(-15+i) * time.Minute)
			if _, err := s.TrainingAct(ctx, c.clerk, t.ID, "sign_in", map[string]string{"person": who}, func(t study.Training, _ time.Time) (study.Training, error) {
				return study.SignIn(t, c.clerk.ID, who, "click", at)
			}); err != nil {
				return err
			}
		}
	}
	for k, e := range []study.Entry{
		{Kind: study.ModelText, Title: "清澜区人民政府办公室关于做好春节期间值班工作的通知", UnitID: c.officeID, DocType: "通知",
			Summary: "要素齐全、要求具体，值班安排和信息报送时限写得清楚，可作同类通知的样本。", Tags: []string{"值班", "节假日"},
			Body: "各镇人民政府、街道办事处，区政府各部门：\n为确保春节期间全区社会大局稳定，现就做好值班工作通知如下：\n一、严格落实24小时值班和领导带班制度。\n二、及时准确报送突发事件信息，首报不超过30分钟。\n三、加强值班人员管理，严禁擅离岗位。"},
		{Kind: study.Experience, Title: "区发改局：“三个坚持”写好调研报告", UnitID: c.unit["区发改局"],
			Summary: "调研报告获区长批示，经验可复制。", Tags: []string{"调研", "写作"},
			Body: "一是坚持问题导向，带着问题下去；二是坚持数据说话，问卷样本不少于400份；三是坚持建议可操作，每条建议都明确牵头单位和时限。"},
		{Kind: study.ModelText, Title: "关于我区营商环境的调研报告", UnitID: c.unit["区发改局"], DocType: "调研报告",
			Summary: "结构清晰，问题找得准，建议具体，获区长批示。", Tags: []string{"调研报告", "营商环境"},
			Body: "一、基本情况……\n二、存在问题……\n三、对策建议……"},
	} {
		e.ID, e.OfficeID = id(fmt.Sprintf("study:library:%d", k)), c.officeID
		if _, err := s.AddLibraryEntry(ctx, c.clerk, e); err != nil {
			return err
		}
	}
	return nil
}
