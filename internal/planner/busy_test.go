package planner_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/planner"
)

var sh = calendar.Shanghai()

// at reads "2026-12-07 09:00" in Asia/Shanghai.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func busy(t testing.TB, person, id, from, to string) planner.Busy {
	return planner.Busy{PersonID: person, EntryID: id, Start: at(t, from), End: at(t, to), Title: id, Visibility: planner.Organ}
}

func allDay(t testing.TB, person, id, first, last string) planner.Busy {
	s, e := planner.AllDayRange(at(t, first+" 00:00"), at(t, last+" 00:00"), sh)
	return planner.Busy{PersonID: person, EntryID: id, Start: s, End: e, AllDay: true, Title: id, Visibility: planner.Organ}
}

func ids(bs []planner.Busy) []string {
	out := []string{}
	for _, b := range bs {
		out = append(out, b.EntryID)
	}
	return out
}

func TestConflicts(t *testing.T) {
	// 李 has a morning meeting, a trip across midnight, an all-day study
	// session on Wednesday and a three-day 调研 trip; 王 a talk at 10:00;
	// the room (for everyone) is booked at 16:00.
	b := []planner.Busy{
		busy(t, "li", "晨会", "2026-12-07 09:00", "2026-12-07 10:00"),
		busy(t, "li", "夜间督查", "2026-12-07 22:00", "2026-12-08 02:00"),
		allDay(t, "li", "集中学习", "2026-12-09", "2026-12-09"),
		allDay(t, "li", "调研", "2026-12-14", "2026-12-16"),
		busy(t, "wang", "谈话", "2026-12-07 10:00", "2026-12-07 11:00"),
		{PersonID: "", EntryID: "会议室", Start: at(t, "2026-12-07 16:00"), End: at(t, "2026-12-07 17:00")},
		{PersonID: "li", EntryID: "瞬间", Start: at(t, "2026-12-10 11:00"), End: at(t, "2026-12-10 11:00")},
	}
	cases := []struct {
		name     string
		from, to string
		people   []string
		want     []string
	}{
		{"ends when the meeting starts", "2026-12-07 08:00", "2026-12-07 09:00", []string{"li"}, []string{}},
		{"starts when the meeting ends", "2026-12-07 10:00", "2026-12-07 10:30", []string{"li"}, []string{}},
		{"one minute into it", "2026-12-07 08:00", "2026-12-07 09:01", []string{"li"}, []string{"晨会"}},
		{"inside it", "2026-12-07 09:15", "2026-12-07 09:45", []string{"li"}, []string{"晨会"}},
		{"covers it", "2026-12-07 08:00", "2026-12-07 12:00", []string{"li"}, []string{"晨会"}},
		{"two people, ordered as asked", "2026-12-07 09:30", "2026-12-07 10:30", []string{"wang", "li"}, []string{"谈话", "晨会"}},
		{"another person's entry does not count", "2026-12-07 10:00", "2026-12-07 11:00", []string{"li"}, []string{}},
		{"everyone's interval counts for anyone", "2026-12-07 16:30", "2026-12-07 17:30", []string{"li"}, []string{"会议室"}},
		{"across midnight, before it", "2026-12-07 23:00", "2026-12-07 23:30", []string{"li"}, []string{"夜间督查"}},
		{"across midnight, after it", "2026-12-08 01:00", "2026-12-08 08:30", []string{"li"}, []string{"夜间督查"}},
		{"the morning after the night trip", "2026-12-08 02:00", "2026-12-08 09:00", []string{"li"}, []string{}},
		{"all day from its first minute", "2026-12-09 00:00", "2026-12-09 00:01", []string{"li"}, []string{"集中学习"}},
		{"all day: the evening before is free", "2026-12-08 20:00", "2026-12-09 00:00", []string{"li"}, []string{}},
		{"all day: the next midnight is free", "2026-12-10 00:00", "2026-12-10 08:00", []string{"li"}, []string{}},
		{"multi-day: the middle day", "2026-12-15 14:30", "2026-12-15 15:30", []string{"li"}, []string{"调研"}},
		{"multi-day: the last evening", "2026-12-16 23:59", "2026-12-17 00:30", []string{"li"}, []string{"调研"}},
		{"multi-day: the day after", "2026-12-17 00:00", "2026-12-17 12:00", []string{"li"}, []string{}},
		{"a slot spanning several entries", "2026-12-07 08:00", "2026-12-09 12:00", []string{"li"}, []string{"晨会", "夜间督查", "集中学习", "会议室"}},
		{"an instant inside the slot", "2026-12-10 10:00", "2026-12-10 11:30", []string{"li"}, []string{"瞬间"}},
		{"an instant at the slot's end", "2026-12-10 10:00", "2026-12-10 11:00", []string{"li"}, []string{}},
		{"an instant at the slot's start", "2026-12-10 11:00", "2026-12-10 11:30", []string{"li"}, []string{"瞬间"}},
		{"no people: everyone counts", "2026-12-07 09:30", "2026-12-07 10:30", nil, []string{"晨会", "谈话"}},
		{"a person not on any schedule", "2026-12-07 09:00", "2026-12-07 10:00", []string{"zhao"}, []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ids(planner.Conflicts(b, planner.Slot{Start: at(t, c.from), End: at(t, c.to)}, c.people))
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestConflictsExceptSelf(t *testing.T) {
	b := []planner.Busy{busy(t, "li", "a", "2026-12-07 09:00", "2026-12-07 10:00"), busy(t, "li", "b", "2026-12-07 09:30", "2026-12-07 11:00")}
	b[1].Source = planner.Source{Kind: planner.SourceMeeting, ID: "m1"}
	want := planner.Slot{Start: at(t, "2026-12-07 09:00"), End: at(t, "2026-12-07 10:00")}
	if got := ids(planner.Conflicts(planner.Without(b, "a"), want, []string{"li"})); !slices.Equal(got, []string{"b"}) {
		t.Errorf("editing a: %v", got)
	}
	if got := ids(planner.Conflicts(planner.WithoutSource(b, planner.Source{Kind: planner.SourceMeeting, ID: "m1"}), want, []string{"li"})); !slices.Equal(got, []string{"a"}) {
		t.Errorf("moving meeting m1: %v", got)
	}
}

func slotsText(ss []planner.Slot) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, s.Start.In(sh).Format("01-02 15:04")+"–"+s.End.In(sh).Format("15:04"))
	}
	return out
}

func TestFreeSlots(t *testing.T) {
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	li := []string{"li"}
	cases := []struct {
		name      string
		busy      []planner.Busy
		from, to  string
		people    []string
		notBefore string
		max       int
		want      []string
	}{
		{"free: the wanted slot itself first", nil, "2026-12-07 09:00", "2026-12-07 10:00", li, "", 3,
			[]string{"12-07 09:00–10:00", "12-07 10:00–11:00", "12-07 11:00–12:00"}},
		{"after a busy hour, the hour right after it", []planner.Busy{busy(t, "li", "x", "2026-12-07 09:00", "2026-12-07 10:15")},
			"2026-12-07 09:00", "2026-12-07 10:00", li, "", 2,
			[]string{"12-07 10:15–11:15", "12-07 14:30–15:30"}},
		{"a busy morning moves the slot to the afternoon", []planner.Busy{busy(t, "li", "x", "2026-12-07 08:00", "2026-12-07 12:00")},
			"2026-12-07 09:00", "2026-12-07 11:00", li, "2026-12-07 08:00", 2,
			[]string{"12-07 14:30–16:30", "12-08 09:00–11:00"}},
		{"never across lunch", nil, "2026-12-07 11:30", "2026-12-07 12:30", li, "2026-12-07 11:30", 1,
			[]string{"12-07 14:30–15:30"}},
		{"a slot longer than a session spans the day", nil, "2026-12-07 09:00", "2026-12-07 13:00", li, "2026-12-07 09:00", 1,
			[]string{"12-07 09:00–13:00"}},
		{"not before now", nil, "2026-12-07 09:00", "2026-12-07 10:00", li, "2026-12-07 16:50", 2,
			[]string{"12-08 09:00–10:00", "12-08 10:00–11:00"}},
		{"the weekend is skipped", []planner.Busy{busy(t, "li", "x", "2026-12-11 08:00", "2026-12-11 18:00")},
			"2026-12-11 15:00", "2026-12-11 16:00", li, "2026-12-11 08:00", 1,
			[]string{"12-14 15:00–16:00"}},
		{"an all-day entry blocks its day", []planner.Busy{allDay(t, "li", "x", "2026-12-08", "2026-12-08")},
			"2026-12-08 09:00", "2026-12-08 10:00", li, "2026-12-08 00:00", 1,
			[]string{"12-09 09:00–10:00"}},
		{"a multi-day trip: the first free day after it", []planner.Busy{allDay(t, "li", "x", "2026-12-08", "2026-12-10")},
			"2026-12-09 09:00", "2026-12-09 10:00", li, "2026-12-08 00:00", 1,
			[]string{"12-11 09:00–10:00"}},
		{"another person's time counts when asked about", []planner.Busy{busy(t, "wang", "x", "2026-12-07 08:00", "2026-12-07 18:00")},
			"2026-12-07 09:00", "2026-12-07 10:00", []string{"li", "wang"}, "2026-12-07 00:00", 1,
			[]string{"12-08 09:00–10:00"}},
		{"another person's time does not count otherwise", []planner.Busy{busy(t, "wang", "x", "2026-12-07 08:00", "2026-12-07 18:00")},
			"2026-12-07 09:00", "2026-12-07 10:00", li, "2026-12-07 00:00", 1,
			[]string{"12-07 09:00–10:00"}},
		{"a room's booking counts for everyone", []planner.Busy{{Start: at(t, "2026-12-07 08:00"), End: at(t, "2026-12-07 18:00")}},
			"2026-12-07 09:00", "2026-12-07 10:00", li, "2026-12-07 00:00", 1,
			[]string{"12-08 09:00–10:00"}},
		{"offered slots do not overlap each other", []planner.Busy{busy(t, "li", "x", "2026-12-07 09:00", "2026-12-07 10:00")},
			"2026-12-07 09:00", "2026-12-07 10:00", li, "2026-12-07 09:00", 3,
			[]string{"12-07 10:00–11:00", "12-07 11:00–12:00", "12-07 14:30–15:30"}},
		{"国庆: the holiday week is skipped, 调休 Saturday offered", []planner.Busy{busy(t, "li", "x", "2026-09-28 00:00", "2026-09-30 23:59"), busy(t, "li", "y", "2026-10-08 00:00", "2026-10-09 23:59")},
			"2026-09-30 09:00", "2026-09-30 10:00", li, "2026-09-28 00:00", 1,
			[]string{"10-10 09:00–10:00"}},
		{"Spring Festival 调休 Saturday is a working day", nil,
			"2026-02-14 09:00", "2026-02-14 10:00", li, "2026-02-14 00:00", 1,
			[]string{"02-14 09:00–10:00"}},
		{"a wanted slot on Sunday: the nearest working day", nil,
			"2026-12-13 10:00", "2026-12-13 11:00", li, "2026-12-12 00:00", 2,
			[]string{"12-14 10:00–11:00", "12-14 09:00–10:00"}},
		{"an instant blocks the slot containing it", []planner.Busy{{PersonID: "li", Start: at(t, "2026-12-07 09:30"), End: at(t, "2026-12-07 09:30")}},
			"2026-12-07 09:00", "2026-12-07 10:00", li, "2026-12-07 09:00", 1,
			[]string{"12-07 10:00–11:00"}},
		{"an empty wanted slot offers nothing", nil, "2026-12-07 09:00", "2026-12-07 09:00", li, "", 3, []string{}},
		{"nothing free within the days looked at", []planner.Busy{busy(t, "li", "x", "2026-11-01 00:00", "2027-02-01 00:00")},
			"2026-12-07 09:00", "2026-12-07 10:00", li, "", 3, []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := planner.SlotQuery{Want: planner.Slot{Start: at(t, c.from), End: at(t, c.to)}, People: c.people, Max: c.max}
			if c.notBefore != "" {
				q.NotBefore = at(t, c.notBefore)
			}
			got := planner.FreeSlots(cal, c.busy, q)
			if !slices.Equal(slotsText(got), c.want) {
				t.Errorf("got %v, want %v", slotsText(got), c.want)
			}
			for _, s := range got {
				if len(planner.Conflicts(c.busy, s, c.people)) > 0 {
					t.Errorf("offered %v conflicts", slotsText([]planner.Slot{s}))
				}
				if !cal.IsWorkday(s.Start) {
					t.Errorf("offered %v on a day off", slotsText([]planner.Slot{s}))
				}
			}
		})
	}
}

func TestValidate(t *testing.T) {
	ok := planner.Entry{PersonID: "li", Title: "调研", Start: at(t, "2026-12-07 09:00"), End: at(t, "2026-12-07 10:00"), Visibility: planner.Organ}
	cases := []struct {
		name string
		edit func(e *planner.Entry)
		want string
	}{
		{"fine", func(e *planner.Entry) {}, ""},
		{"no person", func(e *planner.Entry) { e.PersonID = "" }, "请选择"},
		{"no title", func(e *planner.Entry) { e.Title = "  " }, "日程内容"},
		{"long title", func(e *planner.Entry) { e.Title = strings.Repeat("字", planner.MaxTitle+1) }, "不能超过"},
		{"end before start", func(e *planner.Entry) { e.End = e.Start.Add(-time.Minute) }, "晚于"},
		{"empty", func(e *planner.Entry) { e.End = e.Start }, "晚于"},
		{"too long", func(e *planner.Entry) { e.End = e.Start.Add(planner.MaxSpan + time.Minute) }, "天"},
		{"visibility", func(e *planner.Entry) { e.Visibility = "all" }, "可见范围"},
		{"source without id", func(e *planner.Entry) { e.Source = planner.Source{Kind: planner.SourceMeeting} }, "来源"},
	}
	for _, c := range cases {
		e := ok
		c.edit(&e)
		err := e.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestTexts(t *testing.T) {
	s, e := planner.AllDayRange(at(t, "2026-12-31 15:00"), at(t, "2027-01-02 00:00"), sh)
	cases := []struct{ got, want string }{
		{planner.SpanText(at(t, "2026-12-08 09:00"), at(t, "2026-12-08 10:30"), false, sh), "12月8日 09:00–10:30"},
		{planner.SpanText(at(t, "2026-12-08 22:00"), at(t, "2026-12-09 02:00"), false, sh), "12月8日 22:00–12月9日 02:00"},
		{planner.SpanText(at(t, "2026-12-08 00:00"), at(t, "2026-12-09 00:00"), true, sh), "12月8日（全天）"},
		{planner.SpanText(at(t, "2026-12-08 00:00"), at(t, "2026-12-11 00:00"), true, sh), "12月8日–12月10日（全天）"},
		{planner.SpanText(s, e, true, sh), "2026年12月31日–2027年1月2日（全天）"},
		{planner.ConflictText(planner.Busy{Start: at(t, "2026-12-08 09:00"), End: at(t, "2026-12-08 10:30"), Title: "区政府常务会",
			Source: planner.Source{Kind: planner.SourceMeeting, ID: "m"}}, "李明", sh), "李明 12月8日 09:00–10:30 已有安排：区政府常务会（会议）"},
		{planner.ConflictText(planner.Busy{Start: at(t, "2026-12-08 09:00"), End: at(t, "2026-12-08 10:30"), Title: "谈心谈话"}.Redacted(), "李明", sh),
			"李明 12月8日 09:00–10:30 已有安排（忙）"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
