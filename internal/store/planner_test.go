package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

func schedAt(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Shanghai())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func entryTitles(es []planner.Entry) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.Title)
	}
	return out
}

func TestScheduleEntries(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		li, wang := newAccount(t, s, "lim"), newAccount(t, s, "wangq")
		sec := newAccount(t, s, "mishu")
		e := func(p org.Person, title, from, to string, vis planner.Visibility) planner.Entry {
			return planner.Entry{PersonID: p.ID, Title: title, Start: schedAt(t, from), End: schedAt(t, to), Visibility: vis}
		}
		trip := e(li, "赴各镇调研", "2026-12-01 08:00", "2026-12-03 18:00", planner.Organ)
		talk := e(li, "谈心谈话", "2026-12-07 15:00", "2026-12-07 16:00", planner.Private)
		err := s.Write(ctx, func(tx *store.Tx) error {
			for _, x := range []planner.Entry{trip, talk, e(wang, "接待来访", "2026-12-07 09:00", "2026-12-07 10:00", planner.Leaders)} {
				if _, err := tx.AddScheduleEntry(ctx, sec, x); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// A meeting puts its attendees' time on their schedules in its own
		// transaction; its rows and theirs commit or roll back together.
		mtg := planner.Source{Kind: planner.SourceMeeting, ID: "m-1"}
		boom := errors.New("the meeting's own write failed")
		err = s.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.ReplaceScheduleEntries(ctx, sec, mtg, []planner.Entry{e(li, "区政府常务会", "2026-12-07 09:00", "2026-12-07 11:00", planner.Organ)}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("rolled back write: %v", err)
		}
		if got, _ := s.ScheduleEntriesBySource(ctx, mtg); len(got) != 0 {
			t.Fatalf("a rolled back meeting left entries: %v", entryTitles(got))
		}
		err = s.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ReplaceScheduleEntries(ctx, sec, mtg, []planner.Entry{
				e(li, "区政府常务会", "2026-12-07 09:00", "2026-12-07 11:00", planner.Organ),
				e(wang, "区政府常务会", "2026-12-07 09:00", "2026-12-07 11:00", planner.Organ),
			})
			if err != nil {
				return err
			}
			// The transaction sees its own entries.
			b, err := tx.BusyIntervals(ctx, []string{li.ID}, schedAt(t, "2026-12-07 00:00"), schedAt(t, "2026-12-08 00:00"))
			if err != nil || len(b) != 2 {
				t.Errorf("inside the write: %d %v", len(b), err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Read busy time: an entry that began before the window counts.
		cases := []struct {
			name     string
			people   []string
			from, to string
			want     []string
		}{
			{"Monday, both", []string{li.ID, wang.ID}, "2026-12-07 00:00", "2026-12-08 00:00", []string{"区政府常务会", "区政府常务会", "接待来访", "谈心谈话"}},
			{"Monday, one", []string{li.ID}, "2026-12-07 00:00", "2026-12-08 00:00", []string{"区政府常务会", "谈心谈话"}},
			{"the trip's middle day", []string{li.ID}, "2026-12-02 00:00", "2026-12-02 12:00", []string{"赴各镇调研"}},
			{"touching the trip's end", []string{li.ID}, "2026-12-03 18:00", "2026-12-04 00:00", []string{}},
			{"touching the meeting's start", []string{li.ID}, "2026-12-07 08:00", "2026-12-07 09:00", []string{}},
			{"nobody", nil, "2026-12-01 00:00", "2026-12-31 00:00", []string{}},
			{"the same person twice", []string{li.ID, li.ID}, "2026-12-07 15:30", "2026-12-07 15:31", []string{"谈心谈话"}},
		}
		for _, c := range cases {
			b, err := s.BusyIntervals(ctx, c.people, schedAt(t, c.from), schedAt(t, c.to))
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, x := range b {
				got = append(got, x.Title)
			}
			for i := 1; i < len(b); i++ {
				if b[i].Start.Before(b[i-1].Start) {
					t.Errorf("%s: not ordered by start", c.name)
				}
			}
			slices.Sort(got)
			slices.Sort(c.want)
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			}
		}
		// Details and source come back as written.
		b, _ := s.BusyIntervals(ctx, []string{li.ID}, schedAt(t, "2026-12-07 00:00"), schedAt(t, "2026-12-08 00:00"))
		if b[0].Source != mtg || b[1].Visibility != planner.Private || b[1].EntryID == "" || !b[1].Start.Equal(talk.Start) {
			t.Errorf("read back: %+v", b)
		}
		if c := planner.Conflicts(b, planner.Slot{Start: schedAt(t, "2026-12-07 10:30"), End: schedAt(t, "2026-12-07 15:30")}, []string{li.ID}); len(c) != 2 {
			t.Errorf("conflicts: %v", c)
		}
		// The meeting moves: replace leaves only its new entries.
		err = s.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ReplaceScheduleEntries(ctx, sec, mtg, []planner.Entry{e(wang, "区政府常务会", "2026-12-08 09:00", "2026-12-08 11:00", planner.Organ)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ScheduleEntriesBySource(ctx, mtg)
		if err != nil || len(got) != 1 || got[0].PersonID != wang.ID || !got[0].Start.Equal(schedAt(t, "2026-12-08 09:00")) || got[0].CreatedBy != sec.ID {
			t.Fatalf("after replace: %+v %v", got, err)
		}
		one, err := s.ScheduleEntry(ctx, got[0].ID)
		if err != nil || one.Title != "区政府常务会" {
			t.Fatalf("one entry: %+v %v", one, err)
		}
		// Cancelled: remove by source.
		var n int64
		if err := s.Write(ctx, func(tx *store.Tx) error { var err error; n, err = tx.RemoveScheduleEntries(ctx, mtg); return err }); err != nil || n != 1 {
			t.Fatalf("remove: %d %v", n, err)
		}
		if _, err := s.ScheduleEntry(ctx, got[0].ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("removed entry: %v", err)
		}
		// Bad input is refused with the rule's message; nothing is written.
		err = s.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddScheduleEntry(ctx, sec, e(li, "倒置", "2026-12-07 10:00", "2026-12-07 09:00", planner.Organ))
			return err
		})
		var ref *planner.Refusal
		if !errors.As(err, &ref) {
			t.Errorf("end before start: %v", err)
		}
		all, err := s.ScheduleEntriesBetween(ctx, schedAt(t, "2026-11-01 00:00"), schedAt(t, "2027-01-01 00:00"))
		if err != nil || !slices.Equal(entryTitles(all), []string{"赴各镇调研", "接待来访", "谈心谈话"}) {
			t.Errorf("between: %v %v", entryTitles(all), err)
		}
	})
}
