package planner_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/planner"
)

func rowText(rs []planner.Row) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.Date[5:]+" "+r.Period+" "+r.Time+" "+r.Content+" "+r.LeaderNames()+" "+r.Place)
	}
	return out
}

func TestAssemble(t *testing.T) {
	leaders := []planner.Leader{{ID: "zhang", Name: "张区长"}, {ID: "li", Name: "李副区长"}, {ID: "wang", Name: "王副区长"}}
	e := func(person, title, from, to string, vis planner.Visibility) planner.Entry {
		return planner.Entry{ID: title + person, PersonID: person, Title: title, Place: "区政府第一会议室", Start: at(t, from), End: at(t, to), Visibility: vis}
	}
	mtg := planner.Source{Kind: planner.SourceMeeting, ID: "m1"}
	withSrc := func(x planner.Entry) planner.Entry { x.Source = mtg; return x }
	allDay := func(person, title, first, last string) planner.Entry {
		s, f := planner.AllDayRange(at(t, first+" 00:00"), at(t, last+" 00:00"), sh)
		return planner.Entry{ID: title, PersonID: person, Title: title, Start: s, End: f, AllDay: true, Visibility: planner.Organ}
	}
	cases := []struct {
		name    string
		entries []planner.Entry
		want    []string
	}{
		{"nothing", nil, []string{}},
		{"one meeting of three leaders is one row, in the organ's order", []planner.Entry{
			withSrc(e("wang", "区政府常务会议", "2026-12-08 09:00", "2026-12-08 11:30", planner.Organ)),
			withSrc(e("zhang", "区政府常务会议", "2026-12-08 09:00", "2026-12-08 11:30", planner.Organ)),
			withSrc(e("li", "区政府常务会议", "2026-12-08 09:00", "2026-12-08 11:30", planner.Organ)),
		}, []string{"12-08 上午 09:00–11:30 区政府常务会议 张区长、李副区长、王副区长 区政府第一会议室"}},
		{"leaders-only and private entries stay out", []planner.Entry{
			e("zhang", "谈话", "2026-12-08 15:00", "2026-12-08 16:00", planner.Leaders),
			e("li", "体检", "2026-12-08 08:00", "2026-12-08 09:00", planner.Private),
		}, []string{}},
		{"someone not a leader of the organ stays out", []planner.Entry{e("zhao", "调研", "2026-12-08 09:00", "2026-12-08 10:00", planner.Organ)}, []string{}},
		{"outside the week stays out; touching its edges too", []planner.Entry{
			e("li", "上周", "2026-12-06 20:00", "2026-12-07 00:00", planner.Organ),
			e("li", "下周", "2026-12-14 00:00", "2026-12-14 09:00", planner.Organ),
		}, []string{}},
		{"ordered by day, time, then leader", []planner.Entry{
			e("wang", "下午调研", "2026-12-09 14:30", "2026-12-09 17:00", planner.Organ),
			e("li", "晚上督查", "2026-12-09 19:30", "2026-12-09 21:00", planner.Organ),
			e("li", "上午接访", "2026-12-09 09:00", "2026-12-09 11:00", planner.Organ),
			e("zhang", "上午会见", "2026-12-09 09:00", "2026-12-09 10:00", planner.Organ),
			e("wang", "周一", "2026-12-07 09:00", "2026-12-07 10:00", planner.Organ),
		}, []string{
			"12-07 上午 09:00–10:00 周一 王副区长 区政府第一会议室",
			"12-09 上午 09:00–10:00 上午会见 张区长 区政府第一会议室",
			"12-09 上午 09:00–11:00 上午接访 李副区长 区政府第一会议室",
			"12-09 下午 14:30–17:00 下午调研 王副区长 区政府第一会议室",
			"12-09 晚上 19:30–21:00 晚上督查 李副区长 区政府第一会议室",
		}},
		{"a three-day trip is a row on each day, cut to the week", []planner.Entry{allDay("li", "赴省参加培训", "2026-12-12", "2026-12-15")},
			[]string{"12-12 全天  赴省参加培训 李副区长 ", "12-13 全天  赴省参加培训 李副区长 "}},
		{"across midnight: a row each day", []planner.Entry{e("wang", "防汛值守", "2026-12-10 20:00", "2026-12-11 02:00", planner.Organ)},
			[]string{"12-10 晚上 20:00–24:00 防汛值守 王副区长 区政府第一会议室", "12-11 上午 00:00–02:00 防汛值守 王副区长 区政府第一会议室"}},
		{"a timed entry covering a whole day is all day", []planner.Entry{e("zhang", "驻村", "2026-12-08 00:00", "2026-12-09 00:00", planner.Organ)},
			[]string{"12-08 全天  驻村 张区长 区政府第一会议室"}},
		{"the same title at other times is another row", []planner.Entry{
			e("zhang", "调度会", "2026-12-08 09:00", "2026-12-08 10:00", planner.Organ),
			e("li", "调度会", "2026-12-08 15:00", "2026-12-08 16:00", planner.Organ),
		}, []string{"12-08 上午 09:00–10:00 调度会 张区长 区政府第一会议室", "12-08 下午 15:00–16:00 调度会 李副区长 区政府第一会议室"}},
		{"the same leader twice on one meeting is named once", []planner.Entry{
			withSrc(e("li", "专题会", "2026-12-08 09:00", "2026-12-08 10:00", planner.Organ)),
			withSrc(e("li", "专题会", "2026-12-08 09:00", "2026-12-08 10:00", planner.Organ)),
		}, []string{"12-08 上午 09:00–10:00 专题会 李副区长 区政府第一会议室"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Any day of the week names the week.
			got := rowText(planner.Assemble(at(t, "2026-12-10 15:00"), sh, leaders, c.entries))
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestWeekStart(t *testing.T) {
	for in, want := range map[string]string{"2026-12-07 00:00": "2026-12-07", "2026-12-13 23:59": "2026-12-07", "2026-12-14 00:00": "2026-12-14", "2027-01-01 12:00": "2026-12-28"} {
		if got := planner.WeekStart(at(t, in), sh).Format("2006-01-02"); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}

func TestCheckRows(t *testing.T) {
	mon := at(t, "2026-12-07 00:00")
	ok := planner.Row{Date: "2026-12-08", Period: "上午", Content: "会议", Leaders: []string{"张区长"}}
	cases := []struct {
		name string
		edit func(r *planner.Row)
		want string
	}{
		{"fine", func(r *planner.Row) {}, ""},
		{"Sunday is in the week", func(r *planner.Row) { r.Date = "2026-12-13" }, ""},
		{"next Monday is not", func(r *planner.Row) { r.Date = "2026-12-14" }, "不在本周"},
		{"last Sunday is not", func(r *planner.Row) { r.Date = "2026-12-06" }, "不在本周"},
		{"a bad date", func(r *planner.Row) { r.Date = "12-08" }, "不在本周"},
		{"a bad period", func(r *planner.Row) { r.Period = "中午" }, "时段"},
		{"no content", func(r *planner.Row) { r.Content = " " }, "活动内容"},
		{"no leader", func(r *planner.Row) { r.Leaders = nil }, "出席领导"},
		{"too long", func(r *planner.Row) { r.Content = strings.Repeat("长", planner.MaxContent+1) }, "过长"},
	}
	for _, c := range cases {
		r := ok
		c.edit(&r)
		err := planner.CheckRows(mon, sh, []planner.Row{ok, r})
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v", c.name, err)
		}
		if err != nil && !strings.Contains(err.Error(), "第 2 行") {
			t.Errorf("%s: names no row: %v", c.name, err)
		}
	}
}

// The programme's life: drafted, submitted, returned, approved, published,
// withdrawn; every other step refused with the reason.
func TestProgrammeApply(t *testing.T) {
	now := at(t, "2026-12-04 16:00")
	rows := []planner.Row{{Date: "2026-12-08", Period: "上午", Content: "会议", Leaders: []string{"张区长"}}}
	type step struct {
		op     planner.Op
		rows   []planner.Row
		note   string
		status planner.Status
		refuse string
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"the usual week", []step{
			{op: planner.OpAssemble, rows: rows, status: planner.Draft},
			{op: planner.OpSubmit, status: planner.Submitted},
			{op: planner.OpApprove, status: planner.Approved},
			{op: planner.OpPublish, status: planner.Published},
		}},
		{"returned with a reason, edited and resubmitted", []step{
			{op: planner.OpSave, rows: rows, status: planner.Draft},
			{op: planner.OpSubmit, status: planner.Submitted},
			{op: planner.OpReturn, note: " ", refuse: "修改意见"},
			{op: planner.OpReturn, note: "周三下午的地点有误", status: planner.Draft},
			{op: planner.OpSave, rows: rows, status: planner.Draft},
			{op: planner.OpSubmit, status: planner.Submitted},
			{op: planner.OpApprove, status: planner.Approved},
		}},
		{"nothing to submit", []step{{op: planner.OpSubmit, refuse: "没有内容"}}},
		{"not published before approval", []step{
			{op: planner.OpSave, rows: rows, status: planner.Draft},
			{op: planner.OpPublish, refuse: "审定后"},
			{op: planner.OpSubmit, status: planner.Submitted},
			{op: planner.OpPublish, refuse: "审定后"},
			{op: planner.OpSave, rows: rows, refuse: "待审定"},
		}},
		{"approve only what is submitted", []step{
			{op: planner.OpApprove, refuse: "待审定"},
			{op: planner.OpReturn, note: "x", refuse: "待审定"},
		}},
		{"a published programme is withdrawn to be changed", []step{
			{op: planner.OpSave, rows: rows, status: planner.Draft},
			{op: planner.OpSubmit, status: planner.Submitted},
			{op: planner.OpApprove, status: planner.Approved},
			{op: planner.OpPublish, status: planner.Published},
			{op: planner.OpAssemble, rows: rows, refuse: "已发布"},
			{op: planner.OpWithdraw, status: planner.Draft},
			{op: planner.OpWithdraw, refuse: "无需撤回"},
			{op: planner.OpSave, rows: rows, status: planner.Draft},
		}},
		{"an unknown operation", []step{{op: "delete", refuse: "未知操作"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := planner.Programme{OrganID: "gov", Week: "2026-12-07"}
			for i, s := range c.steps {
				next, err := p.Apply(s.op, "office", now, s.rows, s.note)
				if s.refuse != "" {
					var ref *planner.Refusal
					if !errors.As(err, &ref) || !strings.Contains(err.Error(), s.refuse) {
						t.Fatalf("step %d %s: %v, want a refusal with %q", i, s.op, err, s.refuse)
					}
					if next.Version != p.Version || next.Status != p.Status && p.Status != "" {
						t.Fatalf("step %d: a refusal changed the programme", i)
					}
					continue
				}
				if err != nil {
					t.Fatalf("step %d %s: %v", i, s.op, err)
				}
				if next.Status != s.status || next.Version != p.Version+1 {
					t.Fatalf("step %d %s: status %s version %d", i, s.op, next.Status, next.Version)
				}
				p = next
			}
			if p.Status == planner.Published && (p.ApprovedBy != "office" || p.PublishedAt.IsZero()) {
				t.Errorf("published without its approval: %+v", p)
			}
		})
	}
}
