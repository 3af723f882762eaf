package supervise

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shuniu-oa/shuniu/internal/route"
)

// DemoUnit is a unit of the demo district with the person who acts for it
// (and is responsible on its items).
type DemoUnit struct {
	ID     string
	Person route.Actor
}

// DemoItems builds a year of supervision work up to now for a demo district,
// deterministically from seed, through the real operations: items from every
// source in every state, green, yellow and red ones, missed reports,
// extensions, urging, returns, and proposals with satisfaction recorded (some
// 不满意 and handled again). The store seeds them; statistics over them show
// trends. units needs at least two entries; instructors are the leaders
// (person IDs) who give the 批示 and 交办 items, taken in turn.
func (r Rules) DemoItems(office string, supervisor route.Actor, instructors []string, units []DemoUnit, now time.Time, n int, seed uint64) ([]Item, error) {
	if len(units) < 2 {
		return nil, fmt.Errorf("supervise: demo needs at least two units")
	}
	rng := rand.New(rand.NewPCG(seed, 4))
	titles := map[Source][]string{
		FromInstruction: {"落实区长关于防汛备汛工作的批示", "落实书记关于安全生产大检查的批示", "落实关于优化营商环境来文的批示"},
		FromMeeting:     {"区政府常务会议议定：老旧小区改造", "区委常委会议定：乡村振兴示范村建设", "专题会议议定：学校周边交通整治"},
		FromLeader:      {"领导交办：背街小巷路灯修复", "领导交办：农贸市场提升改造", "领导交办：公共厕所改造"},
		FromHigher:      {"市督查室交办：秸秆禁烧督查", "省政府督查反馈问题整改", "市政府交办：河长制问题整改"},
		FromNPC:         {"关于增设社区养老服务站的建议", "关于加强校外培训监管的建议", "关于改善农村饮水条件的建议"},
		FromCPPCC:       {"关于发展夜间经济的提案", "关于加快充电桩建设的提案", "关于保护历史街区的提案"},
		FromList:        {"民生实事：新建城区停车场", "民生实事：新增普惠托育学位", "重点工作：工业园区污水处理厂建设"},
	}
	loc := r.Calendar.Location()
	items := make([]Item, 0, n)
	for i := range n {
		src := AllSources()[i%len(AllSources())]
		// Spread the starts over the year, more of them recent.
		age := time.Duration(rng.IntN(365*24)) * time.Hour
		if rng.IntN(3) == 0 {
			age /= 6
		}
		start := morning(now.Add(-age), loc)
		for !r.Calendar.IsWorkday(start) {
			start = start.AddDate(0, 0, 1)
		}
		if !start.Before(now) {
			start = morning(now, loc).AddDate(0, 0, -1)
		}
		instructor := ""
		if len(instructors) > 0 && (src == FromInstruction || src == FromLeader) {
			instructor = instructors[(i/len(AllSources()))%len(instructors)]
		}
		it, err := r.demoItem(i, src, titles[src][rng.IntN(3)], office, supervisor, instructor, units, start, now, rng)
		if err != nil {
			return nil, fmt.Errorf("supervise: demo item %d: %w", i, err)
		}
		items = append(items, it)
	}
	return items, nil
}

func morning(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 9, 0, 0, 0, loc)
}

// demoItem plays one item's life from start until now.
func (r Rules) demoItem(i int, src Source, title, office string, sup route.Actor, instructor string, units []DemoUnit, start, now time.Time, rng *rand.Rand) (Item, error) {
	li := rng.IntN(len(units))
	lead := units[li]
	co := units[(li+1+rng.IntN(len(units)-1))%len(units)]
	n := NewItem{
		ID: fmt.Sprintf("demo-%04d", i+1), Source: src, Title: title, Office: office,
		Instruction: "请牵头单位会同配合单位抓紧研究落实，按期报送进展，办结后报督查室。", Instructor: instructor,
		Units:    []Unit{{UnitID: lead.ID, Lead: true, Responsible: lead.Person.ID}},
		Schedule: Schedule{Kind: Weekly, Weekday: time.Friday},
		Deadline: DeadlineSpec{Workdays: 10 + rng.IntN(30)},
	}
	withCo := rng.IntN(2) == 0 && !src.IsProposal()
	if withCo {
		n.Units = append(n.Units, Unit{UnitID: co.ID, Responsible: co.Person.ID})
	}
	if rng.IntN(2) == 0 {
		n.Schedule = Schedule{Kind: Monthly, Day: 25}
	}
	switch src {
	case FromInstruction:
		n.Ref = fmt.Sprintf("demo-doc-%d", i+1)
	case FromNPC, FromCPPCC:
		n.Deadline = DeadlineSpec{}
		n.Proposal = &ProposalInfo{Number: fmt.Sprintf("第%d号", i+1), Proposer: []string{"王代表", "李委员", "赵代表", "陈委员"}[rng.IntN(4)]}
		n.Ref = n.Proposal.Number
	case FromList:
		n.Ref = "2026年民生实事"
	}
	t := start
	step := func(h int) bool {
		t = r.inOffice(t.Add(time.Duration(h) * time.Hour))
		return t.Before(now)
	}
	it, _, err := r.Create(n, sup, t)
	if err != nil {
		return Item{}, err
	}
	// A few items are only registered.
	if rng.IntN(25) == 0 || !step(1) {
		return it, nil
	}
	if it, _, err = r.Assign(it, sup, t); err != nil {
		return Item{}, err
	}
	if !step(1 + rng.IntN(20)) {
		return it, nil
	}
	for _, u := range []DemoUnit{lead, co}[:len(it.Units)] {
		if rng.IntN(12) == 0 {
			continue // one that never signs for it (flagged)
		}
		if it, _, err = r.SignFor(it, u.Person, u.ID, t); err != nil {
			return Item{}, err
		}
	}
	due := it.Deadline.Due
	// How this item goes: most close on time, some late, some are still open.
	finish := due.Add(-time.Duration(rng.IntN(10*24)) * time.Hour)
	if rng.IntN(4) == 0 {
		finish = due.Add(time.Duration(rng.IntN(15*24)) * time.Hour) // late
	}
	extended := false
	for t.Before(finish) && t.Before(now) {
		if !step(24 + rng.IntN(96)) {
			break
		}
		if !r.Calendar.IsWorkday(t) {
			continue
		}
		for _, u := range []DemoUnit{lead, co}[:len(it.Units)] {
			if rng.IntN(6) == 0 {
				continue // a missed report (yellow)
			}
			if got, _, err := r.Report(it, u.Person, ReportInput{UnitID: u.ID, Text: "按计划推进，本周完成阶段性任务"}, t); err == nil {
				it = got
			}
		}
		if !extended && rng.IntN(40) == 0 && t.Before(it.Deadline.Due) {
			ask := it.Deadline.Due.AddDate(0, 0, 14)
			if got, _, err := r.RequestExtension(it, lead.Person, ExtensionInput{UnitID: lead.ID, Asked: ask, Reason: "受天气影响工期顺延"}, t); err == nil {
				it, extended = got, true
				if t.Add(4*time.Hour).Before(now) && rng.IntN(4) > 0 {
					t = r.inOffice(t.Add(2 * time.Hour))
					if it, _, err = r.DecideExtension(it, sup, it.Extensions[len(it.Extensions)-1].Seq, true, time.Time{}, "同意", t); err != nil {
						return Item{}, err
					}
					finish = finish.AddDate(0, 0, 10)
				}
			}
		}
		if t.After(it.Deadline.Due) && rng.IntN(3) == 0 {
			if got, _, err := r.Urge(it, sup, lead.ID, "该事项已逾期，请抓紧办理并报送情况", t); err == nil {
				it = got
				if rng.IntN(4) > 0 {
					t = r.inOffice(t.Add(time.Hour))
					if it, _, err = r.SignForUrging(it, lead.Person, it.Urgings[len(it.Urgings)-1].Seq, t); err != nil {
						return Item{}, err
					}
				}
			}
		}
	}
	if !t.Before(now) || it.State != InProgress {
		return it, nil
	}
	return r.demoClose(it, lead, sup, t, now, rng)
}

// demoClose applies to close (with a return now and then), reviews, and for
// proposals records the verdict.
func (r Rules) demoClose(it Item, lead DemoUnit, sup route.Actor, t, now time.Time, rng *rand.Rand) (Item, error) {
	var err error
	for round := 0; round < 2; round++ {
		ev := Evidence{Text: "已按要求办结，附相关材料"}
		if it.Proposal != nil {
			c := Contact{At: t, Way: []string{"当面", "电话", "座谈", "实地察看"}[rng.IntN(4)], Note: "就办理方案听取意见"}
			if it, _, err = r.RecordContact(it, lead.Person, c, t); err != nil {
				return Item{}, err
			}
			ev = Evidence{Text: "答复如下", Attachments: []Attachment{{Name: "答复函.pdf", SHA256: demoSHA}}}
		}
		t = r.inOffice(t.Add(time.Hour))
		if !t.Before(now) {
			return it, nil
		}
		if it, _, err = r.RequestClose(it, lead.Person, ev, t); err != nil {
			return Item{}, err
		}
		t = r.inOffice(t.Add(time.Duration(4+rng.IntN(40)) * time.Hour))
		if !t.Before(now) {
			return it, nil // awaiting review
		}
		if round == 0 && rng.IntN(5) == 0 {
			if it, _, err = r.Review(it, sup, false, "佐证材料不全，请补充", t); err != nil {
				return Item{}, err
			}
			t = r.inOffice(t.Add(2 * time.Hour))
			if !t.Before(now) {
				return it, nil
			}
			if it, _, err = r.SignFor(it, lead.Person, lead.ID, t); err != nil {
				return Item{}, err
			}
			t = r.inOffice(t.Add(time.Duration(24+rng.IntN(72)) * time.Hour))
			if !t.Before(now) {
				return it, nil
			}
			continue
		}
		if it, _, err = r.Review(it, sup, true, "", t); err != nil {
			return Item{}, err
		}
		break
	}
	if it.Proposal == nil || it.State != Closed {
		return it, nil
	}
	t = r.inOffice(t.Add(time.Duration(72+rng.IntN(300)) * time.Hour))
	if !t.Before(now) {
		return it, nil
	}
	verdict := []Satisfaction{Satisfied, Satisfied, Satisfied, BasicSatisfied, BasicSatisfied, Unsatisfied}[rng.IntN(6)]
	it, _, err = r.RecordSatisfaction(it, sup, verdict, "希望进一步加大工作力度", t)
	return it, err
}

// inOffice is t if it falls in office hours on a working day, else a moment
// early in the next working session: the demo's people act at work, never
// at night or on a rest day.
func (r Rules) inOffice(t time.Time) time.Time {
	if r.Calendar.WorkingTimeBetween(t, t.Add(time.Minute)) == time.Minute {
		return t
	}
	if n, err := r.Calendar.AddWorkingTime(t, 7*time.Minute); err == nil {
		return n
	}
	return t
}

// demoSHA stands for a stored attachment's digest in demo data.
const demoSHA = "0000000000000000000000000000000000000000000000000000000000000000"
