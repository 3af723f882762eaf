package store_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// BenchmarkLeaderSchedules: a district's year of ≈5,000 meetings on its 40
// leaders' schedules (1–6 leaders each, ≈17,500 entries) plus a three-day
// trip a month each, in the store. ConflictCheck is what booking a meeting
// of five leaders does: read their busy time three weeks either side (the ten
// working days either side the nearest free slots are sought in), find the exact conflicts and the three nearest free
// slots. WeekProgramme is drafting an organ's week: its ten leaders, their
// week's entries, assembled. Both report p50 and p99.
func BenchmarkLeaderSchedules(b *testing.B) {
	sh := calendar.Shanghai()
	bench := func(b *testing.B, s *store.Store) {
		gov, _, _ := seedUnits(b, s)
		cal := s.Calendar()
		var leaders []string
		clerk := org.Person{ID: uid.New(), Name: "文秘", Login: "bench-clerk"}
		err := s.Write(ctx, func(tx *store.Tx) error {
			if err := tx.CreatePerson(ctx, clerk, "x", false); err != nil {
				return err
			}
			for i := range 40 {
				p := org.Person{ID: uid.New(), Name: fmt.Sprintf("领导%02d", i), Login: fmt.Sprintf("leader%02d", i), Sort: i}
				if err := tx.CreatePerson(ctx, p, "x", false); err != nil {
					return err
				}
				if i < 10 {
					if err := tx.SetRoles(ctx, p.ID, []org.RoleAssignment{{Role: org.RoleLeader, UnitID: gov}}); err != nil {
						return err
					}
				}
				leaders = append(leaders, p.ID)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		var days []time.Time
		for d := time.Date(2026, 1, 1, 0, 0, 0, 0, sh); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
			if cal.IsWorkday(d) {
				days = append(days, d)
			}
		}
		r := rand.New(rand.NewPCG(5000, 2026))
		t0 := time.Now()
		n := 0
		for chunk := 0; chunk < 10; chunk++ {
			err := s.Write(ctx, func(tx *store.Tx) error {
				for i := chunk * 500; i < (chunk+1)*500; i++ {
					day := days[r.IntN(len(days))]
					start := day.Add(time.Duration(8*60+30+30*r.IntN(14)) * time.Minute)
					end := start.Add(time.Duration(60+30*r.IntN(5)) * time.Minute)
					var es []planner.Entry
					for _, j := range r.Perm(len(leaders))[:1+r.IntN(6)] {
						es = append(es, planner.Entry{PersonID: leaders[j], Title: fmt.Sprintf("会议%d", i), Place: "第一会议室", Start: start, End: end, Visibility: planner.Organ})
					}
					if _, err := tx.ReplaceScheduleEntries(ctx, clerk, planner.Source{Kind: planner.SourceMeeting, ID: fmt.Sprint(i)}, es); err != nil {
						return err
					}
					n += len(es)
				}
				if chunk == 0 {
					for _, l := range leaders {
						for m := 1; m <= 12; m++ {
							first := time.Date(2026, time.Month(m), 1+r.IntN(26), 0, 0, 0, 0, sh)
							s, e := planner.AllDayRange(first, first.AddDate(0, 0, 2), sh)
							if _, err := tx.AddScheduleEntry(ctx, clerk, planner.Entry{PersonID: l, Title: "外出考察", Start: s, End: e, AllDay: true, Visibility: planner.Organ}); err != nil {
								return err
							}
							n++
						}
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("loaded %d entries (5,000 meetings) in %v", n, time.Since(t0).Round(time.Millisecond))
		report := func(b *testing.B, lat []time.Duration) {
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		}
		b.Run("ConflictCheck", func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				day := days[r.IntN(len(days))].Add(9 * time.Hour)
				want := planner.Slot{Start: day, End: day.Add(2 * time.Hour)}
				var people []string
				for _, j := range r.Perm(len(leaders))[:5] {
					people = append(people, leaders[j])
				}
				t := time.Now()
				busy, err := s.BusyIntervals(ctx, people, day.AddDate(0, 0, -21), day.AddDate(0, 0, 21))
				if err != nil {
					b.Fatal(err)
				}
				_ = planner.Conflicts(busy, want, people)
				_ = planner.FreeSlots(cal, busy, planner.SlotQuery{Want: want, People: people})
				lat = append(lat, time.Since(t))
			}
			report(b, lat)
		})
		b.Run("WeekProgramme", func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				monday := planner.WeekStart(days[r.IntN(len(days))], sh)
				t := time.Now()
				rows, err := s.AssembleProgramme(ctx, gov, monday)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t))
				_ = rows
			}
			report(b, lat)
		})
	}
	b.Run("sqlite", func(b *testing.B) { bench(b, storetest.SQLite(b, store.Options{})) })
	b.Run("postgres", func(b *testing.B) { bench(b, storetest.Postgres(b, store.Options{})) })
}
