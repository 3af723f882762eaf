package research

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

var (
	sh = time.FixedZone("CST", 8*3600)
	t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, sh)
)

func topic(t *testing.T) Topic {
	t.Helper()
	tp, err := Create(NewTopic{ID: "rt1", OfficeID: "off", Title: "关于乡村振兴产业项目的调研", Source: ByLeader, SetBy: "ldr",
		Assignees: []Assignee{{UnitID: "u1"}, {UnitID: "u2", PersonID: "p2"}}, Due: t0.Add(30 * 24 * time.Hour)}, "clerk", t0)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

func refused(err error, want string) bool {
	var r *Refusal
	return errors.As(err, &r) && strings.Contains(r.Msg, want)
}

func TestCreate(t *testing.T) {
	due := t0.Add(24 * time.Hour)
	ok := NewTopic{ID: "x", OfficeID: "off", Title: "课题", Source: ByOffice, Assignees: []Assignee{{UnitID: "u1"}}, Due: due}
	for _, c := range []struct {
		name string
		edit func(n *NewTopic)
		want string
	}{
		{"ok", func(*NewTopic) {}, ""},
		{"no title", func(n *NewTopic) { n.Title = "  " }, "请填写调研课题"},
		{"bad source", func(n *NewTopic) { n.Source = "x" }, "课题来源"},
		{"leader without leader", func(n *NewTopic) { n.Source = ByLeader }, "点题领导"},
		{"no assignees", func(n *NewTopic) { n.Assignees = nil }, "承担单位"},
		{"duplicate", func(n *NewTopic) { n.Assignees = []Assignee{{UnitID: "u1"}, {UnitID: "u1"}} }, "重复"},
		{"past due", func(n *NewTopic) { n.Due = t0.Add(-time.Hour) }, "不能早于"},
		{"no due", func(n *NewTopic) { n.Due = time.Time{} }, "完成时限"},
		{"long title", func(n *NewTopic) { n.Title = strings.Repeat("调", MaxTitle+1) }, "limit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := ok
			c.edit(&n)
			tp, err := Create(n, "clerk", t0)
			switch {
			case c.want == "" && err != nil:
				t.Fatal(err)
			case c.want == "limit":
				if !errors.Is(err, textlimit.ErrTooLong) {
					t.Fatalf("got %v, want a limit error", err)
				}
			case c.want != "" && !refused(err, c.want):
				t.Fatalf("got %v, want %q", err, c.want)
			case c.want == "" && (tp.State != Open || tp.SetBy != "clerk" || len(tp.History) != 1):
				t.Fatalf("topic %+v", tp)
			}
		})
	}
}

func TestReportReview(t *testing.T) {
	tp := topic(t)
	orig := tp
	for _, c := range []struct {
		name string
		op   func(Topic) (Topic, error)
		want string
	}{
		{"plan by stranger", func(tp Topic) (Topic, error) { return AddPlan(tp, "u9", "p", "方案", t0) }, "只有承担单位"},
		{"plan", func(tp Topic) (Topic, error) { return AddPlan(tp, "u1", "p1", "一、调研对象……", t0) }, ""},
		{"plan replaced", func(tp Topic) (Topic, error) { return AddPlan(tp, "u1", "p1", "二稿", t0) }, ""},
		{"submit by stranger", func(tp Topic) (Topic, error) {
			tp, _, err := Submit(tp, "u9", "p", "报告", "正文", t0)
			return tp, err
		}, "只有承担单位"},
		{"submit", func(tp Topic) (Topic, error) {
			tp, _, err := Submit(tp, "u1", "p1", "关于产业项目的调研报告", "一是项目落地快，二是带动就业明显。", t0)
			return tp, err
		}, ""},
		{"second pending", func(tp Topic) (Topic, error) {
			tp, _, err := Submit(tp, "u1", "p1", "又一份", "正文", t0)
			return tp, err
		}, "待审核"},
		{"return without reason", func(tp Topic) (Topic, error) { return Return(tp, 1, "ed", " ", t0) }, "理由"},
		{"return", func(tp Topic) (Topic, error) { return Return(tp, 1, "ed", "数据来源不清", t0) }, ""},
		{"accept returned", func(tp Topic) (Topic, error) { return Accept(tp, 1, "ed", t0) }, "不在审核中"},
		{"resubmit", func(tp Topic) (Topic, error) {
			tp, no, err := Submit(tp, "u1", "p1", "关于产业项目的调研报告", "一是项目落地块，二是带动就业明显。", t0)
			if err == nil && no != 2 {
				t.Fatalf("no %d", no)
			}
			return tp, err
		}, ""},
		{"correct stale", func(tp Topic) (Topic, error) { return Correct(tp, 2, "ed", 6, 7, "快", "快", t0) }, "重新校对"},
		{"correct", func(tp Topic) (Topic, error) { return Correct(tp, 2, "ed", 6, 7, "块", "快", t0) }, ""},
		{"ignore", func(tp Topic) (Topic, error) { return Ignore(tp, 2, "ed", "k1", t0) }, ""},
		{"instruction before accept", func(tp Topic) (Topic, error) {
			return AddInstruction(tp, 2, Instruction{Leader: "区委书记", Text: "阅", At: t0}, "ed", t0)
		}, "采用后"},
		{"close with pending", func(tp Topic) (Topic, error) { return Close(tp, "ed", t0) }, "待审核"},
		{"accept", func(tp Topic) (Topic, error) { return Accept(tp, 2, "ed", t0) }, ""},
		{"instruction future", func(tp Topic) (Topic, error) {
			return AddInstruction(tp, 2, Instruction{Leader: "区委书记", Text: "阅", At: t0.Add(48 * time.Hour)}, "ed", t0)
		}, "晚于"},
		{"instruction", func(tp Topic) (Topic, error) {
			return AddInstruction(tp, 2, Instruction{Leader: "区委书记 张明", Text: "请区农业农村局抓好落实", At: t0}, "ed", t0)
		}, ""},
		{"link bad", func(tp Topic) (Topic, error) { return LinkSupervision(tp, 2, 1, "ed", "s1", t0) }, "没有这条批示"},
		{"link", func(tp Topic) (Topic, error) { return LinkSupervision(tp, 2, 0, "ed", "s1", t0) }, ""},
		{"link twice", func(tp Topic) (Topic, error) { return LinkSupervision(tp, 2, 0, "ed", "s2", t0) }, "已转为督办"},
		{"close", func(tp Topic) (Topic, error) { return Close(tp, "ed", t0) }, ""},
		{"submit closed", func(tp Topic) (Topic, error) {
			tp, _, err := Submit(tp, "u2", "p2", "报告", "正文", t0)
			return tp, err
		}, "已结题"},
	} {
		next, err := c.op(tp)
		if c.want == "" && err != nil || c.want != "" && !refused(err, c.want) {
			t.Fatalf("%s: got %v, want %q", c.name, err, c.want)
		}
		if err == nil {
			tp = next
		}
	}
	r, _ := tp.Report(2)
	if r.Body != "一是项目落地快，二是带动就业明显。" || r.Corrected != 1 || len(r.Ignored) != 1 || r.Instructions[0].SupItemID != "s1" {
		t.Fatalf("report %+v", r)
	}
	if lib := tp.Library(); len(lib) != 1 || lib[0].No != 2 || !lib[0].Instructed || lib[0].UnitID != "u1" {
		t.Fatalf("library %+v", lib)
	}
	if m := tp.Missing(); len(m) != 1 || m[0] != "u2" {
		t.Fatalf("missing %v", m)
	}
	if len(orig.Reports) != 0 || len(orig.History) != 1 {
		t.Fatal("an operation changed its input")
	}
	if !strings.Contains(SupervisionTitle(r, r.Instructions[0]), "《关于产业项目的调研报告》") {
		t.Fatal(SupervisionTitle(r, r.Instructions[0]))
	}
}

func TestTrips(t *testing.T) {
	tp := topic(t)
	start := t0.Add(48 * time.Hour)
	for _, c := range []struct {
		name string
		tr   Trip
		want string
	}{
		{"no place", Trip{ID: "t1", Start: start, End: start.Add(time.Hour)}, "调研地点"},
		{"backwards", Trip{ID: "t1", Place: "青石镇", Start: start, End: start}, "晚于"},
		{"too long", Trip{ID: "t1", Place: "青石镇", Start: start, End: start.Add(16 * 24 * time.Hour)}, "分段"},
		{"ok", Trip{ID: "t1", Place: "青石镇", Purpose: "察看产业园", Start: start, End: start.Add(3 * time.Hour), Leaders: []string{"ldr", "ldr", ""}, Members: []string{"王科长", " "}}, ""},
		{"duplicate", Trip{ID: "t1", Place: "青石镇", Start: start, End: start.Add(time.Hour)}, "重复"},
	} {
		next, err := AddTrip(tp, c.tr, "clerk", t0)
		if c.want == "" && err != nil || c.want != "" && !refused(err, c.want) {
			t.Fatalf("%s: got %v, want %q", c.name, err, c.want)
		}
		if err == nil {
			tp = next
		}
	}
	es := ScheduleEntries(tp, tp.Trips[0])
	if len(es) != 1 || es[0].PersonID != "ldr" || es[0].Source != (planner.Source{Kind: planner.SourceResearch, ID: "t1"}) || es[0].Place != "青石镇" || len(tp.Trips[0].Members) != 1 {
		t.Fatalf("entries %+v trip %+v", es, tp.Trips[0])
	}
	for _, e := range es {
		if err := e.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	tp, err := CancelTrip(tp, "t1", "clerk", t0)
	if err != nil || len(ScheduleEntries(tp, tp.Trips[0])) != 0 {
		t.Fatalf("cancel: %v", err)
	}
	if _, err := CancelTrip(tp, "t1", "clerk", t0); !refused(err, "已取消") {
		t.Fatal(err)
	}
}

func TestOverdue(t *testing.T) {
	tp := topic(t)
	if tp.Overdue(t0) || !tp.Overdue(tp.Due.Add(time.Minute)) {
		t.Fatal("overdue")
	}
}

func TestSupervisionRef(t *testing.T) {
	for _, c := range []struct {
		in string
		id string
		no int
		ok bool
	}{
		{"rt1#2", "rt1", 2, true}, {"rt1#0", "", 0, false}, {"#1", "", 0, false}, {"rt1#02", "", 0, false}, {"rt1", "", 0, false}, {"a#b#1", "", 0, false},
	} {
		id, no, ok := ParseSupervisionRef(c.in)
		if id != c.id || no != c.no || ok != c.ok {
			t.Errorf("%q: %q %d %v", c.in, id, no, ok)
		}
	}
	if id, no, ok := ParseSupervisionRef(SupervisionRef("r-9", 14)); !ok || id != "r-9" || no != 14 {
		t.Fatal("round trip")
	}
}

func FuzzParseSupervisionRef(f *testing.F) {
	f.Add("rt1#2")
	f.Fuzz(func(t *testing.T, s string) {
		id, no, ok := ParseSupervisionRef(s)
		if ok && SupervisionRef(id, no) != s {
			t.Fatalf("%q → %q %d", s, id, no)
		}
	})
}

// TestStatus: a topic is 调研中 until its deadline, 已逾期 after it while a
// unit owes a report, 已完成 once every unit's report is accepted (before or
// after the deadline — the demo's topic with both reports accepted and its
// date passed), not while a report is still under review, and 已结题 once
// closed.
func TestStatus(t *testing.T) {
	before, after := t0.Add(24*time.Hour), t0.Add(40*24*time.Hour)
	submitted := func(tp Topic, unit string) Topic {
		tp, _, err := Submit(tp, unit, "p", "报告"+unit, "正文", t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return tp
	}
	accepted := func(tp Topic, unit string) Topic {
		tp = submitted(tp, unit)
		tp, err := Accept(tp, len(tp.Reports), "clerk", t0.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return tp
	}
	returned := func(tp Topic, unit string) Topic {
		tp = submitted(tp, unit)
		tp, err := Return(tp, len(tp.Reports), "clerk", "请补充数据", t0.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return tp
	}
	closed := func(tp Topic) Topic {
		tp, err := Close(tp, "clerk", t0.Add(3*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return tp
	}
	base := topic(t)
	cases := []struct {
		name string
		tp   Topic
		now  time.Time
		want Status
	}{
		{"new", base, before, InProgress},
		{"new, past its date", base, after, Late},
		{"one of two accepted", accepted(base, "u1"), before, InProgress},
		{"one of two accepted, past its date", accepted(base, "u1"), after, Late},
		{"both accepted", accepted(accepted(base, "u1"), "u2"), before, Completed},
		{"both accepted, past its date", accepted(accepted(base, "u1"), "u2"), after, Completed},
		{"both accepted, one more under review", submitted(accepted(accepted(base, "u1"), "u2"), "u1"), after, Late},
		{"one returned, one accepted", accepted(returned(base, "u1"), "u2"), before, InProgress},
		{"returned then accepted", accepted(accepted(returned(base, "u1"), "u1"), "u2"), after, Completed},
		{"closed early", closed(base), before, Concluded},
		{"closed complete", closed(accepted(accepted(base, "u1"), "u2")), after, Concluded},
	}
	for _, c := range cases {
		if got := c.tp.Status(c.now); got != c.want {
			t.Errorf("%s: %s (%s), want %s", c.name, got, got.Label(), c.want)
		}
	}
	if Completed.Label() != "已完成" || Late.Label() != "已逾期" || InProgress.Label() != "调研中" || Concluded.Label() != "已结题" {
		t.Error("labels")
	}
}

// TestUrge: only past the deadline, only units with no accepted report and
// none under review, each at most once a day; urging records when.
func TestUrge(t *testing.T) {
	tp := topic(t)
	after := tp.Due.Add(time.Hour)
	if got := tp.ToUrge(tp.Due.Add(-time.Hour)); got != nil {
		t.Fatalf("before the deadline: %v", got)
	}
	tp, _, _ = Submit(tp, "u2", "p2", "报告", "正文", t0.Add(time.Hour))
	if got := tp.ToUrge(after); len(got) != 1 || got[0] != "u1" {
		t.Fatalf("to urge: %v (u2's report is under review)", got)
	}
	u, err := Urge(tp, []string{"u1"}, "clerk", after)
	if err != nil || !u.Urged["u1"].Equal(after) || u.History[len(u.History)-1].Action != "urge" || tp.Urged != nil {
		t.Fatalf("urge: %v %v", err, u.Urged)
	}
	if got := u.ToUrge(after.Add(23 * time.Hour)); len(got) != 0 {
		t.Fatalf("urged again within the day: %v", got)
	}
	if got := u.ToUrge(after.Add(24 * time.Hour)); len(got) != 1 {
		t.Fatalf("next day: %v", got)
	}
	if _, err := Urge(tp, nil, "clerk", after); !refused(err, "没有需要催报") {
		t.Fatalf("urge nobody: %v", err)
	}
	c, _ := Return(u, 1, "clerk", "重写", after)
	c, _ = Close(c, "clerk", after)
	if got := c.ToUrge(after.Add(48 * time.Hour)); got != nil {
		t.Fatalf("closed topic: %v", got)
	}
	if s, b := UrgeText(tp, "白沙镇"); !strings.Contains(s, tp.Title) || !strings.Contains(b, "白沙镇") {
		t.Fatal(s, b)
	}
}
