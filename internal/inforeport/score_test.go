package inforeport

import (
	"testing"
	"time"
)

func TestRuleSetAt(t *testing.T) {
	v1 := DefaultRules(time.Date(2026, 1, 1, 0, 0, 0, 0, loc))
	v2 := DefaultRules(time.Date(2026, 7, 1, 0, 0, 0, 0, loc))
	v2.Version = 2
	rs := RuleSet{v2, v1}
	cases := []struct {
		at   time.Time
		want int
	}{
		{time.Date(2025, 12, 31, 0, 0, 0, 0, loc), 1}, // before the first: the first
		{time.Date(2026, 6, 30, 23, 59, 59, 0, loc), 1},
		{time.Date(2026, 7, 1, 0, 0, 0, 0, loc), 2}, // the boundary belongs to the new rules
		{time.Date(2027, 1, 1, 0, 0, 0, 0, loc), 2},
	}
	for _, c := range cases {
		if got := rs.At(c.at).Version; got != c.want {
			t.Errorf("At(%v) = v%d, want v%d", c.at, got, c.want)
		}
	}
	if (RuleSet{}).At(t0).Version != 0 {
		t.Fatal("empty rule set")
	}
	bad := v1
	bad.OnTime = -1
	if bad.Check() == nil || v1.Check() != nil {
		t.Fatal("check")
	}
}

// TestScore builds a small year by hand and checks every figure, the period
// boundaries and the rules' change in July.
func TestScore(t *testing.T) {
	jan1 := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	v1 := DefaultRules(jan1)
	v2 := DefaultRules(time.Date(2026, 7, 1, 0, 0, 0, 0, loc))
	v2.Version, v2.Adoption = 2, map[Level]float64{District: 2, City: 6, Province: 10, Central: 20}
	rs := RuleSet{v1, v2}

	day := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, loc) }
	// A: town1, adopted in the district on 31 Mar (last hour) and by the city
	// on 1 Apr, with a city leader's 批示 on 2 Apr.
	a := submit(t, "A", "town1", day(3, 30, 9))
	a, _ = Adopt(a, "ed", "《清澜信息》", day(3, 31, 23), day(3, 31, 23))
	a, _ = RecordAdoption(a, "ed", City, "市委办《每日汇报》", day(4, 1, 0), day(4, 1, 10))
	a, _ = RecordAdoption(a, "ed", City, "市政府《政务信息》", day(4, 1, 0), day(4, 1, 10)) // a second city outlet counts once
	a, _ = AddInstruction(a, "ed", Instruction{Leader: "市长 陈立", Level: City, Text: "好经验，请推广", At: day(4, 2, 15)}, day(4, 2, 16))
	// B and C: town2 and town3 merged into M, adopted in July under v2.
	b := submit(t, "B", "town2", day(7, 1, 9))
	c := submit(t, "C", "town3", day(7, 1, 10))
	m, srcs, err := Merge("M", "ed", "合稿", "", "", []Report{b, c}, day(7, 2, 9))
	if err != nil {
		t.Fatal(err)
	}
	m, _ = Adopt(m, "ed", "《工作动态》", day(7, 3, 9), day(7, 3, 9))
	// D: town2, returned once in May, then declined.
	d := submit(t, "D", "town2", day(5, 6, 9))
	d, _ = Return(d, "ed", "要素不全", day(5, 7, 9))
	d, _ = Resubmit(d, "p-town2", "标题D", "补全", nil, day(5, 8, 9))
	d, _ = Decline(d, "ed", "不宜公开", day(5, 9, 9))
	// A 约稿 due 10 Jun: town1 on time, town2 late (12 Jun), town3 never.
	s, _ := NewSolicitation("S", "office", "ed", "防汛", "", day(6, 10, 17), []string{"town1", "town2", "town3"}, day(6, 1, 9))
	e := submit(t, "E", "town1", day(6, 9, 9))
	e.SolicitationID = "S"
	f := submit(t, "F", "town2", day(6, 12, 9))
	f.SolicitationID = "S"

	rec := Records{Reports: append([]Report{a, m, d, e, f}, srcs...), Solicitations: []Solicitation{s}, AsOf: day(12, 31, 12)}

	year := Score(rs, rec, Year(2026, loc))
	want := map[string]float64{
		"town1": 1 + 3 + 4 + 1, // district, city, 批示, on time
		"town2": 2 - 0.5 - 0.5, // merged item under v2, returned, late
		"town3": 2 - 1,         // merged item under v2, missed
	}
	if len(year) != 3 {
		t.Fatalf("year = %+v", year)
	}
	for _, us := range year {
		if us.Points != want[us.UnitID] {
			t.Errorf("%s: %v points, want %v; events %+v", us.UnitID, us.Points, want[us.UnitID], us.Events)
		}
		sum := 0.0
		for _, e := range us.Events {
			if e.ReportID == "" && e.SolicitationID == "" {
				t.Errorf("untraceable event %+v", e)
			}
			sum += e.Points
		}
		if sum != us.Points {
			t.Errorf("%s: events sum to %v, total %v", us.UnitID, sum, us.Points)
		}
	}
	if year[0].UnitID != "town1" {
		t.Fatalf("ranking = %+v", year)
	}

	// The boundary: 31 Mar 23:00 is March; 1 Apr 00:00 is April.
	mar := Score(rs, rec, Month(2026, time.March, loc))
	if len(mar) != 1 || mar[0].Points != 1 || mar[0].Events[0].ReportID != "A" {
		t.Fatalf("March = %+v", mar)
	}
	apr := Score(rs, rec, Month(2026, time.April, loc))
	if len(apr) != 1 || apr[0].Points != 7 || len(apr[0].Events) != 2 {
		t.Fatalf("April = %+v", apr)
	}
	jul := Score(rs, rec, Month(2026, time.July, loc))
	for _, us := range jul {
		if us.Points != 2 || us.Events[0].RulesVersion != 2 || us.Events[0].ReportID != "M" {
			t.Fatalf("July = %+v", jul)
		}
	}
	// Before the 约稿's date nothing is missed yet.
	early := rec
	early.AsOf = day(6, 10, 12)
	for _, us := range Score(rs, early, Year(2026, loc)) {
		if us.UnitID == "town3" && us.Points != 2 {
			t.Fatalf("town3 before the date = %+v", us)
		}
	}
	var town1 UnitScore
	for _, us := range year {
		if us.UnitID == "town1" {
			town1 = us
		}
	}
	months := Monthly(town1.Events, loc)
	if months[2] != 1 || months[3] != 7 || months[5] != 1 || months[0] != 0 {
		t.Fatalf("monthly = %v", months)
	}
}
