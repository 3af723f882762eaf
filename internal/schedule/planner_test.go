package schedule_test

import (
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/schedule"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// Two schedulers on one database: the leader gets tomorrow's schedule once,
// at 18:00 the evening before, and not again when the evening is swept again.
func TestTomorrowSweep(t *testing.T) {
	sh := time.FixedZone("CST", 8*3600)
	c := &clock{t: time.Date(2026, 12, 7, 12, 0, 0, 0, sh)}
	storetest.ForEach(t, store.Options{Now: c.now}, func(t *testing.T, s *store.Store) {
		c.set(time.Date(2026, 12, 7, 12, 0, 0, 0, sh))
		gov := uid.New()
		leader := org.Person{ID: uid.New(), Name: "李副区长", Login: "li"}
		err := s.Write(ctx, func(tx *store.Tx) error {
			if err := tx.PutUnit(ctx, org.Unit{ID: gov, Name: "区人民政府", ShortName: "区政府", Kind: org.KindLeadingBody}); err != nil {
				return err
			}
			if err := tx.CreatePerson(ctx, leader, "x", false); err != nil {
				return err
			}
			if err := tx.SetRoles(ctx, leader.ID, []org.RoleAssignment{{Role: org.RoleLeader, UnitID: gov}}); err != nil {
				return err
			}
			_, err := tx.AddScheduleEntry(ctx, leader, planner.Entry{PersonID: leader.ID, Title: "区政府常务会议", Visibility: planner.Organ,
				Start: time.Date(2026, 12, 8, 9, 0, 0, 0, sh), End: time.Date(2026, 12, 8, 11, 0, 0, 0, sh)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		start := c.now()
		runners := []*schedule.Runner{
			{Store: s, Worker: "a", Sweeps: []schedule.Sweep{schedule.TomorrowSweep(start)}},
			{Store: s, Worker: "b", Sweeps: []schedule.Sweep{schedule.TomorrowSweep(start)}},
		}
		count := func() int {
			in, err := s.Inbox(ctx, leader.ID, false, 10)
			if err != nil {
				t.Fatal(err)
			}
			return len(in)
		}
		for _, at := range []time.Time{time.Date(2026, 12, 7, 17, 59, 0, 0, sh), time.Date(2026, 12, 7, 18, 0, 30, 0, sh), time.Date(2026, 12, 7, 20, 0, 0, 0, sh)} {
			c.set(at)
			for _, r := range runners {
				if err := r.Tick(ctx); err != nil {
					t.Fatal(err)
				}
			}
			want := 1
			if at.Hour() < 18 {
				want = 0
			}
			if got := count(); got != want {
				t.Fatalf("at %s: %d messages, want %d", at.Format("15:04"), got, want)
			}
		}
	})
}
