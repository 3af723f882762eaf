package demo

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// The demo's month of meetings, and the booking check on both stores: a
// room taken and a leader busy (a meeting, or a trip on their schedule) are
// refused with the exact conflict and free slots offered.
func TestSeedMeetingsAndBooking(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC) // a Wednesday, 10:00 in Beijing
	storetest.ForEach(t, store.Options{Now: func() time.Time { return now }}, func(t *testing.T, s *store.Store) {
		d := NewDistrict(now)
		if err := Seed(ctx, s, d); err != nil {
			t.Fatal(err)
		}
		if err := SeedMeetings(ctx, s, d, now); err != nil {
			t.Fatal(err)
		}
		if err := SeedMeetings(ctx, s, d, now); err != nil {
			t.Fatal(err)
		}
		ms, err := s.Meetings(ctx, store.MeetingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		noticed, signed := 0, 0
		for _, m := range ms {
			if m.Status == meeting.Noticed {
				noticed++
			}
			signed += m.Figures(now).SignedIn
		}
		if len(ms) < 15 || noticed < 8 || signed < 20 {
			t.Fatalf("%d meetings, %d noticed, %d sign-ins", len(ms), noticed, signed)
		}
		// Every noticed meeting's leaders have it on their schedules.
		m := ms[len(ms)-1]
		es, err := s.ScheduleEntriesBySource(ctx, planner.Source{Kind: planner.SourceMeeting, ID: m.ID})
		if err != nil || len(es) == 0 {
			t.Fatalf("schedule entries of %s: %v, %v", m.Title, es, err)
		}

		var clerk org.Person
		for _, p := range d.People {
			if p.Login == "wenmi" {
				clerk = p
			}
		}
		leader := es[0].PersonID
		// Room taken by the seeded meeting.
		n := meeting.NewMeeting{Title: "临时协调会", Kind: meeting.Coordinate, OfficeID: m.OfficeID, RoomID: m.RoomID,
			Start: m.Start.Add(30 * time.Minute), End: m.End.Add(30 * time.Minute), Invitees: []meeting.Invitee{{PersonID: clerk.ID}}}
		_, err = s.BookMeeting(ctx, clerk, n)
		var bc *store.BookingConflict
		if !errors.As(err, &bc) || len(bc.Conflicts) != 1 || bc.Conflicts[0].Kind != meeting.RoomBusy || bc.Conflicts[0].Title != m.Title || len(bc.Free) == 0 {
			t.Fatalf("room conflict: %v %+v", err, bc)
		}
		// A leader busy: on a trip entered on their schedule, in another room.
		trip := planner.Entry{PersonID: leader, Title: "赴各镇调研", Start: m.Start.AddDate(0, 0, 1), End: m.Start.AddDate(0, 0, 1).Add(4 * time.Hour), Visibility: planner.Organ}
		if err := s.Write(ctx, func(tx *store.Tx) error { _, err := tx.AddScheduleEntry(ctx, clerk, trip); return err }); err != nil {
			t.Fatal(err)
		}
		n.RoomID = MeetingRooms(d)[2].ID
		n.Start, n.End = trip.Start.Add(time.Hour), trip.Start.Add(2*time.Hour)
		n.Invitees = append(n.Invitees, meeting.Invitee{PersonID: leader, Leader: true})
		_, err = s.BookMeeting(ctx, clerk, n)
		if !errors.As(err, &bc) || len(bc.Conflicts) == 0 || bc.Conflicts[len(bc.Conflicts)-1].Title != "赴各镇调研" {
			t.Fatalf("leader conflict: %v %+v", err, bc)
		}
		// A free slot offered books.
		n.Start, n.End = bc.Free[0].Start, bc.Free[0].End
		got, err := s.BookMeeting(ctx, clerk, n)
		if err != nil {
			t.Fatalf("booking the free slot offered: %v", err)
		}
		if es, _ := s.ScheduleEntriesBySource(ctx, planner.Source{Kind: planner.SourceMeeting, ID: got.ID}); len(es) != 1 || es[0].PersonID != leader {
			t.Errorf("the leader's schedule: %+v", es)
		}
		// Cancelled: the leader's time is free again.
		if _, err := s.MeetingAct(ctx, clerk, got.ID, "cancel", nil, store.OpCancel()); err != nil {
			t.Fatal(err)
		}
		if es, _ := s.ScheduleEntriesBySource(ctx, planner.Source{Kind: planner.SourceMeeting, ID: got.ID}); len(es) != 0 {
			t.Errorf("a cancelled meeting left %d schedule entries", len(es))
		}
		if _, err := s.BookMeeting(ctx, clerk, meeting.NewMeeting{Title: " ", Kind: meeting.Work, OfficeID: m.OfficeID, RoomID: m.RoomID}); err == nil || !strings.Contains(err.Error(), "会议名称") {
			t.Errorf("a blank title: %v", err)
		}
	})
}

// Bookings racing for one room, or for one leader in different rooms: one
// wins each race, the others are refused with the conflict (the room's and
// the leaders' rows are locked before the check on PostgreSQL; SQLite has
// one writer).
func TestBookingRace(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC)
	storetest.ForEach(t, store.Options{Now: func() time.Time { return now }}, func(t *testing.T, s *store.Store) {
		d := NewDistrict(now)
		if err := Seed(ctx, s, d); err != nil {
			t.Fatal(err)
		}
		if err := SeedMeetingRooms(ctx, s, d); err != nil {
			t.Fatal(err)
		}
		var clerk org.Person
		var people []string
		for _, p := range d.People {
			if p.Login == "wenmi" {
				clerk = p
			}
			people = append(people, p.ID)
		}
		rooms := MeetingRooms(d)[:4]
		office := meetingUnit(d, "政府办")
		start := time.Date(2026, 12, 9, 1, 0, 0, 0, time.UTC)
		race := func(n int, mk func(i int) meeting.NewMeeting) (won, refused int) {
			out := make(chan error, n)
			for i := range n {
				go func() {
					_, err := s.BookMeeting(ctx, clerk, mk(i))
					out <- err
				}()
			}
			for range n {
				err := <-out
				var bc *store.BookingConflict
				switch {
				case err == nil:
					won++
				case errors.As(err, &bc):
					refused++
				default:
					t.Errorf("booking: %v", err)
				}
			}
			return won, refused
		}
		// One room, eight bookings overlapping by half an hour or more.
		won, refused := race(8, func(i int) meeting.NewMeeting {
			st := start.Add(time.Duration(i%3) * 30 * time.Minute)
			return meeting.NewMeeting{Title: "抢会议室", Kind: meeting.Work, OfficeID: office, RoomID: rooms[0].ID, Start: st, End: st.Add(2 * time.Hour),
				Invitees: []meeting.Invitee{{PersonID: people[10+i], Leader: true}}}
		})
		if won != 1 || refused != 7 {
			t.Errorf("one room: %d won, %d refused", won, refused)
		}
		// One leader, four rooms at once.
		won, refused = race(4, func(i int) meeting.NewMeeting {
			st := start.AddDate(0, 0, 1)
			return meeting.NewMeeting{Title: "抢领导", Kind: meeting.Work, OfficeID: office, RoomID: rooms[i].ID, Start: st, End: st.Add(time.Hour),
				Invitees: []meeting.Invitee{{PersonID: people[3], Leader: true}}}
		})
		if won != 1 || refused != 3 {
			t.Errorf("one leader: %d won, %d refused", won, refused)
		}
	})
}
