package demo

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// BenchmarkBookingCheck is the booking's whole check through the store — the
// room's meetings and the leaders' schedule entries around the day read from
// the database, the conflicts, the nearest free slots — with a year of a
// district's meetings stored (5,000 of an hour, in the 区政府's four rooms,
// each with two of twelve leaders, so 10,000 schedule entries), on SQLite and, when
// SHUNIU_TEST_POSTGRES is set, PostgreSQL. It reports the 99th percentile.
func BenchmarkBookingCheck(b *testing.B) {
	stores := map[string]func(testing.TB, store.Options) *store.Store{"sqlite": storetest.SQLite}
	if os.Getenv(storetest.EnvPostgres) != "" {
		stores["postgres"] = storetest.Postgres
	}
	for _, name := range []string{"sqlite", "postgres"} {
		open, ok := stores[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			now := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
			s := open(b, store.Options{Now: func() time.Time { return now }})
			d := NewDistrict(now)
			if err := Seed(ctx, s, d); err != nil {
				b.Fatal(err)
			}
			if err := SeedMeetingRooms(ctx, s, d); err != nil {
				b.Fatal(err)
			}
			rooms := MeetingRooms(d)[:4] // the 区政府's, which its office books
			var leaders []string
			clerk := org.Person{}
			for _, p := range d.People {
				if p.Login == "wenmi" {
					clerk = p
				}
			}
			leading := map[string]bool{}
			for _, u := range d.Units {
				if u.Kind == org.KindLeadingBody {
					leading[u.ID] = true
				}
			}
			for _, p := range d.Positions {
				if leading[p.UnitID] && !slices.Contains(leaders, p.PersonID) && len(leaders) < 12 {
					leaders = append(leaders, p.PersonID)
				}
			}
			office := meetingUnit(d, "政府办")
			loc := calendar.Shanghai()
			cal := s.Calendar()
			var slots [][2]int
			for _, h := range []int{8*60 + 30, 9*60 + 30, 10*60 + 30, 14*60 + 30, 15*60 + 30, 16*60 + 30} {
				slots = append(slots, [2]int{h, h + 60})
			}
			n := 0
			for day := time.Date(2026, 1, 1, 0, 0, 0, 0, loc); day.Year() == 2026 && n < 5000; day = day.AddDate(0, 0, 1) {
				if !cal.IsWorkday(day) {
					continue
				}
				// A day's meetings in one transaction.
				err := s.Write(ctx, func(tx *store.Tx) error {
					for _, sl := range slots {
						for r := range rooms {
							if n == 5000 {
								return nil
							}
							m := meeting.NewMeeting{Title: "年度会议", Kind: meeting.Work, OfficeID: office, RoomID: rooms[r].ID,
								Start: day.Add(time.Duration(sl[0]) * time.Minute), End: day.Add(time.Duration(sl[1]) * time.Minute),
								Invitees: []meeting.Invitee{{PersonID: leaders[r], Leader: true}, {PersonID: leaders[r+6], Leader: true}}}
							if _, err := tx.BookMeeting(ctx, clerk, m); err != nil {
								return err
							}
							n++
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			// A booking in a full week: the room and a leader taken.
			want := time.Date(2026, 6, 10, 9, 0, 0, 0, loc)
			w := meeting.Wanted{Slot: meeting.Slot{Start: want, End: want.Add(2 * time.Hour)}, Room: rooms[0].ID, People: []string{leaders[0], leaders[7], leaders[11]}}
			var times []time.Duration
			b.ResetTimer()
			for b.Loop() {
				t0 := time.Now()
				bc, err := s.CheckBooking(ctx, w, now, cal)
				times = append(times, time.Since(t0))
				if err != nil || bc == nil || len(bc.Conflicts) == 0 || len(bc.Free) == 0 {
					b.Fatalf("%+v %v", bc, err)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
