package evaluate

import (
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

func testCal(t *testing.T) *calendar.Calendar {
	t.Helper()
	c, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// at reads "2026-10-08 17:30" in the calendar's zone.
func at(t *testing.T, cal *calendar.Calendar, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, cal.Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// testOrg: 青石镇 (T1) with a section; 白沙街道 (T2), called 白沙乡 until
// July; 柳湾镇 (T3) merged into 青石镇 on 15 October; one department.
func testOrg(t *testing.T, cal *calendar.Calendar) *Org {
	o, err := NewOrg([]Unit{
		{ID: "T1", Name: "青石镇", Class: Towns, Scored: true},
		{ID: "S1", Name: "青石镇党政办", Parent: "T1"},
		{ID: "T2", Name: "白沙街道", Class: Towns, Scored: true, Names: []NameSpan{{Name: "白沙乡", Until: at(t, cal, "2026-07-01 00:00")}}},
		{ID: "T3", Name: "柳湾镇", Class: Towns, Scored: true, MergedInto: "T1", MergedOn: at(t, cal, "2026-10-15 00:00")},
		{ID: "D1", Name: "区财政局", Class: Departments, Scored: true},
		{ID: "L1", Name: "区委"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func testRules(t *testing.T, cal *calendar.Calendar) Rules {
	r := DefaultRules(at(t, cal, "2026-01-01 00:00"))
	r.CloseDays = 1
	r.Weights[Towns] = map[Indicator]float64{}
	for _, i := range Indicators() {
		r.Weights[Towns][i] = 1
	}
	// A later version changes the close limit: October keeps version 1.
	r2 := r
	r2.Version, r2.Effective, r2.CloseDays = 2, at(t, cal, "2026-11-01 00:00"), 5
	return Rules{r2, r}
}

func testRecords(t *testing.T, cal *calendar.Calendar) Records {
	tm := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		return at(t, cal, s)
	}
	return Records{
		SignFor: []Timed{
			{ID: "a1", Unit: "T1", Due: tm("2026-10-08 09:30"), Done: tm("2026-10-08 09:00")},
			{ID: "a2", Unit: "S1", Due: tm("2026-10-09 17:30"), Done: tm("2026-10-12 09:00")}, // late, the section counts for its town
			{ID: "a3", Unit: "T1", Due: tm("2026-09-30 17:30"), Done: tm("2026-09-30 10:00")}, // September's
			{ID: "a4", Unit: "T2", Due: tm("2026-10-31 23:59")},                               // never signed: late
			{ID: "a5", Unit: "T2", Due: tm("2026-11-04 10:00")},                               // November's
			{ID: "a6", Unit: "T3", Due: tm("2026-10-10 17:30"), Done: tm("2026-10-10 11:00")}, // merged: counts for 青石镇
			{ID: "a7", Unit: "L1", Due: tm("2026-10-10 17:30")},                               // not a scored unit
		},
		Closing: []Timed{
			// Arrived the day before 国庆: the limit of 1 working day runs to 8 October.
			{ID: "c1", Unit: "T1", Start: tm("2026-09-30 10:00"), Done: tm("2026-10-08 17:00")},
			// Before office hours: the day itself counts, due 29 September — September's.
			{ID: "c2", Unit: "T2", Start: tm("2026-09-29 08:00")},
			// Friday 9 October: Saturday the 10th is a 调休 working day, so due then.
			{ID: "c3", Unit: "T2", Start: tm("2026-10-09 10:00"), Done: tm("2026-10-12 09:00")},
		},
		Supervised: []Timed{
			{ID: "s1", Unit: "T1", Due: tm("2026-10-20 17:30"), Done: tm("2026-10-19 16:00")},
			{ID: "s2", Unit: "T2", Due: tm("2026-10-25 17:30"), Done: tm("2026-10-24 16:00")},
			{ID: "s3", Unit: "T2", Due: tm("2026-10-30 17:30")},
		},
		Meetings: []Attendance{
			// Noticed Friday 15:00 with 1 working day: due Saturday 10 October 17:30 (调休).
			{MeetingID: "m1", PersonID: "p1", Unit: "T1", Noticed: tm("2026-10-09 15:00"), Start: tm("2026-10-13 09:00"), End: tm("2026-10-13 11:00"),
				RepliedAt: tm("2026-10-10 12:00"), SignedIn: tm("2026-10-13 08:50")},
			{MeetingID: "m1", PersonID: "p2", Unit: "T2", Noticed: tm("2026-10-09 15:00"), Start: tm("2026-10-13 09:00"), End: tm("2026-10-13 11:00"),
				RepliedAt: tm("2026-10-12 09:00")},
			{MeetingID: "m1", PersonID: "p3", Unit: "T2", Noticed: tm("2026-10-09 15:00"), Start: tm("2026-10-13 09:00"), End: tm("2026-10-13 11:00"),
				RepliedAt: tm("2026-10-10 09:00"), Absent: true},
		},
		Drafts: []Draft{
			{ID: "d1", Unit: "T1", SentAt: tm("2026-10-14 10:00"), Chars: 20000, Accepted: 3},
			{ID: "d2", Unit: "T2", SentAt: tm("2026-10-14 10:00"), Chars: 5000},
			{ID: "d3", Unit: "T2", SentAt: tm("2026-09-28 10:00"), Chars: 5000, Accepted: 9},
		},
		Handovers: []ShiftHandover{
			{ID: "h1", Unit: "T1", Handed: tm("2026-10-20 08:30"), Acked: tm("2026-10-20 08:40")},
		},
		Points: []PointEvent{
			{Unit: "T1", Item: "i1", Points: 5, At: tm("2026-10-15 10:00")},
			{Unit: "S1", Item: "i2", Points: -1, At: tm("2026-10-20 10:00")},
			{Unit: "T2", Item: "i3", Points: 2, At: tm("2026-10-31 23:00")},
			{Unit: "T2", Item: "i4", Points: 9, At: tm("2026-11-01 00:00")}, // November's
		},
	}
}

type want struct {
	num, den    float64
	score       float64
	empty       bool
	numIDs, ids string
}

func TestScoreOctober(t *testing.T) {
	cal := testCal(t)
	o := testOrg(t, cal)
	b, err := Score(cal, o, testRecords(t, cal), testRules(t, cal), Month(2026, time.October, cal.Location()), Towns, at(t, cal, "2026-11-05 12:00"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Rules.Version != 1 {
		t.Errorf("October scored by rules version %d, want 1 (in force on 1 October)", b.Rules.Version)
	}
	if len(b.Rows) != 2 || b.Rows[0].Unit != "T1" || b.Rows[1].Unit != "T2" {
		t.Fatalf("rows %+v, want 青石镇 then 白沙街道 (柳湾镇 merged away)", b.Rows)
	}
	cases := map[string]map[Indicator]want{
		"T1": {
			SignFor:       {num: 2, den: 3, score: 66.67, numIDs: "a1,a6", ids: "a1,a2,a6"},
			CloseOnTime:   {num: 1, den: 1, score: 100, numIDs: "c1", ids: "c1"},
			SupOnTime:     {num: 1, den: 1, score: 100, numIDs: "s1", ids: "s1"},
			MeetingReply:  {num: 1, den: 1, score: 100, numIDs: "m1", ids: "m1"},
			MeetingSignIn: {num: 1, den: 1, score: 100, numIDs: "m1", ids: "m1"},
			DocErrors:     {num: 3, den: 20000, score: 70, numIDs: "d1", ids: "d1"},
			Handover:      {num: 1, den: 1, score: 100, numIDs: "h1", ids: "h1"},
			InfoScore:     {num: 4, score: 100, numIDs: "i1,i2", ids: "i1,i2"},
		},
		"T2": {
			SignFor:       {num: 0, den: 1, score: 0, numIDs: "", ids: "a4"},
			CloseOnTime:   {num: 0, den: 1, score: 0, numIDs: "", ids: "c3"},
			SupOnTime:     {num: 1, den: 2, score: 50, numIDs: "s2", ids: "s2,s3"},
			MeetingReply:  {num: 1, den: 2, score: 50, numIDs: "m1", ids: "m1"},
			MeetingSignIn: {num: 0, den: 1, score: 0, numIDs: "", ids: "m1"},
			DocErrors:     {num: 0, den: 5000, score: 100, numIDs: "", ids: "d2"},
			Handover:      {empty: true},
			InfoScore:     {num: 2, score: 50, numIDs: "i3", ids: "i3"},
		},
	}
	for unit, ws := range cases {
		row, ok := b.Row(unit)
		if !ok {
			t.Fatalf("no row for %s", unit)
		}
		for ind, w := range ws {
			f, _ := row.Figure(ind)
			got := want{num: f.Num, den: f.Den, score: f.Score, empty: f.Empty, numIDs: strings.Join(f.NumIDs, ","), ids: strings.Join(f.DenIDs, ",")}
			if w.empty {
				got = want{empty: f.Empty}
			}
			if got != w {
				t.Errorf("%s %s = %+v, want %+v", unit, ind.Label(), got, w)
			}
		}
	}
	if r := b.Rows[0]; r.Total != 92.08 || r.Rank != 1 {
		t.Errorf("青石镇 total %v rank %d, want 92.08 (736.67/8) and 1", r.Total, r.Rank)
	}
	if r := b.Rows[1]; r.Total != 35.71 || r.Rank != 2 || r.Name != "白沙街道" {
		t.Errorf("白沙街道 total %v rank %d name %s, want 35.71 (250/7: 值班 left out) and 2", r.Total, r.Rank, r.Name)
	}
	if len(b.Commended) != 1 || b.Commended[0].Unit != "T1" || !strings.Contains(b.Commended[0].Reasons[0], "列镇街第 1 名") {
		t.Errorf("commended %+v, want 青石镇 with its rank as the first reason", b.Commended)
	}
	if f, _ := b.Rows[0].Figure(DocErrors); f.Text() != "1.50（3 处/2.00 万字）" {
		t.Errorf("差错率 text %q", f.Text())
	}
}

// September: 柳湾镇 still stands on its own and the September records count.
func TestScoreSeptemberBeforeMerge(t *testing.T) {
	cal := testCal(t)
	b, err := Score(cal, testOrg(t, cal), testRecords(t, cal), testRules(t, cal), Month(2026, time.September, cal.Location()), Towns, at(t, cal, "2026-11-05 12:00"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Rows) != 3 {
		t.Fatalf("%d rows, want 3 (柳湾镇 not yet merged)", len(b.Rows))
	}
	t1, _ := b.Row("T1")
	if f, _ := t1.Figure(SignFor); f.Num != 1 || f.Den != 1 {
		t.Errorf("青石镇 September 签收 %v/%v, want 1/1 (a3)", f.Num, f.Den)
	}
	t2, _ := b.Row("T2")
	if f, _ := t2.Figure(CloseOnTime); f.Num != 0 || f.Den != 1 || f.DenIDs[0] != "c2" {
		t.Errorf("白沙街道 September 办结 %+v, want c2 late", f)
	}
	if f, _ := t2.Figure(DocErrors); f.Value != 18 || f.Score != 0 {
		t.Errorf("白沙街道 September 差错率 %v score %v, want 18 per 10k and 0", f.Value, f.Score)
	}
	t3, _ := b.Row("T3")
	if f, _ := t3.Figure(SignFor); !f.Empty {
		t.Errorf("柳湾镇's October record counted in September: %+v", f)
	}
}

// Undecided records are left out: before a limit passes an open record is
// not late yet.
func TestScoreAsOfLeavesUndecidedOut(t *testing.T) {
	cal := testCal(t)
	b, err := Score(cal, testOrg(t, cal), testRecords(t, cal), testRules(t, cal), Month(2026, time.October, cal.Location()), Towns, at(t, cal, "2026-10-12 08:00"))
	if err != nil {
		t.Fatal(err)
	}
	t2, _ := b.Row("T2")
	if f, _ := t2.Figure(SignFor); !f.Empty {
		t.Errorf("a4 (due 31 October) counted on 12 October: %+v", f)
	}
	if f, _ := t2.Figure(CloseOnTime); f.Num != 0 || f.Den != 1 {
		t.Errorf("c3 (due 10 October, closed 12 October 09:00) on 12 October 08:00: %+v, want late", f)
	}
	if f, _ := t2.Figure(InfoScore); f.Num != 0 {
		t.Errorf("a point of 31 October counted on 12 October: %+v", f)
	}
}

func TestTrendNamesAndRules(t *testing.T) {
	cal := testCal(t)
	loc := cal.Location()
	tr, err := Trend(cal, testOrg(t, cal), testRecords(t, cal), testRules(t, cal),
		[]Period{Month(2026, time.June, loc), Month(2026, time.October, loc), Month(2026, time.November, loc)}, "T2", at(t, cal, "2026-11-05 12:00"))
	if err != nil {
		t.Fatal(err)
	}
	if tr[0].Row.Name != "白沙乡" || tr[1].Row.Name != "白沙街道" {
		t.Errorf("names %q %q, want the name carried then", tr[0].Row.Name, tr[1].Row.Name)
	}
	if tr[1].Row.Total != 35.71 || tr[1].Of != 2 {
		t.Errorf("October %+v", tr[1])
	}
	if f, _ := tr[2].Row.Figure(InfoScore); f.Num != 9 {
		t.Errorf("November info %v, want 9", f.Num)
	}
}

func TestRulesAtAndNext(t *testing.T) {
	cal := testCal(t)
	rs := testRules(t, cal)
	for _, c := range []struct {
		at   string
		want int
	}{{"2025-06-01 00:00", 1}, {"2026-10-31 23:59", 1}, {"2026-11-01 00:00", 2}, {"2027-03-01 00:00", 2}} {
		r, err := rs.At(at(t, cal, c.at))
		if err != nil || r.Version != c.want {
			t.Errorf("At(%s) = v%d %v, want v%d", c.at, r.Version, err, c.want)
		}
	}
	n := DefaultRules(at(t, cal, "2026-11-01 00:00"))
	if _, err := rs.Next(n); err == nil {
		t.Error("a version effective on the latest's date was accepted")
	}
	n.Effective = at(t, cal, "2027-01-01 00:00")
	if got, err := rs.Next(n); err != nil || got.Version != 3 {
		t.Errorf("Next = v%d %v, want v3", got.Version, err)
	}
	bad := DefaultRules(time.Time{})
	bad.Weights[Towns] = map[Indicator]float64{SignFor: -1}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "生效日期") || !strings.Contains(err.Error(), "权重") {
		t.Errorf("Validate = %v", err)
	}
	if _, err := (Rules{}).At(time.Now()); err == nil {
		t.Error("no rules gave no error")
	}
}

func TestOrgOwner(t *testing.T) {
	cal := testCal(t)
	o := testOrg(t, cal)
	oct, nov := at(t, cal, "2026-10-01 00:00"), at(t, cal, "2026-11-01 00:00")
	for _, c := range []struct {
		id   string
		end  time.Time
		want string
	}{{"S1", nov, "T1"}, {"T3", oct, "T3"}, {"T3", nov, "T1"}, {"L1", nov, ""}, {"nobody", nov, ""}} {
		if got := o.Owner(c.id, c.end); got != c.want {
			t.Errorf("Owner(%s, %s) = %q, want %q", c.id, c.end.Format("01-02"), got, c.want)
		}
	}
	if _, err := NewOrg([]Unit{{ID: "A", MergedInto: "B"}, {ID: "B", MergedInto: "A"}}); err == nil {
		t.Error("a merge loop was accepted")
	}
}

func TestParsePeriod(t *testing.T) {
	loc := testCal(t).Location()
	for _, c := range []struct{ in, label, prev string }{
		{"2026", "2026年", "2025"}, {"2026-Q1", "2026年第1季度", "2025-Q4"}, {"2026-01", "2026年1月", "2025-12"}, {"2026-12", "2026年12月", "2026-11"},
	} {
		p, err := ParsePeriod(c.in, loc)
		if err != nil || p.Label != c.label || p.Key() != c.in || p.Previous().Key() != c.prev {
			t.Errorf("ParsePeriod(%s) = %+v %v (key %s prev %s)", c.in, p, err, p.Key(), p.Previous().Key())
		}
	}
	for _, bad := range []string{"", "26", "2026-13", "2026-Q5", "1999", "2026-7", "abcd", "2026-1x", "2026-Q1x"} {
		if _, err := ParsePeriod(bad, loc); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", bad)
		}
	}
}
