package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/duty"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// dutySeededKey marks a database that holds the demo's duty.
const dutySeededKey = "demo_duty_seeded"

// SeedDuty gives the 政府办 last month's and this month's 值班: two rosters
// generated over the calendar and published by its director, an approved
// 替班, and for every shift ended so far its log (calls, instructions passed
// on, one 较大 event escalated to the leaders), its filing and its handover,
// acknowledged by the next shift — all but one, left open, which the office's
// 预警 page flags. Each step is a real operation at its own moment. It is
// done once: a setting marks it.
func SeedDuty(ctx context.Context, s *store.Store, d District, now time.Time) error {
	var v string
	if done, err := s.Setting(ctx, dutySeededKey, &v); err != nil || done {
		return err
	}
	if rs, err := s.DutyRosters(ctx); err != nil {
		return err
	} else if len(rs) > 0 {
		return errors.New("演示值班数据只生成了一部分（上次启动被中断），请删除演示数据目录后重新启动")
	}
	p, err := dutyPlan(d)
	if err != nil {
		return err
	}
	clock := now
	at := s.At(func() time.Time { return clock })
	sh := calendar.Shanghai()
	n := now.In(sh)
	thisMonth := time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, sh)
	lastMonth := thisMonth.AddDate(0, -1, 0)
	write := func(when time.Time, fn func(tx *store.Tx) error) error {
		clock = when
		return at.Write(ctx, fn)
	}
	var rosters []duty.Roster
	for _, m := range []time.Time{lastMonth, thisMonth} {
		title := fmt.Sprintf("%d年%d月政府办值班安排", m.Year(), int(m.Month()))
		var ro duty.Roster
		err := write(m.AddDate(0, 0, -6).Add(10*time.Hour), func(tx *store.Tx) error {
			var err error
			ro, err = tx.CreateDutyRoster(ctx, p.director, duty.NewRoster{UnitID: p.office, Title: title,
				From: m.Format(duty.DateLayout), To: m.AddDate(0, 1, -1).Format(duty.DateLayout),
				Rotation: duty.Rotation{Mode: duty.EveryDay, Handover: duty.DefaultHandover, Leaders: p.leaders, Staff: p.staff}})
			if err != nil {
				return err
			}
			ro, err = tx.PublishDutyRoster(ctx, p.director, ro.ID)
			return err
		})
		if err != nil {
			return fmt.Errorf("demo roster %s: %w", title, err)
		}
		rosters = append(rosters, ro)
	}
	// A 替班 in this month, asked and approved before it.
	cur := rosters[1]
	if len(cur.Shifts) > 20 {
		sft := cur.Shifts[20]
		to := ""
		for _, id := range p.staff {
			if id != sft.StaffID && id != sft.LeaderID {
				to = id
				break
			}
		}
		var sw duty.Swap
		err := write(cur.PublishedAt.Add(26*time.Hour), func(tx *store.Tx) error {
			var err error
			sw, err = tx.RequestDutySwap(ctx, p.person[sft.StaffID], duty.Swap{RosterID: cur.ID, Kind: duty.Cover, Post: duty.Staff, Date: sft.Date,
				ToID: to, Reason: "当日参加市委党校调训"}, []string{p.director.ID})
			return err
		})
		if err != nil {
			return fmt.Errorf("demo swap: %w", err)
		}
		if err := write(cur.PublishedAt.Add(28*time.Hour), func(tx *store.Tx) error {
			_, err := tx.DecideDutySwap(ctx, p.director, sw.ID, true, "同意，请做好交接")
			return err
		}); err != nil {
			return fmt.Errorf("demo swap approval: %w", err)
		}
		if cur, err = s.DutyRoster(ctx, cur.ID); err != nil {
			return err
		}
		rosters[1] = cur
	}
	type ref struct {
		roster string
		s      duty.Shift
	}
	var shifts []ref
	for _, ro := range rosters {
		for _, sft := range ro.Shifts {
			shifts = append(shifts, ref{ro.ID, sft})
		}
	}
	sort.Slice(shifts, func(i, j int) bool { return shifts[i].s.Start.Before(shifts[j].s.Start) })
	ended := 0
	for _, x := range shifts {
		if !x.s.End.After(now) {
			ended++
		}
	}
	open := ended - 4 // the handover left unacknowledged
	if open < 0 {
		open = ended - 1
	}
	event := ended - 10
	for i, x := range shifts {
		if !x.s.Start.Before(now) {
			break
		}
		staff := p.person[x.s.StaffID]
		for k, e := range dutyEntries(p, x.s, i, i == event) {
			if !e.At.Before(now) {
				break
			}
			if err := write(e.At.Add(time.Duration(k+3)*time.Minute), func(tx *store.Tx) error {
				_, err := tx.AddDutyEntry(ctx, staff, x.roster, x.s.Date, e, false)
				return err
			}); err != nil {
				return fmt.Errorf("demo log %s: %w", x.s.Date, err)
			}
		}
		if x.s.End.After(now) {
			break // the shift on duty now
		}
		if err := write(x.s.End.Add(-20*time.Minute), func(tx *store.Tx) error {
			_, err := tx.SubmitDutyLog(ctx, staff, x.roster, x.s.Date, dutySummary(i, i == event), false)
			return err
		}); err != nil {
			return fmt.Errorf("demo log filing %s: %w", x.s.Date, err)
		}
		var h duty.Handover
		if err := write(x.s.End.Add(-10*time.Minute), func(tx *store.Tx) error {
			var err error
			h, err = tx.HandOverDuty(ctx, staff, x.roster, x.s.Date, dutyMatters(i, i == event), "")
			return err
		}); err != nil {
			return fmt.Errorf("demo handover %s: %w", x.s.Date, err)
		}
		if i == open {
			continue
		}
		incoming := p.person[h.ToID]
		seqs := []int{0}
		if len(h.Matters) > 0 {
			seqs = seqs[:0]
			for _, m := range h.Matters {
				seqs = append(seqs, m.Seq)
			}
		}
		for k, seq := range seqs {
			when := x.s.End.Add(time.Duration(5+k) * time.Minute)
			if when.After(now) {
				break
			}
			if err := write(when, func(tx *store.Tx) error {
				_, err := tx.AcknowledgeDuty(ctx, incoming, h.ID, seq)
				return err
			}); err != nil {
				return fmt.Errorf("demo acknowledgement %s: %w", x.s.Date, err)
			}
		}
	}
	return write(now, func(tx *store.Tx) error { return tx.PutSetting(ctx, dutySeededKey, "done") })
}

// dutyPeople is who keeps the 政府办's duty in the demo.
type dutyPeople struct {
	office   string
	director org.Person
	leaders  []string // the office's director and deputies (the district's leaders keep their own calendars free for meetings)
	staff    []string // people of its sections, wenmi and ducha among them
	person   map[string]org.Person
	units    []string // towns and departments that call
}

func dutyPlan(d District) (dutyPeople, error) {
	p := dutyPeople{person: map[string]org.Person{}}
	for _, pr := range d.People {
		p.person[pr.ID] = pr
	}
	for _, u := range d.Units {
		if u.ShortName == "政府办" {
			p.office = u.ID
		}
		if u.Kind == org.KindTown || u.Kind == org.KindDepartment {
			p.units = append(p.units, u.Name)
		}
	}
	if p.office == "" {
		return p, errors.New("demo: no 政府办")
	}
	sections := map[string]bool{}
	for _, u := range d.Units {
		if u.ParentID == p.office && u.Kind == org.KindSection {
			sections[u.ID] = true
		}
	}
	login := map[string]string{}
	for _, pr := range d.People {
		login[pr.Login] = pr.ID
	}
	p.director = p.person[login["zhuren"]]
	p.leaders = []string{p.director.ID}
	for _, pos := range d.Positions {
		if pos.UnitID == p.office && pos.PersonID != p.director.ID && strings.Contains(pos.Title, "主任") && len(p.leaders) < 4 && !slices.Contains(p.leaders, pos.PersonID) {
			p.leaders = append(p.leaders, pos.PersonID)
		}
	}
	p.staff = []string{login["wenmi"], login["ducha"]}
	perSection := map[string]int{}
	for _, pos := range d.Positions {
		if sections[pos.UnitID] && !slices.Contains(p.staff, pos.PersonID) && !slices.Contains(p.leaders, pos.PersonID) &&
			!org.HeadTitle(pos.Title) && perSection[pos.UnitID] < 2 && len(p.staff) < 8 {
			p.staff = append(p.staff, pos.PersonID)
			perSection[pos.UnitID]++
		}
	}
	if p.director.ID == "" || len(p.staff) < 3 || len(p.leaders) < 2 {
		return p, errors.New("demo: the 政府办 lacks people for its duty")
	}
	return p, nil
}

var (
	dutyCallers = []string{"刘建华", "陈晓燕", "杨志强", "黄丽娟", "周国平", "吴海涛", "郑秀英", "孙伟东", "马玉兰", "胡立新"}
	dutyCalls   = []struct{ content, handling string }{
		{"报告辖区夜间降温，部分路段可能结冰", "已转告区交通运输局、区城管局做好除冰准备"},
		{"市政府总值班室查询本区值班安排和带班领导", "已报告带班领导，按要求报送值班表"},
		{"反映某小区夜间施工噪声扰民", "已转区生态环境分局和属地街道处理，请次日反馈"},
		{"报告辖区一处供水管道破裂，正在抢修", "已通知区水务局，要求抢修完毕后报告"},
		{"市应急管理局通知做好寒潮天气防范应对", "已传达各镇街和区直有关部门值班室"},
		{"询问明日区政府常务会议材料报送时间", "已告知秘书科，次日上午 10 时前报送"},
		{"报告辖区一起轻微交通事故，无人员伤亡", "已记录，交警已到场处置"},
		{"市委办公室值班室核对节假日值班人员手机号码", "已核对并回复"},
	}
)

// dutyEntries are a shift's log lines: one to three calls in the evening,
// every fifth shift an instruction passed on, and on the event's shift a
// 较大 event.
func dutyEntries(p dutyPeople, s duty.Shift, i int, event bool) []duty.Entry {
	var out []duty.Entry
	for k := range i%3 + 1 {
		c := dutyCalls[(i*3+k)%len(dutyCalls)]
		out = append(out, duty.Entry{Kind: duty.Call, At: s.Start.Add(time.Duration(10+k*3)*time.Hour + time.Duration((i*7+k*13)%50)*time.Minute),
			Party: dutyCallers[(i+k)%len(dutyCallers)], PartyUnit: p.units[(i*5+k)%len(p.units)], Content: c.content, Handling: c.handling})
	}
	if i%5 == 2 {
		out = append(out, duty.Entry{Kind: duty.Instruction, At: s.Start.Add(12*time.Hour + 15*time.Minute), Party: p.person[s.LeaderID].Name,
			Content: "强降温期间各镇街值班人员在岗在位，遇突发情况第一时间报告", Handling: "已传达至各镇街、区直部门值班室"})
	}
	if event {
		out = append(out, duty.Entry{Kind: duty.Event, At: s.Start.Add(14*time.Hour + 40*time.Minute), Party: dutyCallers[3], PartyUnit: p.units[0],
			Title: "城东片区燃气管道泄漏", Level: duty.LevelIII,
			Content:  "施工挖断中压燃气管道，周边两栋居民楼约 120 人已疏散，无人员伤亡",
			Handling: "已通知区住建局、燃气公司和消防救援大队到场处置，属地街道做好群众安置；情况已报告带班领导和分管领导"})
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].At.Before(out[b].At) })
	return out
}

func dutySummary(i int, event bool) string {
	if event {
		return "处置城东片区燃气管道泄漏一起（较大），已按规定报告；其余来电均已转办"
	}
	return fmt.Sprintf("接听来电 %d 个，均已按程序处理；值班期间平稳，无异常情况", i%3+1)
}

func dutyMatters(i int, event bool) []string {
	switch {
	case event:
		return []string{"燃气泄漏现场次日 9 时前向区住建局了解抢修进展并报带班领导", "疏散群众安置情况请属地街道上午报送"}
	case i%4 == 1:
		return []string{dutyCalls[(i*3)%len(dutyCalls)].handling + "，请跟进反馈"}
	}
	return nil
}
