package meeting

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

var sh = calendar.Shanghai()

// at is a time in Beijing on a day of December 2026 (the 7th is a Monday).
func at(day, h, m int) time.Time { return time.Date(2026, 12, day, h, m, 0, 0, sh) }

func cal(t testing.TB) *calendar.Calendar {
	c, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func room(who string, s, e time.Time, title string) Busy {
	return Busy{Kind: RoomBusy, Who: who, Start: s, End: e, Title: title, SourceKind: "meeting", SourceID: title}
}

func person(who string, s, e time.Time, title string) Busy {
	return Busy{Kind: PersonBusy, Who: who, Start: s, End: e, Title: title}
}

func titles(cs []Conflict) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Title)
	}
	return out
}

func TestConflicts(t *testing.T) {
	want := Wanted{Slot: Slot{at(8, 9, 0), at(8, 11, 0)}, Room: "r1", People: []string{"区长", "副区长"}}
	cases := []struct {
		name string
		busy []Busy
		w    func(Wanted) Wanted
		want []string
	}{
		{"nothing", nil, nil, nil},
		{"room taken inside", []Busy{room("r1", at(8, 9, 30), at(8, 10, 0), "A")}, nil, []string{"A"}},
		{"room taken across the start", []Busy{room("r1", at(8, 8, 0), at(8, 9, 1), "A")}, nil, []string{"A"}},
		{"room taken across the end", []Busy{room("r1", at(8, 10, 59), at(8, 12, 0), "A")}, nil, []string{"A"}},
		{"room taken around", []Busy{room("r1", at(8, 8, 0), at(8, 12, 0), "A")}, nil, []string{"A"}},
		{"touching before is free", []Busy{room("r1", at(8, 8, 0), at(8, 9, 0), "A")}, nil, nil},
		{"touching after is free", []Busy{room("r1", at(8, 11, 0), at(8, 12, 0), "A")}, nil, nil},
		{"another room", []Busy{room("r2", at(8, 9, 0), at(8, 11, 0), "A")}, nil, nil},
		{"a leader on a trip", []Busy{person("副区长", at(8, 10, 0), at(8, 16, 0), "调研")}, nil, []string{"调研"}},
		{"someone not invited", []Busy{person("书记", at(8, 9, 0), at(8, 11, 0), "X")}, nil, nil},
		{"all day the day before, to midnight", []Busy{person("区长", at(7, 0, 0), at(8, 0, 0), "值班")}, nil, nil},
		{"overnight duty into the morning", []Busy{person("区长", at(7, 18, 0), at(8, 9, 30), "值班")}, nil, []string{"值班"}},
		{"multi-day trip", []Busy{person("区长", at(6, 8, 0), at(10, 18, 0), "出差")}, nil, []string{"出差"}},
		{"room first, then people in order, each by start", []Busy{
			person("副区长", at(8, 9, 0), at(8, 10, 0), "P2"), person("区长", at(8, 10, 0), at(8, 10, 30), "P1b"),
			person("区长", at(8, 8, 0), at(8, 9, 30), "P1a"), room("r1", at(8, 10, 0), at(8, 12, 0), "R"),
		}, nil, []string{"R", "P1a", "P1b", "P2"}},
		{"its own entries do not count when it moves", []Busy{room("r1", at(8, 9, 0), at(8, 11, 0), "self"),
			{Kind: PersonBusy, Who: "区长", Start: at(8, 9, 0), End: at(8, 11, 0), Title: "self", SourceKind: "meeting", SourceID: "self"}},
			func(w Wanted) Wanted { w.Self = "self"; return w }, nil},
		{"no room asked", []Busy{room("", at(8, 9, 0), at(8, 11, 0), "A")}, func(w Wanted) Wanted { w.Room = ""; return w }, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := want
			if c.w != nil {
				w = c.w(w)
			}
			if got := titles(Conflicts(w, c.busy)); !slices.Equal(got, c.want) {
				t.Errorf("conflicts %v, want %v", got, c.want)
			}
		})
	}
}

func slots(ss []Slot) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Start.In(sh).Format("01-02 15:04")+"-"+s.End.In(sh).Format("15:04"))
	}
	return out
}

func TestFreeSlots(t *testing.T) {
	c := cal(t)
	monday9 := Wanted{Slot: Slot{at(7, 9, 0), at(7, 11, 0)}, Room: "r1", People: []string{"区长"}}
	cases := []struct {
		name      string
		w         Wanted
		busy      []Busy
		notBefore time.Time
		n         int
		want      []string
	}{
		{"free: the wanted slot itself is nearest", monday9, nil, at(1, 0, 0), 3,
			[]string{"12-07 08:30-10:30", "12-07 09:00-11:00", "12-07 09:30-11:30"}},
		{"room taken in the morning: the nearest after it, the same day", monday9,
			[]Busy{room("r1", at(7, 8, 30), at(7, 12, 0), "A")}, at(1, 0, 0), 3,
			// 12:00-14:00 crosses lunch but lies in the office day
			[]string{"12-07 12:00-14:00", "12-07 12:30-14:30", "12-07 13:00-15:00"}},
		{"room and leader both count", monday9, []Busy{room("r1", at(7, 8, 30), at(7, 12, 0), "A"),
			person("区长", at(7, 12, 0), at(7, 17, 30), "调研")}, at(7, 0, 0), 2,
			[]string{"12-08 08:30-10:30", "12-08 09:00-11:00"}},
		{"never before notBefore", monday9, []Busy{room("r1", at(7, 8, 30), at(7, 12, 0), "A")}, at(7, 13, 0), 2,
			[]string{"12-07 13:00-15:00", "12-07 13:30-15:30"}},
		{"the weekend is skipped", Wanted{Slot: Slot{at(4, 15, 0), at(4, 17, 0)}, Room: "r1"},
			[]Busy{room("r1", at(4, 8, 30), at(4, 17, 30), "全天")}, at(4, 0, 0), 2,
			[]string{"12-07 08:30-10:30", "12-07 09:00-11:00"}},
		{"longer than an office day: none", Wanted{Slot: Slot{at(7, 8, 0), at(7, 18, 0)}}, nil, at(1, 0, 0), 3, nil},
		{"the whole office day", Wanted{Slot: Slot{at(7, 8, 30), at(7, 17, 30)}, Room: "r1"},
			[]Busy{room("r1", at(7, 17, 0), at(7, 18, 0), "A")}, at(7, 0, 0), 1, []string{"12-08 08:30-17:30"}},
		{"a long span busy far back still counts", monday9, []Busy{person("区长", at(1, 0, 0), at(9, 0, 0), "出差")}, at(1, 0, 0), 1,
			[]string{"12-09 08:30-10:30"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := slots(FreeSlots(c, tc.w, tc.busy, tc.notBefore, tc.n))
			if !slices.Equal(got, tc.want) {
				t.Errorf("free %v, want %v", got, tc.want)
			}
			for _, s := range FreeSlots(c, tc.w, tc.busy, tc.notBefore, tc.n) {
				w := tc.w
				w.Slot = s
				if cs := Conflicts(w, tc.busy); len(cs) > 0 {
					t.Errorf("offered %v conflicts with %v", slots([]Slot{s}), titles(cs))
				}
			}
		})
	}
}

// yearOfMeetings is a district's year: about 5,000 meetings in 8 rooms
// with 12 leaders, 1–3 hours each, on working days in office hours.
func yearOfMeetings(c *calendar.Calendar, n int) []Busy {
	rng := rand.New(rand.NewPCG(1, 2))
	var out []Busy
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, sh)
	for len(out) < n*3 {
		day := start.AddDate(0, 0, rng.IntN(365))
		if !c.IsWorkday(day) {
			continue
		}
		s := day.Add(time.Duration(8*60+30+30*rng.IntN(16)) * time.Minute)
		e := s.Add(time.Duration(1+rng.IntN(3)) * time.Hour)
		id := fmt.Sprint(len(out))
		out = append(out, Busy{Kind: RoomBusy, Who: fmt.Sprint("r", rng.IntN(8)), Start: s, End: e, Title: id, SourceKind: "meeting", SourceID: id})
		for range 2 {
			out = append(out, Busy{Kind: PersonBusy, Who: fmt.Sprint("l", rng.IntN(12)), Start: s, End: e, Title: id, SourceKind: "meeting", SourceID: id})
		}
	}
	return out
}

// BenchmarkConflictCheck is the booking's whole check — conflicts and the
// nearest free slots — over a year of a district's meetings (≈5,000, each
// holding a room and two leaders), given unsorted: the store hands it only
// what falls near the wanted day, so this bounds it from above.
func BenchmarkConflictCheck(b *testing.B) {
	c := cal(b)
	busy := yearOfMeetings(c, 5000)
	w := Wanted{Slot: Slot{at(8, 9, 0), at(8, 11, 0)}, Room: "r1", People: []string{"l1", "l2", "l3"}}
	b.ReportAllocs()
	var times []time.Duration
	for b.Loop() {
		t0 := time.Now()
		_ = Conflicts(w, busy)
		_ = FreeSlots(c, w, busy, at(1, 0, 0), 5)
		times = append(times, time.Since(t0))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}
