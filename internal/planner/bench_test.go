package planner_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/planner"
)

// YearOfMeetings is a district's year of meetings on its leaders'
// schedules: n meetings over the working days of 2026, each of 1–3 hours in
// office hours with 1–6 of 40 leaders, plus one trip of three days a month
// for each leader. Deterministic.
func yearOfMeetings(cal *calendar.Calendar, n int) (entries []planner.Entry, leaders []planner.Leader) {
	for i := range 40 {
		leaders = append(leaders, planner.Leader{ID: fmt.Sprintf("leader%02d", i), Name: fmt.Sprintf("领导%02d", i)})
	}
	var days []time.Time
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, sh); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		if cal.IsWorkday(d) {
			days = append(days, d)
		}
	}
	r := rand.New(rand.NewPCG(5000, 2026))
	for i := range n {
		day := days[r.IntN(len(days))]
		start := day.Add(time.Duration(8*60+30+30*r.IntN(14)) * time.Minute)
		end := start.Add(time.Duration(60+30*r.IntN(5)) * time.Minute)
		k := 1 + r.IntN(6)
		for _, j := range r.Perm(len(leaders))[:k] {
			entries = append(entries, planner.Entry{ID: fmt.Sprintf("m%d-%d", i, j), PersonID: leaders[j].ID, Title: fmt.Sprintf("会议%d", i),
				Place: "第一会议室", Start: start, End: end, Visibility: planner.Organ, Source: planner.Source{Kind: planner.SourceMeeting, ID: fmt.Sprint(i)}})
		}
	}
	for _, l := range leaders {
		for m := 1; m <= 12; m++ {
			first := time.Date(2026, time.Month(m), 1+r.IntN(26), 0, 0, 0, 0, sh)
			s, e := planner.AllDayRange(first, first.AddDate(0, 0, 2), sh)
			entries = append(entries, planner.Entry{ID: fmt.Sprintf("t%s-%d", l.ID, m), PersonID: l.ID, Title: "外出考察", Start: s, End: e, AllDay: true, Visibility: planner.Organ})
		}
	}
	return entries, leaders
}

func p99(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkConflictCheck: booking a meeting of five leaders against a year
// of ≈5,000 meetings — the exact conflicts over the whole year's busy time,
// then the three nearest free slots — as a booking does it.
func BenchmarkConflictCheck(b *testing.B) {
	cal, err := calendar.Default()
	if err != nil {
		b.Fatal(err)
	}
	entries, leaders := yearOfMeetings(cal, 5000)
	busy := make([]planner.Busy, len(entries))
	for i, e := range entries {
		busy[i] = planner.BusyOf(e)
	}
	b.Logf("%d busy intervals", len(busy))
	r := rand.New(rand.NewPCG(1, 2))
	var lat []time.Duration
	conflicts, none := 0, 0
	for b.Loop() {
		day := time.Date(2026, time.Month(1+r.IntN(12)), 1+r.IntN(28), 9, 0, 0, 0, sh)
		want := planner.Slot{Start: day, End: day.Add(2 * time.Hour)}
		var people []string
		for _, j := range r.Perm(len(leaders))[:5] {
			people = append(people, leaders[j].ID)
		}
		t0 := time.Now()
		cs := planner.Conflicts(busy, want, people)
		free := planner.FreeSlots(cal, busy, planner.SlotQuery{Want: want, People: people})
		lat = append(lat, time.Since(t0))
		conflicts += len(cs)
		if len(free) == 0 {
			none++
		}
	}
	p99(b, lat)
	b.ReportMetric(float64(conflicts)/float64(len(lat)), "conflicts/op")
	b.ReportMetric(float64(none), "no-free-slot")
}

// BenchmarkWeekProgramme: the week programme of ten leaders assembled from
// a whole year's entries (≈5,000 meetings), as if nothing had narrowed them
// to the week first.
func BenchmarkWeekProgramme(b *testing.B) {
	cal, err := calendar.Default()
	if err != nil {
		b.Fatal(err)
	}
	entries, leaders := yearOfMeetings(cal, 5000)
	r := rand.New(rand.NewPCG(3, 4))
	var lat []time.Duration
	for b.Loop() {
		monday := planner.WeekStart(time.Date(2026, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, sh), sh)
		t0 := time.Now()
		rows := planner.Assemble(monday, sh, leaders[:10], entries)
		lat = append(lat, time.Since(t0))
		if len(rows) == 0 {
			b.Fatalf("an empty week %v", monday)
		}
	}
	p99(b, lat)
}
