package supervise

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
)

var (
	townB = route.Actor{Principal: route.Principal{ID: "t2", Units: []string{"town2"}}}
	deptC = route.Actor{Principal: route.Principal{ID: "c1", Units: []string{"dept3"}}}
)

var statsUnits = []org.Unit{
	{ID: "town1", Name: "城关镇", Kind: org.KindTown, Sort: 1},
	{ID: "town2", Name: "河西镇", Kind: org.KindTown, Sort: 2},
	{ID: "town3", Name: "东山镇", Kind: org.KindTown, Sort: 3},
	{ID: "dept2", Name: "区住建局", Kind: org.KindDepartment, Sort: 4},
	{ID: "dept3", Name: "区教育局", Kind: org.KindDepartment, Sort: 5},
}

// statsItems builds a small March–April 2026 world through the operations:
//
//	a  town1  10 wd, closed on time (17 Mar)        urged once
//	b  town1  10 wd, extended once, closed late (applied 1 Apr after the 27 Mar extension)
//	c  town2  5 wd, open and overdue since 9 Mar
//	d  dept3  proposal, answered, 基本满意 recorded 20 Apr
//	e  dept3  registered only
func statsItems(t *testing.T) []Item {
	r := rules(t)
	ok := must(t)
	mk := func(id, lead string, person route.Actor, wd int) Item {
		n := newItem(id)
		n.Units = []Unit{{UnitID: lead, Lead: true, Responsible: person.ID}}
		n.Deadline = DeadlineSpec{Workdays: wd}
		it := ok(r.Create(n, sup, at(3, 2, 9, 0)))
		it = ok(r.Assign(it, sup, at(3, 2, 9, 30)))
		return ok(r.SignFor(it, person, lead, at(3, 2, 10, 0)))
	}
	a := mk("a", "town1", townA, 10)
	a = ok(r.Urge(a, sup, "town1", "请加快", at(3, 10, 9, 0)))
	a = ok(r.RequestClose(a, townA, Evidence{Text: "完成"}, at(3, 16, 9, 0)))
	a = ok(r.Review(a, sup, true, "", at(3, 17, 9, 0)))

	b := mk("b", "town1", townA, 10)
	b = ok(r.RequestExtension(b, townA, ExtensionInput{UnitID: "town1", Asked: at(3, 27, 17, 30), Reason: "雨季"}, at(3, 12, 9, 0)))
	b = ok(r.DecideExtension(b, sup, b.Extensions[0].Seq, true, time.Time{}, "", at(3, 12, 10, 0)))
	b = ok(r.RequestClose(b, townA, Evidence{Text: "完成"}, at(4, 1, 9, 0)))
	b = ok(r.Review(b, sup, true, "", at(4, 2, 9, 0)))

	c := mk("c", "town2", townB, 5)

	pn := newProposal("d")
	pn.Units = []Unit{{UnitID: "dept3", Lead: true, Responsible: "c1"}}
	d := ok(r.Create(pn, sup, at(3, 2, 9, 0)))
	d = ok(r.Assign(d, sup, at(3, 2, 9, 30)))
	d = ok(r.SignFor(d, deptC, "dept3", at(3, 2, 10, 0)))
	d = ok(r.RecordContact(d, deptC, Contact{Way: "电话", Note: "已沟通"}, at(3, 20, 9, 0)))
	d = ok(r.RequestClose(d, deptC, Evidence{Text: "答复", Attachments: answerLetter}, at(3, 25, 9, 0)))
	d = ok(r.Review(d, sup, true, "", at(3, 26, 9, 0)))
	d = ok(r.RecordSatisfaction(d, sup, BasicSatisfied, "", at(4, 20, 9, 0)))

	en := newItem("e")
	en.Units = []Unit{{UnitID: "dept3", Lead: true, Responsible: "c1"}}
	e := ok(r.Create(en, sup, at(4, 1, 9, 0)))
	return []Item{a, b, c, d, e}
}

func TestStatisticsOverAMonth(t *testing.T) {
	sw := sweep(t)
	items := statsItems(t)
	over := Overseers{"town1": {"vm"}, "town2": {"vm"}, "dept3": {"vm3"}}
	march := Months(at(3, 15, 0, 0), 1)[0]
	st := sw.Compute(items, over, march, march.To)

	t1 := *st.Units["town1"]
	want := Counts{Items: 2, New: 2, Due: 2, Closed: 1, ClosedOnTime: 1, OverdueNow: 1, DaysToClose: 11, Extensions: 1, Urgings: 1}
	// a: closed 17 Mar, on time, 11 working days (3–17 Mar); b: extended, due 27 Mar, open at month end and overdue.
	if t1 != want {
		t.Fatalf("town1 in March:\n got %+v\nwant %+v", t1, want)
	}
	if rate, ok := t1.OnTimeRate(); !ok || rate != 0.5 {
		t.Fatalf("town1 rate %v", rate)
	}
	if got := *st.Units["town2"]; got != (Counts{Items: 1, New: 1, Due: 1, OverdueNow: 1}) {
		t.Fatalf("town2 %+v", got)
	}
	// The proposal closed in March (due in June): due because closed, on time.
	if got := *st.Units["dept3"]; got != (Counts{Items: 1, New: 1, Due: 1, Closed: 1, ClosedOnTime: 1, DaysToClose: 18}) {
		t.Fatalf("dept3 %+v", got)
	}
	if got := st.Leaders["vm"].Items; got != 3 {
		t.Fatalf("vm oversees %d items", got)
	}
	if got := st.Sources[FromNPC].Closed; got != 1 {
		t.Fatalf("proposals closed %d", got)
	}
	if st.Total.Items != 4 || st.Total.Due != 4 || st.Total.ClosedOnTime != 2 {
		t.Fatalf("total %+v", st.Total)
	}

	// April: b closes late; the verdict is recorded.
	april := Months(at(4, 15, 0, 0), 1)[0]
	st = sw.Compute(items, over, april, april.To)
	if got := *st.Units["town1"]; got != (Counts{Items: 1, Due: 1, Closed: 1, DaysToClose: 23}) {
		t.Fatalf("town1 in April %+v", got)
	}
	if got := *st.Units["dept3"]; got != (Counts{BasicSatisfied: 1}) {
		t.Fatalf("dept3 in April %+v", got)
	}
	if r, ok := st.Units["dept3"].SatisfactionRate(); !ok || r != 1 {
		t.Fatalf("satisfaction rate %v", r)
	}

	// Every number clicks through to its items.
	town1 := func(it *Item) bool { return it.LeadUnit() == "town1" }
	if got := sw.Behind(items, town1, MetricOverdueNow, march, march.To); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("behind overdue: %v", got)
	}
	if got := sw.Behind(items, nil, MetricClosedOnTime, march, march.To); !slices.Equal(got, []string{"a", "d"}) {
		t.Fatalf("behind on time: %v", got)
	}
	for _, m := range []Metric{MetricItems, MetricDue, MetricClosed, MetricExtensions, MetricUrgings, MetricNew} {
		if got := len(sw.Behind(items, town1, m, march, march.To)); got != t1.Of(m) {
			t.Errorf("%s: %d items behind, figure %d", m, got, t1.Of(m))
		}
	}
}

func TestTrendAndComparison(t *testing.T) {
	sw := sweep(t)
	items := statsItems(t)
	periods := Months(at(4, 10, 0, 0), 3) // Feb, Mar, Apr
	if periods[0].From.Month() != 2 || periods[2].From.Month() != 4 {
		t.Fatalf("periods %v", periods)
	}
	tr := sw.Trend(items, "town1", periods, at(4, 30, 0, 0))
	if tr[0] != (Counts{}) || tr[1].Closed != 1 || tr[1].OverdueNow != 1 || tr[2].Closed != 1 {
		t.Fatalf("trend %+v", tr)
	}
	st := sw.Compute(items, nil, periods[1], periods[1].To)
	towns := Compare(st, statsUnits, org.KindTown)
	var names []string
	var ranks []int
	for _, r := range towns {
		names = append(names, r.Unit.Name)
		ranks = append(ranks, r.Rank)
	}
	// 城关镇 50 %, 河西镇 0 %, 东山镇 nothing due (last).
	if !reflect.DeepEqual(names, []string{"城关镇", "河西镇", "东山镇"}) || !reflect.DeepEqual(ranks, []int{1, 2, 3}) {
		t.Fatalf("towns %v ranks %v", names, ranks)
	}
	if depts := Compare(st, statsUnits, org.KindDepartment); len(depts) != 2 || depts[0].Unit.ID != "dept3" {
		t.Fatalf("departments %+v", depts)
	}
}

func TestBulletin(t *testing.T) {
	sw := sweep(t)
	items := statsItems(t)
	april := Months(at(4, 15, 0, 0), 1)[0]
	b := sw.Bulletin(items, april, at(4, 30, 12, 0))
	ids := func(rows []BulletinRow) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r.ID)
		}
		return out
	}
	// a and d were closed before April; b closed in April; c open; e registered in April.
	if got := ids(b.ByState[Closed]); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("closed %v", got)
	}
	if got := ids(b.ByState[InProgress]); !slices.Equal(got, []string{"c"}) {
		t.Fatalf("in progress %v", got)
	}
	if got := ids(b.ByState[Registered]); !slices.Equal(got, []string{"e"}) {
		t.Fatalf("registered %v", got)
	}
	// c is overdue since 9 March: by name, with its working days overdue.
	if len(b.Overdue) != 1 || b.Overdue[0].ID != "c" || b.Overdue[0].DaysOverdue != 37 || b.Overdue[0].Light != Red {
		t.Fatalf("overdue %+v", b.Overdue)
	}
	if b.Lights[Red] != 1 || b.Lights[Off] != 1 || b.Lights[Green] != 1 {
		t.Fatalf("lights %v", b.Lights)
	}
}

// The fact table (what a store keeps) and the items give the same figures.
func TestFactTableMatchesItems(t *testing.T) {
	sw := sweep(t)
	items := append(statsItems(t), synthItems(t, 3000)...)
	over := Overseers{"town1": {"vm"}, "u01": {"l1"}, "u02": {"l1", "l2"}}
	ft := NewFactTable(items)
	for _, p := range Months(at(12, 15, 0, 0), 12) {
		a, b := sw.Compute(items, over, p, p.To), sw.ComputeFacts(ft, over, p, p.To)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("%v: items and facts differ:\n%+v\n%+v", p.From, a.Total, b.Total)
		}
		if a.Total.Items == 0 {
			t.Fatalf("%v: nothing counted", p.From)
		}
	}
	periods := Months(at(12, 15, 0, 0), 12)
	if a, b := sw.Trend(items, "u02", periods, at(12, 31, 0, 0)), sw.TrendFacts(ft, "u02", periods, at(12, 31, 0, 0)); !reflect.DeepEqual(a, b) {
		t.Fatalf("trends differ")
	}
}

// Over 100,000 rows the fact table is split across cores; the sums agree.
func TestParallelFactsAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 120,000 items")
	}
	sw := sweep(t)
	items := synthItems(t, 120_000)
	over := Overseers{"u01": {"l1"}, "u02": {"l1", "l2"}}
	ft := NewFactTable(items)
	p := Months(at(6, 15, 0, 0), 1)[0]
	if a, b := sw.Compute(items, over, p, p.To), sw.ComputeFacts(ft, over, p, p.To); !reflect.DeepEqual(a, b) {
		t.Fatalf("parallel facts differ:\n%+v\n%+v", a.Total, b.Total)
	}
}
