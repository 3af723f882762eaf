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
