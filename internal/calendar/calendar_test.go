package calendar

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

func mustDefault(t testing.TB) *Calendar {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func at(c *Calendar, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, c.Location())
	if err != nil {
		panic(err)
	}
	return t
}

func TestShanghaiZone(t *testing.T) {
	loc := Shanghai()
	_, off := time.Date(2026, 7, 1, 12, 0, 0, 0, loc).Zone()
	if off != 8*3600 {
		t.Fatalf("offset = %d, want +8h", off)
	}
}

func TestShippedYears(t *testing.T) {
	c := mustDefault(t)
	for _, y := range []int{2026, 2027} {
		if !c.Covers(y) {
			t.Errorf("shipped calendar lacks %d", y)
		}
	}
	for _, y := range c.Years() {
		if y.Year == 2027 && !y.Provisional {
			t.Error("2027 must be marked provisional until checked against the State Council notice")
		}
		if y.Year == 2026 && y.Provisional {
			t.Error("2026 is transcribed from the published notice")
		}
	}
}

func TestIsWorkday(t *testing.T) {
	c := mustDefault(t)
	cases := []struct {
		date string
		want bool
	}{
		{"2026-01-01", false}, // 元旦
		{"2026-01-02", false}, // Friday off
		{"2026-01-04", true},  // Sunday make-up day
		{"2026-01-05", true},  // ordinary Monday
		{"2026-02-14", true},  // Saturday make-up day
		{"2026-02-16", false}, // 除夕
		{"2026-02-23", false}, // last day of 春节
		{"2026-02-24", true},
		{"2026-02-28", true},  // Saturday make-up
		{"2026-03-07", false}, // ordinary Saturday
		{"2026-04-06", false},
		{"2026-05-09", true},
		{"2026-09-20", true},
		{"2026-10-07", false},
		{"2026-10-08", true},
		{"2026-10-10", true},
		{"2027-02-09", false}, // provisional compensatory day
		{"2028-01-03", true},  // uncovered year: Monday–Friday rule
		{"2028-01-08", false},
	}
	for _, tc := range cases {
		got := c.IsWorkday(at(c, tc.date+" 12:00"))
		if got != tc.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tc.date, got, tc.want)
		}
	}
	// A UTC instant late on 2026-09-30 is already 10-01 in Shanghai.
	if c.IsWorkday(time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC)) {
		t.Error("dates must be taken in Asia/Shanghai")
	}
}

func TestAddWorkdays(t *testing.T) {
	c := mustDefault(t)
	cases := []struct {
		from string
		n    int
		want string
	}{
		{"2026-03-02 08:00", 1, "2026-03-02 17:30"}, // before office: today counts
		{"2026-03-02 08:30", 1, "2026-03-02 17:30"},
		{"2026-03-02 10:00", 1, "2026-03-03 17:30"},
		{"2026-03-06 10:00", 1, "2026-03-09 17:30"}, // Friday → Monday
		{"2026-03-06 10:00", 3, "2026-03-11 17:30"},
		{"2026-09-30 10:00", 1, "2026-10-08 17:30"}, // over 国庆
		{"2026-09-30 10:00", 2, "2026-10-09 17:30"},
		{"2026-09-30 10:00", 3, "2026-10-10 17:30"}, // Saturday make-up day counts
		{"2026-02-13 10:00", 1, "2026-02-14 17:30"},
		{"2026-02-14 10:00", 1, "2026-02-24 17:30"},
		{"2026-03-07 09:00", 1, "2026-03-09 17:30"}, // Saturday
		{"2026-03-02 10:00", 0, "2026-03-02 17:30"},
		{"2026-03-02 18:00", 0, "2026-03-03 17:30"},
		{"2026-03-07 10:00", 0, "2026-03-09 17:30"},
		{"2026-12-31 10:00", 1, "2027-01-04 17:30"}, // into the provisional year
	}
	for _, tc := range cases {
		got, err := c.AddWorkdays(at(c, tc.from), tc.n)
		if err != nil {
			t.Fatal(err)
		}
		if want := at(c, tc.want); !got.Equal(want) {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tc.from, tc.n, got.Format("2006-01-02 15:04"), tc.want)
		}
	}
	if _, err := c.AddWorkdays(at(c, "2026-03-02 10:00"), -1); err == nil {
		t.Error("negative days accepted")
	}
	if _, err := c.AddWorkdays(at(c, "2026-03-02 10:00"), 1_000_000); err == nil {
		t.Error("absurd days accepted")
	}
}

func TestAddWorkingTime(t *testing.T) {
	c := mustDefault(t)
	cases := []struct {
		from string
		d    time.Duration
		want string
	}{
		{"2026-03-02 09:00", time.Hour, "2026-03-02 10:00"},
		{"2026-03-02 11:00", time.Hour, "2026-03-02 12:00"}, // ends exactly at the session end
		{"2026-03-02 11:00", 2 * time.Hour, "2026-03-02 15:30"},
		{"2026-03-02 12:30", time.Hour, "2026-03-02 15:30"}, // lunch break
		{"2026-03-02 07:00", 30 * time.Minute, "2026-03-02 09:00"},
		{"2026-03-06 16:30", 4 * time.Hour, "2026-03-09 11:30"}, // over the weekend
		{"2026-09-30 17:00", time.Hour, "2026-10-08 09:00"},     // over 国庆
		{"2026-03-02 09:00", 0, "2026-03-02 09:00"},
		{"2026-03-02 09:00", 13 * time.Hour, "2026-03-04 09:00"}, // 6h Monday + 6.5h Tuesday + 0.5h
	}
	for _, tc := range cases {
		got, err := c.AddWorkingTime(at(c, tc.from), tc.d)
		if err != nil {
			t.Fatal(err)
		}
		if want := at(c, tc.want); !got.Equal(want) {
			t.Errorf("AddWorkingTime(%s, %s) = %s, want %s", tc.from, tc.d, got.Format("2006-01-02 15:04"), tc.want)
		}
	}
}

func TestWorkingTimeBetween(t *testing.T) {
	c := mustDefault(t)
	cases := []struct {
		a, b string
		want time.Duration
	}{
		{"2026-03-02 08:00", "2026-03-02 18:00", 6*time.Hour + 30*time.Minute},
		{"2026-03-06 16:30", "2026-03-09 11:30", 4 * time.Hour},
		{"2026-09-30 17:00", "2026-10-08 09:00", time.Hour},
		{"2026-10-01 00:00", "2026-10-08 00:00", 0},
		{"2026-03-02 12:10", "2026-03-02 14:20", 0},
		{"2026-03-09 11:30", "2026-03-06 16:30", -4 * time.Hour},
	}
	for _, tc := range cases {
		if got := c.WorkingTimeBetween(at(c, tc.a), at(c, tc.b)); got != tc.want {
			t.Errorf("WorkingTimeBetween(%s, %s) = %s, want %s", tc.a, tc.b, got, tc.want)
		}
	}
}

// Adding d of working time and measuring it back must give d.
func TestAddWorkingTimeRoundTrip(t *testing.T) {
	c := mustDefault(t)
	r := rand.New(rand.NewPCG(1, 2))
	base := at(c, "2026-01-01 00:00")
	for i := 0; i < 2000; i++ {
		from := base.Add(time.Duration(r.IntN(2*365*24*60)) * time.Minute)
		d := time.Duration(r.IntN(40*60)) * time.Minute
		to, err := c.AddWorkingTime(from, d)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.WorkingTimeBetween(from, to); got != d {
			t.Fatalf("from %s add %s → %s, measured back %s", from, d, to, got)
		}
		n := r.IntN(30)
		due, err := c.AddWorkdays(from, n)
		if err != nil {
			t.Fatal(err)
		}
		if !c.IsWorkday(due) || due.Before(from) {
			t.Fatalf("AddWorkdays(%s, %d) = %s: not a later working day", from, n, due)
		}
	}
}

func TestDue(t *testing.T) {
	c := mustDefault(t)
	from := at(c, "2026-03-06 16:30")
	cases := []struct {
		l    Limit
		want string
		ok   bool
	}{
		{Limit{}, "", false},
		{Days(1), "2026-03-09 17:30", true},
		{Hours(4), "2026-03-09 11:30", true},
		{ClockHoursOf(1), "2026-03-06 17:30", true},
	}
	for _, tc := range cases {
		got, ok, err := c.Due(from, tc.l)
		if err != nil || ok != tc.ok {
			t.Fatalf("Due(%v) ok=%v err=%v", tc.l, ok, err)
		}
		if ok && !got.Equal(at(c, tc.want)) {
			t.Errorf("Due(%v) = %s, want %s", tc.l, got, tc.want)
		}
	}
	if _, _, err := c.Due(from, Limit{Unit: "weeks", N: 1}); err == nil || !strings.Contains(err.Error(), "单位") {
		t.Errorf("bad unit: err = %v", err)
	}
}

func TestStateAt(t *testing.T) {
	c := mustDefault(t)
	due := at(c, "2026-03-09 10:00") // Monday
	cases := []struct {
		now  string
		soon Limit
		want State
	}{
		{"2026-03-02 10:00", DefaultSoon(), Normal},
		{"2026-03-06 09:00", DefaultSoon(), Normal},  // 8h working time left
		{"2026-03-06 17:00", DefaultSoon(), DueSoon}, // 2h left over the weekend
		{"2026-03-07 10:00", Hours(2), DueSoon},
		{"2026-03-07 10:00", ClockHoursOf(2), Normal}, // 48h of clock time left
		{"2026-03-09 10:00", DefaultSoon(), DueSoon},
		{"2026-03-09 10:01", DefaultSoon(), Overdue},
	}
	for _, tc := range cases {
		if got := c.StateAt(due, at(c, tc.now), tc.soon); got != tc.want {
			t.Errorf("StateAt(now %s, soon %v) = %s, want %s", tc.now, tc.soon, got.Label(), tc.want.Label())
		}
	}
	if got := c.StateAt(time.Time{}, at(c, "2026-03-09 10:01"), DefaultSoon()); got != Normal {
		t.Errorf("no due time: %s", got)
	}
}

func TestNewRefusesBadData(t *testing.T) {
	cases := []struct {
		name  string
		years []Year
		want  string
	}{
		{"bad date", []Year{{Year: 2026, Days: []Day{{Date: "2026-13-01", Kind: Holiday}}}}, "格式"},
		{"other year", []Year{{Year: 2026, Days: []Day{{Date: "2027-01-01", Kind: Holiday}}}}, "其他年份"},
		{"bad kind", []Year{{Year: 2026, Days: []Day{{Date: "2026-01-01", Kind: "rest"}}}}, "类型"},
		{"dup date", []Year{{Year: 2026, Days: []Day{{Date: "2026-01-01", Kind: Holiday}, {Date: "2026-01-01", Kind: Workday}}}}, "重复"},
		{"dup year", []Year{{Year: 2026}, {Year: 2026}}, "重复"},
	}
	for _, tc := range cases {
		_, err := New(tc.years, DefaultOfficeHours())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	if _, err := New(nil, OfficeHours{{Start: 600, End: 500}}); err == nil {
		t.Error("inverted office hours accepted")
	}
}

func TestEditAndSerialise(t *testing.T) {
	c := mustDefault(t)
	b, err := json.Marshal(c.Years())
	if err != nil {
		t.Fatal(err)
	}
	var years []Year
	if err := json.Unmarshal(b, &years); err != nil {
		t.Fatal(err)
	}
	c2, err := New(years, c.Hours())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c2.Years(), c.Years()) {
		t.Fatal("years do not survive a JSON round trip")
	}
	// The administrator corrects 2027: a make-up Sunday.
	y2027 := Year{Year: 2027, Source: "国务院办公厅通知", Days: []Day{{Date: "2027-02-14", Kind: Workday, Name: "春节调休上班"}}}
	c3, err := c.WithYear(y2027)
	if err != nil {
		t.Fatal(err)
	}
	if !c3.IsWorkday(at(c, "2027-02-14 10:00")) || c.IsWorkday(at(c, "2027-02-14 10:00")) {
		t.Error("WithYear must change the new calendar and leave the old one alone")
	}
	h, err := ParseOfficeHours("09:00-12:00，14:00-18:00")
	if err != nil {
		t.Fatal(err)
	}
	c4, err := c.WithHours(h)
	if err != nil {
		t.Fatal(err)
	}
	if got := c4.Hours().PerDay(); got != 7*time.Hour {
		t.Errorf("PerDay = %s", got)
	}
}

func TestParseOfficeHours(t *testing.T) {
	cases := []struct {
		in, want string
		bad      bool
	}{
		{in: "08:30-12:00,14:30-17:30", want: "08:30-12:00,14:30-17:30"},
		{in: "8:30至12:00；14:30～17:30", want: "08:30-12:00,14:30-17:30"},
		{in: "9：00-17：00", want: "09:00-17:00"},
		{in: "", bad: true},
		{in: "12:00-08:30", bad: true},
		{in: "08:30-12:00,11:00-17:00", bad: true},
		{in: "25:00-26:00", bad: true},
		{in: "08:30", bad: true},
	}
	for _, tc := range cases {
		h, err := ParseOfficeHours(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("ParseOfficeHours(%q) accepted", tc.in)
			}
			continue
		}
		if err != nil || h.String() != tc.want {
			t.Errorf("ParseOfficeHours(%q) = %v, %v; want %s", tc.in, h, err, tc.want)
		}
	}
}

func TestParseDays(t *testing.T) {
	days, err := ParseDays("# 2027\n2027-02-14 上班 春节调休上班\n\n2027-02-05　放假 春节\n2027-06-10 休\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []Day{
		{Date: "2027-02-14", Kind: Workday, Name: "春节调休上班"},
		{Date: "2027-02-05", Kind: Holiday, Name: "春节"},
		{Date: "2027-06-10", Kind: Holiday},
	}
	if !reflect.DeepEqual(days, want) {
		t.Fatalf("got %+v", days)
	}
	for _, bad := range []string{"2027-02-30 放假", "2027-02-01 加班", "2027-02-01"} {
		if _, err := ParseDays(bad); err == nil {
			t.Errorf("ParseDays(%q) accepted", bad)
		}
	}
}

func FuzzParseDays(f *testing.F) {
	f.Add("2026-10-01 放假 国庆节\n2026-10-10 上班 国庆节调休上班")
	f.Add("# x\n2026-02-14 班")
	f.Fuzz(func(t *testing.T, s string) {
		days, err := ParseDays(s)
		if err != nil {
			return
		}
		again, err := ParseDays(FormatDays(days))
		if err != nil || !reflect.DeepEqual(again, days) && len(days) > 0 {
			t.Fatalf("round trip: %v %+v vs %+v", err, again, days)
		}
	})
}

func FuzzParseOfficeHours(f *testing.F) {
	f.Add("08:30-12:00,14:30-17:30")
	f.Add("8:30至12:00；14:30～17:30")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseOfficeHours(s)
		if err != nil {
			return
		}
		if err := h.Validate(); err != nil {
			t.Fatalf("parsed invalid hours %v: %v", h, err)
		}
		again, err := ParseOfficeHours(h.String())
		if err != nil || !reflect.DeepEqual(again, h) {
			t.Fatalf("round trip %v → %v, %v", h, again, err)
		}
	})
}

// TestSoonUntil: the boundary SoonUntil gives agrees with StateAt for due
// times around it and across a fortnight, for each kind of window.
func TestSoonUntil(t *testing.T) {
	c := mustDefault(t)
	for _, now := range []string{"2026-03-06 17:00", "2026-03-09 08:00", "2026-03-09 11:45", "2026-03-07 10:00", "2026-09-30 16:00"} {
		n := at(c, now)
		for _, soon := range []Limit{DefaultSoon(), Days(2), Hours(2), ClockHoursOf(2)} {
			x, err := c.SoonUntil(n, soon)
			if err != nil {
				t.Fatal(err)
			}
			check := func(due time.Time) {
				want := c.StateAt(due, n, soon)
				got := Normal
				if due.Before(x) {
					got = DueSoon
				}
				if got != want {
					t.Errorf("now %s, soon %v, due %s: boundary %s says %s, StateAt %s", now, soon, due, x, got.Label(), want.Label())
				}
			}
			for _, d := range []time.Duration{-time.Microsecond, -time.Nanosecond, 0, time.Nanosecond, time.Microsecond} {
				if due := x.Add(d); !due.Before(n) {
					check(due)
				}
			}
			for due := n; due.Before(n.Add(14 * 24 * time.Hour)); due = due.Add(7 * time.Minute) {
				check(due)
			}
		}
	}
}

// FuzzDayEdit: the calendar page's 添加/删除 of one day. An added day is
// refused in Chinese or listed once, in order; removing it gives back the
// year as it was.
func FuzzDayEdit(f *testing.F) {
	f.Add("2026-10-08", "holiday", "国庆节")
	f.Add(" 2026-10-01 ", "workday", "")
	f.Add("2027-01-01", "holiday", "元旦")
	f.Add("2026-02-29", "x", strings.Repeat("名", 41))
	f.Fuzz(func(t *testing.T, date, kind, name string) {
		y := Year{Year: 2026, Days: []Day{{Date: "2026-10-01", Kind: Holiday, Name: "国庆节"}, {Date: "2026-10-11", Kind: Workday}}}
		if n, err := DayOf(date); err == nil && (n < 1 || n > 9999) {
			t.Fatalf("%q: year %d", date, n)
		}
		out, err := y.WithDay(Day{Date: date, Kind: DayKind(kind), Name: name})
		if err != nil {
			if !hanRE.MatchString(err.Error()) {
				t.Fatalf("refusal not in Chinese: %v", err)
			}
			if len(y.Days) != 2 {
				t.Fatal("the year was changed by a refused edit")
			}
			return
		}
		if len(out.Days) != 3 || !sort.SliceIsSorted(out.Days, func(i, j int) bool { return out.Days[i].Date < out.Days[j].Date }) {
			t.Fatalf("days after adding %q: %+v", date, out.Days)
		}
		for i := 1; i < len(out.Days); i++ {
			if out.Days[i].Date == out.Days[i-1].Date {
				t.Fatalf("%s listed twice", out.Days[i].Date)
			}
		}
		back, d, err := out.WithoutDay(date)
		if err != nil || d.Date != strings.TrimSpace(date) || !reflect.DeepEqual(back.Days, y.Days) {
			t.Fatalf("removing %q: %+v, %+v, %v", date, back.Days, d, err)
		}
	})
}

var hanRE = regexp.MustCompile(`\p{Han}`)
