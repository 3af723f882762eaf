package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/inforeport"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// infoSeededKey marks a database that holds the demo's information reports.
const infoSeededKey = "demo_info_seeded"

// infoTopics are what towns and departments report, by category: a phrase
// the unit's name is put before.
var infoTopics = map[inforeport.Category][]string{
	inforeport.Economy:    {"前三季度规上工业产值同比增长", "重点项目集中开工", "“链长制”助力新能源汽车配套产业集聚", "盘活闲置厂房引进企业"},
	inforeport.Livelihood: {"“一老一小”服务站覆盖所有社区", "老旧小区改造惠及居民", "就业驿站帮助困难群体实现就业", "社区食堂解决老人吃饭难"},
	inforeport.Safety:     {"开展燃气安全专项整治", "汛前隐患排查整改到位", "“清网”行动化解信访积案", "电动自行车消防安全集中治理"},
	inforeport.Party:      {"“红色物业”提升小区治理水平", "党员干部下沉一线解难题", "“党建+网格”激活基层治理末梢"},
	inforeport.Reform:     {"“一件事一次办”压缩办事时限", "探索宅基地有偿退出机制", "企业开办实现“零成本”"},
	inforeport.Governance: {"“村规民约积分制”激发村民自治活力", "网格员队伍专职化管理", "矛盾纠纷多元化解中心实体化运行"},
	inforeport.Ecology:    {"河长制推动黑臭水体清零", "秸秆综合利用率达百分之九十五", "打造“口袋公园”增绿提质"},
}

var infoBodies = []string{
	"今年以来，%s坚持问题导向，细化任务清单，明确责任人和完成时限，实行周调度、月通报。",
	"%s组织专班逐户走访，建立台账，做到底数清、情况明，对发现的问题即知即改。",
	"截至目前，%s已完成年度目标任务的百分之八十以上，群众满意度明显提升。",
	"下一步，%s将总结经验做法，完善长效机制，推动工作常态化、制度化。",
}

var infoLeaders = []struct {
	name  string
	level inforeport.Level
	text  string
}{
	{"市委书记 李明", inforeport.City, "这个做法好，请市委办总结推广。"},
	{"区委书记 王志明", inforeport.District, "请区政府办牵头，抓好经验推广，年底前形成制度。"},
	{"区长 陈晓东", inforeport.District, "请相关部门借鉴，举一反三，抓好落实。"},
	{"副市长 赵红", inforeport.City, "请市应急局关注，及时总结。"},
	{"省委常委、秘书长 刘建国", inforeport.Province, "阅。经验可在全省交流。"},
}

var infoSolTopics = []string{"春耕备耕进展", "防汛准备工作", "“三夏”生产和秸秆禁烧", "优化营商环境典型做法", "安全生产大检查情况",
	"民生实事项目进度", "冬季安全稳定", "基层减负成效"}

// SeedInfo gives the demo district a year of 信息报送 to the 政府办, up to
// now: reports from the 16 towns and several departments, edited, adopted
// or declined or returned by the office's director, some adopted by the city
// and the province, a few leaders' 批示 (two turned into supervision items
// by the 督查室), 约稿 answered on time, late or not at all, and numbered
// issues of 《信息专报》 and 《工作动态》. Everything happens in office hours
// through the real operations. Done once: a setting marks it.
func SeedInfo(ctx context.Context, s *store.Store, d District, now time.Time) error {
	var v string
	if done, err := s.Setting(ctx, infoSeededKey, &v); err != nil || done {
		return err
	}
	units := map[string]org.Unit{}
	byShort := map[string]org.Unit{}
	for _, u := range d.Units {
		units[u.ID] = u
		if _, ok := byShort[u.ShortName]; !ok {
			byShort[u.ShortName] = u
		}
	}
	office := byShort["政府办"]
	var editor, sup org.Person
	for _, p := range d.People {
		switch p.Login {
		case "zhuren":
			editor = p
		case "ducha":
			sup = p
		}
	}
	if office.ID == "" || editor.ID == "" || sup.ID == "" {
		return fmt.Errorf("demo info: the 政府办, its director or its 督查员 is missing")
	}
	heads := map[string]org.Person{}
	people := map[string]org.Person{}
	for _, p := range d.People {
		people[p.ID] = p
	}
	for _, p := range d.Positions {
		if org.HeadTitle(p.Title) && units[p.UnitID].ParentID != "" {
			if _, ok := heads[p.UnitID]; !ok {
				heads[p.UnitID] = people[p.PersonID]
			}
		}
	}
	var senders []org.Unit
	for _, u := range d.Units {
		if _, ok := heads[u.ID]; ok && u.Kind == org.KindTown {
			senders = append(senders, u)
		}
	}
	for _, short := range []string{"区发改局", "区应急管理局", "区民政局", "区农业农村局", "区市场监管局", "区住建局"} {
		if u, ok := byShort[short]; ok {
			if _, ok := heads[u.ID]; ok {
				senders = append(senders, u)
			}
		}
	}
	cal := s.Calendar()
	loc := cal.Location()
	rng := rand.New(rand.NewPCG(15, 2026))
	cats := inforeport.Categories()[:7]
	n := 0
	err := s.Write(ctx, func(tx *store.Tx) error {
		at := func(t time.Time) { tx.SetNow(t) }
		act := func(id, action string, op store.InfoOp) (inforeport.Report, error) {
			return tx.InfoAct(ctx, editor, id, action, nil, op)
		}
		// 约稿 first, so reports can answer them.
		var sols []inforeport.Solicitation
		for i, topic := range infoSolTopics {
			start := inOffice(cal, now.AddDate(0, 0, -330+i*45).In(loc))
			if !start.Before(now) {
				continue
			}
			at(start)
			asked := make([]string, 0, 5)
			for _, j := range rng.Perm(len(senders))[:5] {
				asked = append(asked, senders[j].ID)
			}
			due := afterWorking(cal, start, 5*8*time.Hour)
			sol, err := inforeport.NewSolicitation(fmt.Sprintf("demo-sol-%d", i+1), office.ID, editor.ID, topic,
				"请围绕主题报送一条信息，突出做法、成效和数据，字数一千字以内。", due, asked, start)
			if err != nil {
				return err
			}
			if err := tx.CreateInfoSolicitation(ctx, editor, sol); err != nil {
				return err
			}
			sols = append(sols, sol)
		}
		var adopted []inforeport.Report
		instructed := 0
		for week := 52; week >= 0; week-- {
			monday := now.AddDate(0, 0, -7*week)
			for k := 0; k < 4+rng.IntN(3); k++ {
				t := inOffice(cal, time.Date(monday.Year(), monday.Month(), monday.Day(), 9+rng.IntN(7), rng.IntN(60), 0, 0, loc).AddDate(0, 0, rng.IntN(5)))
				if !t.Before(now) {
					continue
				}
				u := senders[rng.IntN(len(senders))]
				cat := cats[rng.IntN(len(cats))]
				topics := infoTopics[cat]
				short := u.ShortName
				title := short + topics[rng.IntN(len(topics))]
				var body []string
				for _, b := range infoBodies {
					body = append(body, fmt.Sprintf(b, short))
				}
				dr := inforeport.Draft{Title: title, Body: strings.Join(body, "\n"), Category: cat, Urgency: inforeport.Normal}
				if rng.IntN(12) == 0 {
					dr.Urgency = inforeport.Urgent
				}
				// Answer a 约稿 that asks this unit and is open at t.
				for _, s := range sols {
					if s.Asks(u.ID) && t.After(s.CreatedAt) && t.Before(s.Due.Add(72*time.Hour)) {
						dr.SolicitationID, dr.Title = s.ID, short+s.Topic+"情况"
						break
					}
				}
				n++
				at(t)
				id := fmt.Sprintf("demo-info-%d", n)
				_, err := tx.SubmitInfoReport(ctx, heads[u.ID], id, office.ID, u.ID, dr)
				if err != nil {
					return fmt.Errorf("demo info %s: %w", title, err)
				}
				if now.Sub(t) < 7*24*time.Hour {
					// The last week's are all still with the editors, so a new
					// editor finds a 待编辑 queue (a random share left it empty).
					continue
				}
				t = afterWorking(cal, t, time.Duration(2+rng.IntN(10))*time.Hour)
				if !t.Before(now) {
					continue
				}
				at(t)
				roll := rng.IntN(100)
				switch {
				case roll < 12:
					_, err = act(id, "return", func(x inforeport.Report, at time.Time) (inforeport.Report, error) {
						return inforeport.Return(x, editor.ID, "要素不全，请补充具体数据和成效后再报", at)
					})
				case roll < 45:
					_, err = act(id, "decline", func(x inforeport.Report, at time.Time) (inforeport.Report, error) {
						return inforeport.Decline(x, editor.ID, "内容一般化，缺少新意", at)
					})
				default:
					if rng.IntN(2) == 0 {
						if _, err = act(id, "edit", func(x inforeport.Report, at time.Time) (inforeport.Report, error) {
							return inforeport.Edit(x, editor.ID, x.Title, strings.Replace(x.Body, "截至目前", "截至上月底", 1)+"\n（编者按：此做法值得各地借鉴。）", "精简文字，加编者按", at)
						}); err != nil {
							return err
						}
					}
					_, err = act(id, "adopt", func(x inforeport.Report, at time.Time) (inforeport.Report, error) {
						return inforeport.Adopt(x, editor.ID, "《工作动态》", at, at)
					})
					if err != nil {
						return err
					}
					if rng.IntN(8) == 0 {
						t = afterWorking(cal, t, time.Duration(8+rng.IntN(24))*time.Hour)
						if t.Before(now) {
							at(t)
							_, err = act(id, "adoption", func(x inforeport.Report, at time.Time) (inforeport.Report, error) {
								return inforeport.RecordAdoption(x, editor.ID, inforeport.City, "云泽市委办公室《每日汇报》", at, at)
							})
							if err == nil && rng.IntN(5) == 0 {
								_, err = act(id, "adoption", func(x inforeport.Report, at time.Time) (inforeport.Report, error) {
									return inforeport.RecordAdoption(x, editor.ID, inforeport.Province, "省委办公厅《信息快报》", at, at)
								})
							}
							if err == nil && instructed < len(infoLeaders) && rng.IntN(3) == 0 {
								l := infoLeaders[instructed]
								instructed++
								var r inforeport.Report
								r, err = act(id, "instruction", func(x inforeport.Report, at time.Time) (inforeport.Report, error) {
									return inforeport.AddInstruction(x, editor.ID, inforeport.Instruction{Leader: l.name, Level: l.level, Text: l.text, At: at}, at)
								})
								if err == nil && instructed <= 2 {
									err = demoInfoSupervise(ctx, tx, sup, office.ID, r, heads[u.ID])
								}
							}
						}
					}
					if err == nil {
						r, _ := tx.InfoReport(ctx, id)
						adopted = append(adopted, r)
					}
				}
				if err != nil {
					return err
				}
			}
			// Each month's last week: 《工作动态》 of the month's adopted
			// items; each city-adopted item also a 《信息专报》.
			if len(adopted) >= 6 || (week == 0 && len(adopted) > 0) {
				t := inOffice(cal, time.Date(monday.Year(), monday.Month(), monday.Day(), 16, 0, 0, 0, loc).AddDate(0, 0, 4))
				if t.After(now) {
					t = lastInOffice(cal, now.Add(-time.Hour))
				}
				at(t)
				var ids []string
				for _, x := range adopted {
					ids = append(ids, x.ID)
					if x.AdoptedAt(inforeport.City) {
						if _, err := tx.CompileInfoIssue(ctx, editor, "demo-issue-special-"+x.ID, office.ID, inforeport.Special, "", []string{x.ID}); err != nil {
							return err
						}
					}
				}
				if _, err := tx.CompileInfoIssue(ctx, editor, fmt.Sprintf("demo-issue-dyn-%d", week), office.ID, inforeport.Dynamics, "", ids[:min(len(ids), 8)]); err != nil {
					return err
				}
				adopted = adopted[:0]
			}
		}
		return tx.PutSetting(ctx, infoSeededKey, "done")
	})
	return err
}

// demoInfoSupervise turns the report's last 批示 into a supervision item
// led by the reporting unit, as the 督查室 would from the report's page.
func demoInfoSupervise(ctx context.Context, tx *store.Tx, sup org.Person, office string, r inforeport.Report, head org.Person) error {
	i := len(r.Instructions) - 1
	ins := r.Instructions[i]
	n := supervise.NewItem{ID: "demo-sup-" + r.ID, Source: supervise.FromInfo, Ref: r.ID, Title: inforeport.SupervisionTitle(r, ins),
		Instruction: ins.Text, Instructor: ins.Leader, Office: office, Schedule: supervise.Schedule{Kind: supervise.Weekly, Weekday: time.Friday},
		Deadline: supervise.DeadlineSpec{Workdays: 20}, Units: []supervise.Unit{{UnitID: r.UnitID, Lead: true, Responsible: head.ID}}}
	it, err := tx.CreateSupItem(ctx, sup, n, true)
	if err != nil {
		return err
	}
	_, err = tx.InfoAct(ctx, sup, r.ID, "supervise", map[string]string{"sup_item": it.ID}, func(x inforeport.Report, at time.Time) (inforeport.Report, error) {
		return inforeport.LinkSupervision(x, i, sup.ID, it.ID, at)
	})
	return err
}

// infoSenders is for the test: the units that report in the demo.
func infoSenders(reports []inforeport.Report) []string {
	var out []string
	for _, r := range reports {
		if !slices.Contains(out, r.UnitID) {
			out = append(out, r.UnitID)
		}
	}
	return out
}
