package supervise

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"
)

// TestLifeOfAnItem is the story: a leader's instruction becomes an
// item; two units sign for it; one misses a progress report and turns
// yellow; the deadline passes, it turns red and escalates; an extension is
// asked and granted; evidence is submitted, returned once, resubmitted and
// closed.
func TestLifeOfAnItem(t *testing.T) {
	r, sw := rules(t), sweep(t)
	over := NewOverseers(testOversight)
	ok := must(t)

	n := newItem("dc-1")
	it := ok(r.Create(n, sup, at(3, 2, 9, 0)))
	if it.State != Registered || it.Instruction != n.Instruction || it.Ref != "doc-7" {
		t.Fatalf("after 立项: %+v", it)
	}
	it = ok(r.Assign(it, sup, at(3, 2, 9, 30)))
	if it.State != Assigned {
		t.Fatalf("after 交办 state %s", it.State)
	}
	// 10 working days from Monday 09:30: counting starts Tuesday, so due Monday 16 March at close.
	if want := at(3, 16, 17, 30); !it.Deadline.Due.Equal(want) || !it.Deadline.Original.Equal(want) {
		t.Fatalf("deadline %v, want %v", it.Deadline, want)
	}
	it = ok(r.SignFor(it, townA, "town1", at(3, 2, 10, 0)))
	if it.State != Assigned {
		t.Fatalf("one unit signed: state %s, want still 待签收", it.State)
	}
	refused(t, "不是")(r.SignFor(it, townA, "dept2", at(3, 2, 10, 5)))
	it = ok(r.SignFor(it, deptB, "dept2", at(3, 2, 11, 0)))
	if it.State != InProgress {
		t.Fatalf("both signed: state %s", it.State)
	}
	if c := sw.ColorAt(&it, at(3, 3, 9, 0)); c != Green {
		t.Fatalf("fresh item light %s", c)
	}

	// Friday 6 March: the town reports, the department does not.
	it = ok(r.Report(it, townA, ReportInput{UnitID: "town1", Text: "已完成摸底调查"}, at(3, 6, 10, 0)))
	if c := sw.ColorAt(&it, at(3, 6, 17, 0)); c != Green {
		t.Fatalf("before the report is due: %s", c)
	}
	l := sw.LightAt(&it, at(3, 6, 17, 31))
	if l.Color != Yellow || len(l.Reasons) != 1 || l.Reasons[0].Kind != ReasonReportMissing || l.Reasons[0].UnitID != "dept2" {
		t.Fatalf("missed report: %+v", l)
	}
	it = ok(r.Report(it, deptB, ReportInput{UnitID: "dept2", Text: "已配合完成方案"}, at(3, 9, 9, 0)))
	if c := sw.ColorAt(&it, at(3, 9, 9, 1)); c != Green {
		t.Fatalf("after the late report: %s", c)
	}
	// Within 3 working days of the deadline (Wed 11th: 12, 13, 16 left).
	it = ok(r.Report(it, townA, ReportInput{UnitID: "town1", Text: "施工队进场"}, at(3, 13, 9, 0)))
	it = ok(r.Report(it, deptB, ReportInput{UnitID: "dept2", Text: "图纸已审"}, at(3, 13, 9, 0)))
	if l := sw.LightAt(&it, at(3, 11, 9, 0)); l.Color != Yellow || l.Reasons[0].Kind != ReasonDueSoon {
		t.Fatalf("due soon: %+v", l)
	}
	if c := sw.ColorAt(&it, at(3, 10, 9, 0)); c != Green {
		t.Fatalf("4 working days left: %s", c)
	}
	// The deadline passes: red, escalated to the vice mayor who oversees the town.
	if c := sw.ColorAt(&it, at(3, 16, 17, 30)); c == Red {
		t.Fatal("red at the due instant itself")
	}
	if c := sw.ColorAt(&it, at(3, 16, 17, 31)); c != Red {
		t.Fatalf("after the deadline: %s", c)
	}
	if got := over.EscalateTo(&it); !reflect.DeepEqual(got, []string{"vm"}) {
		t.Fatalf("escalates to %v", got)
	}
	ns := sw.Due(&it, over, at(3, 16, 17, 0), at(3, 16, 18, 0))
	if !hasNotice(ns, NoticeEscalate, "vm") || !hasNotice(ns, NoticeOverdue, "") {
		t.Fatalf("overdue notices: %+v", ns)
	}

	// Extension asked by the lead unit and granted; the original stays on record.
	refused(t, "牵头单位")(r.RequestExtension(it, deptB, ExtensionInput{UnitID: "dept2", Asked: at(3, 27, 17, 30), Reason: "x"}, at(3, 17, 9, 0)))
	refused(t, "理由")(r.RequestExtension(it, townA, ExtensionInput{UnitID: "town1", Asked: at(3, 27, 17, 30)}, at(3, 17, 9, 0)))
	it = ok(r.RequestExtension(it, townA, ExtensionInput{UnitID: "town1", Asked: at(3, 27, 17, 30), Reason: "雨季影响施工"}, at(3, 17, 9, 0)))
	refused(t, "待审批")(r.RequestExtension(it, townA, ExtensionInput{UnitID: "town1", Asked: at(3, 30, 17, 30), Reason: "再延"}, at(3, 17, 9, 5)))
	seq := it.Extensions[0].Seq
	refused(t, "督查室")(r.DecideExtension(it, townA, seq, true, time.Time{}, "", at(3, 17, 10, 0)))
	it = ok(r.DecideExtension(it, sup, seq, true, time.Time{}, "同意", at(3, 17, 10, 0)))
	if !it.Deadline.Original.Equal(at(3, 16, 17, 30)) || !it.Deadline.Due.Equal(at(3, 27, 17, 30)) || it.ExtensionsGranted() != 1 {
		t.Fatalf("after extension: %+v, %d granted", it.Deadline, it.ExtensionsGranted())
	}
	if c := sw.ColorAt(&it, at(3, 17, 10, 1)); c != Green {
		t.Fatalf("after extension light %s", c)
	}

	// Evidence submitted, returned once, resubmitted and closed.
	refused(t, "牵头单位")(r.RequestClose(it, deptB, Evidence{Text: "完成"}, at(3, 20, 9, 0)))
	refused(t, "办理情况")(r.RequestClose(it, townA, Evidence{}, at(3, 20, 9, 0)))
	it = ok(r.RequestClose(it, townA, Evidence{Text: "改造完成", Attachments: []Attachment{{Name: "验收单.pdf", SHA256: sha}}}, at(3, 20, 9, 0)))
	if it.State != PendingReview || !it.Units[1].Released {
		t.Fatalf("after 申请办结: %s, co-unit released %v", it.State, it.Units[1].Released)
	}
	refused(t, "理由")(r.Review(it, sup, false, " ", at(3, 20, 10, 0)))
	refused(t, "督查室")(r.Review(it, townA, true, "", at(3, 20, 10, 0)))
	it = ok(r.Review(it, sup, false, "缺少居民满意度调查", at(3, 20, 10, 0)))
	if it.State == PendingReview || it.State == Closed || it.Submits[0].Outcome != OutcomeReturned {
		t.Fatalf("after 退回: %s %+v", it.State, it.Submits[0])
	}
	// The returned item is handed back to the person who applied; they sign for it again.
	it = ok(r.SignFor(it, townA, "town1", at(3, 20, 11, 0)))
	if it.State != InProgress {
		t.Fatalf("after re-signing: %s", it.State)
	}
	it = ok(r.RequestClose(it, townA, Evidence{Text: "改造完成，附满意度调查", Attachments: []Attachment{{Name: "调查表.pdf", SHA256: sha}}}, at(3, 24, 9, 0)))
	it = ok(r.Review(it, sup2, true, "", at(3, 24, 15, 0)))
	if it.State != Closed || it.ClosedBy != "s2" || !it.ClosedAt.Equal(at(3, 24, 15, 0)) {
		t.Fatalf("closed: %s by %s at %v", it.State, it.ClosedBy, it.ClosedAt)
	}
	sub, found := it.ClosingSubmission()
	if !found || sub.Evidence.Text != "改造完成，附满意度调查" {
		t.Fatalf("closing evidence %+v", sub)
	}
	if c := sw.ColorAt(&it, at(4, 30, 9, 0)); c != Off {
		t.Fatalf("closed item has light %s", c)
	}
	refused(t, "办结")(r.Report(it, townA, ReportInput{UnitID: "town1", Text: "x"}, at(3, 25, 9, 0)))

	// The whole item survives a JSON round trip (the store keeps it as JSON).
	b, err := json.Marshal(it)
	if err != nil {
		t.Fatal(err)
	}
	var back Item
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.State != Closed || len(back.History) != len(it.History) || back.Deadline != it.Deadline && !back.Deadline.Due.Equal(it.Deadline.Due) {
		t.Fatalf("round trip lost data")
	}
	// Every event is numbered in order.
	for i, e := range it.History {
		if i > 0 && e.Seq <= it.History[i-1].Seq {
			t.Fatalf("history out of order at %d", i)
		}
	}
}

func hasNotice(ns []Notice, kind NoticeKind, person string) bool {
	for _, n := range ns {
		if n.Kind == kind && (person == "" || n.Person == person) {
			return true
		}
	}
	return false
}

func TestCreateRefusals(t *testing.T) {
	r := rules(t)
	now := at(3, 2, 9, 0)
	cases := []struct {
		name string
		edit func(*NewItem)
		want string
	}{
		{"no id", func(n *NewItem) { n.ID = "" }, "编号"},
		{"bad source", func(n *NewItem) { n.Source = "rumour" }, "来源"},
		{"no title", func(n *NewItem) { n.Title = "  " }, "标题"},
		{"no instruction", func(n *NewItem) { n.Instruction = "" }, "原文"},
		{"instruction without document", func(n *NewItem) { n.Ref = "" }, "来文"},
		{"two leads", func(n *NewItem) { n.Units[1].Lead = true }, "牵头单位"},
		{"no lead", func(n *NewItem) { n.Units[0].Lead = false }, "牵头单位"},
		{"unit twice", func(n *NewItem) { n.Units[1].UnitID = "town1" }, "重复"},
		{"no responsible", func(n *NewItem) { n.Units[1].Responsible = "" }, "责任人"},
		{"no deadline", func(n *NewItem) { n.Deadline = DeadlineSpec{} }, "时限"},
		{"both deadline forms", func(n *NewItem) { n.Deadline.Date = at(4, 1, 0, 0) }, "之一"},
		{"bad schedule", func(n *NewItem) { n.Schedule = Schedule{Kind: "daily"} }, "周期"},
		{"bad month day", func(n *NewItem) { n.Schedule = Schedule{Kind: Monthly, Day: 32} }, "1–31"},
		{"milestone schedule without milestones", func(n *NewItem) { n.Schedule = Schedule{Kind: AtMilestones} }, "节点"},
		{"sub-item of another unit", func(n *NewItem) {
			n.SubItems = []SubItem{{ID: "s1", Title: "拆违", UnitID: "dept9", Spec: DeadlineSpec{Workdays: 3}}}
		}, "承办单位"},
		{"sub-item without deadline", func(n *NewItem) { n.SubItems = []SubItem{{ID: "s1", Title: "拆违", UnitID: "dept2"}} }, "时限"},
		{"duplicate milestone id", func(n *NewItem) {
			n.SubItems = []SubItem{{ID: "m", Title: "拆违", UnitID: "dept2", Spec: DeadlineSpec{Workdays: 3}}}
			n.Milestones = []Milestone{{ID: "m", Title: "开工", Spec: DeadlineSpec{Workdays: 3}}}
		}, "重复"},
		{"proposal without number", func(n *NewItem) { n.Source = FromNPC }, "编号和提出人"},
		{"proposal info on an ordinary item", func(n *NewItem) { n.Proposal = &ProposalInfo{Number: "1", Proposer: "王"} }, "只有"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := newItem("dc-x")
			c.edit(&n)
			refused(t, c.want)(r.Create(n, sup, now))
		})
	}
	refused(t, "督查室")(r.Create(newItem("dc-y"), townA, now))
}

func TestOperationRefusals(t *testing.T) {
	r := rules(t)
	reg := must(t)(r.Create(newItem("dc-1"), sup, at(3, 2, 9, 0)))
	asg := assigned(t)
	prog := inProgress(t)
	cases := []struct {
		name string
		run  func() (Item, []Event, error)
		want string
	}{
		{"assign by a unit", func() (Item, []Event, error) { return r.Assign(reg, townA, at(3, 2, 9, 5)) }, "督查室"},
		{"assign twice", func() (Item, []Event, error) { return r.Assign(asg, sup, at(3, 2, 9, 40)) }, "不能再交办"},
		{"sign for before assignment", func() (Item, []Event, error) { return r.SignFor(reg, townA, "town1", at(3, 2, 9, 5)) }, "无需签收"},
		{"sign for by a stranger", func() (Item, []Event, error) { return r.SignFor(asg, stranger, "town1", at(3, 2, 10, 0)) }, "办理人"},
		{"sign for twice", func() (Item, []Event, error) { return r.SignFor(prog, townA2, "town1", at(3, 3, 10, 0)) }, "重复签收"},
		{"report before signing", func() (Item, []Event, error) {
			return r.Report(asg, deptB, ReportInput{UnitID: "dept2", Text: "x"}, at(3, 3, 10, 0))
		}, "先签收"},
		{"report by another unit", func() (Item, []Event, error) {
			return r.Report(prog, deptB, ReportInput{UnitID: "town1", Text: "x"}, at(3, 3, 10, 0))
		}, "承办单位的人员"},
		{"empty report", func() (Item, []Event, error) {
			return r.Report(prog, townA, ReportInput{UnitID: "town1", Text: " "}, at(3, 3, 10, 0))
		}, "进展情况"},
		{"bad attachment", func() (Item, []Event, error) {
			return r.Report(prog, townA, ReportInput{UnitID: "town1", Text: "x", Attachments: []Attachment{{Name: "a.pdf", SHA256: "zz"}}}, at(3, 3, 10, 0))
		}, "附件"},
		{"unknown reached", func() (Item, []Event, error) {
			return r.Report(prog, townA, ReportInput{UnitID: "town1", Text: "x", Reached: []string{"nope"}}, at(3, 3, 10, 0))
		}, "没有编号"},
		{"close before all signed", func() (Item, []Event, error) {
			return r.RequestClose(asg, townA, Evidence{Text: "x"}, at(3, 3, 10, 0))
		}, "未签收"},
		{"review with nothing to review", func() (Item, []Event, error) { return r.Review(prog, sup, true, "", at(3, 3, 10, 0)) }, "没有待审核"},
		{"urge by a unit", func() (Item, []Event, error) { return r.Urge(prog, townA, "dept2", "快", at(3, 3, 10, 0)) }, "督查室"},
		{"urge without text", func() (Item, []Event, error) { return r.Urge(prog, sup, "dept2", "", at(3, 3, 10, 0)) }, "催办内容"},
		{"urge a unit not on the item", func() (Item, []Event, error) { return r.Urge(prog, sup, "dept9", "快", at(3, 3, 10, 0)) }, "没有待办"},
		{"extension not later", func() (Item, []Event, error) {
			return r.RequestExtension(prog, townA, ExtensionInput{UnitID: "town1", Asked: at(3, 10, 0, 0), Reason: "x"}, at(3, 3, 10, 0))
		}, "应晚于"},
		{"decide a missing extension", func() (Item, []Event, error) {
			return r.DecideExtension(prog, sup, 999, true, time.Time{}, "", at(3, 3, 10, 0))
		}, "不存在"},
		{"contact on an ordinary item", func() (Item, []Event, error) {
			return r.RecordContact(prog, townA, Contact{Way: "电话", Note: "x"}, at(3, 3, 10, 0))
		}, "只有建议提案"},
		{"satisfaction on an ordinary item", func() (Item, []Event, error) {
			return r.RecordSatisfaction(prog, sup, Satisfied, "", at(3, 3, 10, 0))
		}, "只有建议提案"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { refused(t, c.want)(c.run()) })
	}
}

func TestOperationsDoNotTouchTheirInput(t *testing.T) {
	r := rules(t)
	it := inProgress(t)
	before, _ := json.Marshal(it)
	must(t)(r.Report(it, townA, ReportInput{UnitID: "town1", Text: "x"}, at(3, 3, 10, 0)))
	must(t)(r.Urge(it, sup, "dept2", "请尽快反馈", at(3, 3, 10, 0)))
	must(t)(r.RequestExtension(it, townA, ExtensionInput{UnitID: "town1", Asked: at(3, 30, 17, 30), Reason: "x"}, at(3, 3, 10, 0)))
	after, _ := json.Marshal(it)
	if string(before) != string(after) {
		t.Fatal("an operation modified its input item")
	}
}

func TestUrgingIsSignedForAndKept(t *testing.T) {
	r := rules(t)
	it := inProgress(t)
	it = must(t)(r.Urge(it, sup, "dept2", "请于本周五前报送配合情况", at(3, 4, 9, 0)))
	it = must(t)(r.Urge(it, sup, "dept2", "再次催办", at(3, 5, 9, 0)))
	if len(it.Urgings) != 2 {
		t.Fatalf("urgings on record: %d", len(it.Urgings))
	}
	seq := it.Urgings[0].Seq
	refused(t, "被催办单位")(r.SignForUrging(it, townA, seq, at(3, 4, 10, 0)))
	it = must(t)(r.SignForUrging(it, deptB, seq, at(3, 4, 10, 0)))
	refused(t, "已签收")(r.SignForUrging(it, deptB, seq, at(3, 4, 10, 5)))
	refused(t, "不存在")(r.SignForUrging(it, deptB, 12345, at(3, 4, 10, 5)))
	if it.Urgings[0].SignedBy != "b1" || it.Urgings[1].SignedBy != "" {
		t.Fatalf("urgings %+v", it.Urgings)
	}
	// The route engine counts them on the unit's task too.
	tk, _ := unitTask(&it, "dept2")
	if tk.Urges != 2 {
		t.Fatalf("route urges %d", tk.Urges)
	}
}

func TestSubItemsAndMilestones(t *testing.T) {
	r, sw := rules(t), sweep(t)
	n := newItem("dc-2")
	n.SubItems = []SubItem{{ID: "s1", Title: "管网改造", UnitID: "dept2", Spec: DeadlineSpec{Workdays: 5}}}
	n.Milestones = []Milestone{{ID: "m1", Title: "完成设计", Spec: DeadlineSpec{Date: at(3, 7, 0, 0)}}} // a Saturday
	n.Schedule = Schedule{Kind: AtMilestones}
	it := must(t)(r.Create(n, sup, at(3, 2, 9, 0)))
	it = must(t)(r.Assign(it, sup, at(3, 2, 9, 30)))
	// A date on a day off is due at the close of the next working day.
	if want := at(3, 9, 17, 30); !it.Milestones[0].Deadline.Due.Equal(want) {
		t.Fatalf("milestone due %v, want %v", it.Milestones[0].Deadline.Due, want)
	}
	if want := at(3, 9, 17, 30); !it.SubItems[0].Deadline.Due.Equal(want) {
		t.Fatalf("sub-item due %v, want %v", it.SubItems[0].Deadline.Due, want)
	}
	it = must(t)(r.SignFor(it, townA, "town1", at(3, 2, 10, 0)))
	it = must(t)(r.SignFor(it, deptB, "dept2", at(3, 2, 10, 0)))
	// Overdue sub-item makes the whole item red.
	if l := sw.LightAt(&it, at(3, 10, 9, 0)); l.Color != Red || l.Reasons[0].Target == "" {
		t.Fatalf("overdue sub-item: %+v", l)
	}
	refused(t, "不由本单位")(r.Report(it, townA, ReportInput{UnitID: "town1", Text: "x", Reached: []string{"s1"}}, at(3, 10, 9, 0)))
	refused(t, "牵头单位报告")(r.Report(it, deptB, ReportInput{UnitID: "dept2", Text: "x", Reached: []string{"m1"}}, at(3, 10, 9, 0)))
	refused(t, "尚未完成")(r.RequestClose(it, townA, Evidence{Text: "x"}, at(3, 10, 9, 0)))
	it = must(t)(r.Report(it, deptB, ReportInput{UnitID: "dept2", Text: "管网完成", Reached: []string{"s1"}}, at(3, 10, 9, 0)))
	it = must(t)(r.Report(it, townA, ReportInput{UnitID: "town1", Text: "设计完成", Reached: []string{"m1"}}, at(3, 10, 9, 0)))
	refused(t, "已完成")(r.Report(it, townA, ReportInput{UnitID: "town1", Text: "x", Reached: []string{"m1"}}, at(3, 10, 9, 5)))
	if c := sw.ColorAt(&it, at(3, 10, 9, 1)); c != Green {
		t.Fatalf("after reaching both: %s", c)
	}
	it = must(t)(r.RequestClose(it, townA, Evidence{Text: "全部完成"}, at(3, 11, 9, 0)))
	if it.State != PendingReview {
		t.Fatalf("state %s", it.State)
	}
}

func TestExtensionRefusedKeepsDeadline(t *testing.T) {
	r := rules(t)
	it := inProgress(t)
	it = must(t)(r.RequestExtension(it, townA, ExtensionInput{UnitID: "town1", Asked: at(4, 30, 17, 30), Reason: "人手不足"}, at(3, 10, 9, 0)))
	seq := it.Extensions[0].Seq
	refused(t, "理由")(r.DecideExtension(it, sup, seq, false, time.Time{}, "", at(3, 10, 10, 0)))
	it = must(t)(r.DecideExtension(it, sup, seq, false, time.Time{}, "理由不充分", at(3, 10, 10, 0)))
	if it.Deadline.Extended() || it.ExtensionsGranted() != 0 || it.Extensions[0].Decision != Refused {
		t.Fatalf("refused extension changed the deadline: %+v %+v", it.Deadline, it.Extensions)
	}
	refused(t, "已审批")(r.DecideExtension(it, sup, seq, true, time.Time{}, "", at(3, 10, 11, 0)))
	// A grant to another date than asked, later than the current deadline.
	it = must(t)(r.RequestExtension(it, townA, ExtensionInput{UnitID: "town1", Asked: at(4, 30, 17, 30), Reason: "再申请"}, at(3, 11, 9, 0)))
	seq = it.Extensions[1].Seq
	refused(t, "应晚于")(r.DecideExtension(it, sup, seq, true, at(3, 12, 17, 30), "", at(3, 11, 10, 0)))
	it = must(t)(r.DecideExtension(it, sup, seq, true, at(4, 10, 17, 30), "给到4月10日", at(3, 11, 10, 0)))
	if !it.Deadline.Due.Equal(at(4, 10, 17, 30)) || !it.Deadline.Original.Equal(at(3, 16, 17, 30)) || !it.Extensions[1].Previous.Equal(at(3, 16, 17, 30)) {
		t.Fatalf("deadline %+v ext %+v", it.Deadline, it.Extensions[1])
	}
}

func TestRulesWithoutCalendar(t *testing.T) {
	it := inProgress(t)
	var r Rules
	if _, _, err := r.Create(newItem("x"), sup, at(3, 2, 9, 0)); !errors.Is(err, errNoCalendar) {
		t.Fatalf("create: %v", err)
	}
	if _, _, err := r.RequestExtension(it, townA, ExtensionInput{UnitID: "town1", Asked: at(4, 1, 0, 0), Reason: "x"}, at(3, 3, 9, 0)); !errors.Is(err, errNoCalendar) {
		t.Fatalf("extension: %v", err)
	}
}
