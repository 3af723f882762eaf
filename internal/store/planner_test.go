package store_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/uid"
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

// plannerOrg is a leading body with its office, two leaders, a clerk and
// the office director.
type plannerOrg struct {
	gov, office            string
	zhang, li, clerk, boss org.Person
}

func seedPlannerOrg(t *testing.T, s *store.Store) plannerOrg {
	t.Helper()
	gov, office, _ := seedUnits(t, s)
	o := plannerOrg{gov: gov, office: office}
	mk := func(login, name string, sort int, role org.Role, unit string) org.Person {
		p := org.Person{ID: uid.New(), Name: name, Login: login, Sort: sort}
		if err := s.Write(ctx, func(tx *store.Tx) error {
			if err := tx.CreatePerson(ctx, p, "x", false); err != nil {
				return err
			}
			return tx.SetRoles(ctx, p.ID, []org.RoleAssignment{{Role: role, UnitID: unit}})
		}); err != nil {
			t.Fatal(err)
		}
		return p
	}
	o.li = mk("lifq", "李副区长", 2, org.RoleLeader, gov)
	o.zhang = mk("zhangqz", "张区长", 1, org.RoleLeader, gov)
	o.clerk = mk("wenmi1", "文秘甲", 10, org.RoleClerk, office)
	o.boss = mk("zhuren1", "主任乙", 9, org.RoleOfficeDirector, office)
	return o
}

func TestWeekProgrammeStore(t *testing.T) {
	now := schedAt(t, "2026-12-04 16:00")
	storetest.ForEach(t, store.Options{Now: func() time.Time { return now }}, func(t *testing.T, s *store.Store) {
		o := seedPlannerOrg(t, s)
		if ls, err := s.OrganLeaders(ctx, o.gov); err != nil || len(ls) != 2 || ls[0].Name != "张区长" {
			t.Fatalf("leaders: %+v %v", ls, err)
		}
		if off, err := s.OfficeOfOrgan(ctx, o.gov); err != nil || off != o.office {
			t.Fatalf("office: %s %v", off, err)
		}
		mtg := planner.Source{Kind: planner.SourceMeeting, ID: "m-9"}
		err := s.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ReplaceScheduleEntries(ctx, o.clerk, mtg, []planner.Entry{
				{PersonID: o.li.ID, Title: "区政府常务会议", Start: schedAt(t, "2026-12-08 09:00"), End: schedAt(t, "2026-12-08 11:00"), Visibility: planner.Organ},
				{PersonID: o.zhang.ID, Title: "区政府常务会议", Start: schedAt(t, "2026-12-08 09:00"), End: schedAt(t, "2026-12-08 11:00"), Visibility: planner.Organ},
			})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveScheduleEntry(ctx, o.clerk, planner.Entry{PersonID: o.li.ID, Title: "个别谈话", Start: schedAt(t, "2026-12-09 15:00"),
			End: schedAt(t, "2026-12-09 16:00"), Visibility: planner.Leaders}); err != nil {
			t.Fatal(err)
		}
		visit, err := s.SaveScheduleEntry(ctx, o.clerk, planner.Entry{PersonID: o.li.ID, Title: "赴清河镇调研", Place: "清河镇", Start: schedAt(t, "2026-12-10 14:30"),
			End: schedAt(t, "2026-12-10 17:30"), Visibility: planner.Organ})
		if err != nil {
			t.Fatal(err)
		}
		monday := schedAt(t, "2026-12-07 00:00")
		act := func(by org.Person, op planner.Op, rows []planner.Row, note string, version int) (planner.Programme, error) {
			return s.ActOnProgramme(ctx, by, o.gov, monday, op, rows, note, version)
		}
		p, err := act(o.clerk, planner.OpAssemble, nil, "", 0)
		if err != nil || len(p.Rows) != 2 || p.Rows[0].LeaderNames() != "张区长、李副区长" || p.Rows[1].Content != "赴清河镇调研" || p.Version != 1 {
			t.Fatalf("assembled: %+v %v", p, err)
		}
		// A stale version is refused: nothing is lost.
		if _, err := act(o.clerk, planner.OpSave, p.Rows, "", 0); err == nil || !strings.Contains(err.Error(), "已被他人修改") {
			t.Fatalf("stale save: %v", err)
		}
		rows := append(p.Rows, planner.Row{Date: "2026-12-11", Period: "上午", Time: "09:00–10:00", Content: "接待群众来访", Leaders: []string{"张区长"}})
		if p, err = act(o.clerk, planner.OpSave, rows, "", p.Version); err != nil || len(p.Rows) != 3 {
			t.Fatalf("save: %v", err)
		}
		if p, err = act(o.clerk, planner.OpSubmit, nil, "", p.Version); err != nil || p.Status != planner.Submitted {
			t.Fatalf("submit: %v", err)
		}
		// The director is told.
		in, err := s.Inbox(ctx, o.boss.ID, false, 10)
		if err != nil || len(in) != 1 || !strings.Contains(in[0].Subject, "送审") {
			t.Fatalf("director's inbox: %+v %v", in, err)
		}
		if p, err = act(o.boss, planner.OpApprove, nil, "", p.Version); err != nil || p.Status != planner.Approved || p.ApprovedBy != o.boss.ID {
			t.Fatalf("approve: %v", err)
		}
		if p, err = act(o.clerk, planner.OpPublish, nil, "", p.Version); err != nil || p.Status != planner.Published {
			t.Fatalf("publish: %v", err)
		}
		got, err := s.WeekProgramme(ctx, o.gov, "2026-12-07")
		if err != nil || got.Status != planner.Published || len(got.Rows) != 3 || got.Version != p.Version || got.PublishedAt.IsZero() {
			t.Fatalf("read back: %+v %v", got, err)
		}
		// The leaders are told it is published.
		if in, _ := s.Inbox(ctx, o.zhang.ID, false, 10); len(in) != 1 || !strings.Contains(in[0].Subject, "已发布") {
			t.Errorf("leader's inbox: %+v", in)
		}
		// A week never drafted reads as an empty draft.
		if e, err := s.WeekProgramme(ctx, o.gov, "2026-12-14"); err != nil || e.Status != planner.Draft || e.Version != 0 {
			t.Errorf("empty week: %+v %v", e, err)
		}
		// Entries a meeting owns are not changed by hand.
		own, _ := s.ScheduleEntriesBySource(ctx, mtg)
		if _, err := s.DeleteScheduleEntry(ctx, o.clerk, own[0].ID); err == nil || !strings.Contains(err.Error(), "会议") {
			t.Errorf("deleting a meeting's entry: %v", err)
		}
		visit.Title = "赴清河镇调研（改期）"
		if changed, err := s.SaveScheduleEntry(ctx, o.clerk, visit); err != nil || changed.ID != visit.ID || changed.CreatedAt.IsZero() {
			t.Errorf("change: %+v %v", changed, err)
		}
		if _, err := s.DeleteScheduleEntry(ctx, o.clerk, visit.ID); err != nil {
			t.Errorf("delete: %v", err)
		}
	})
}

func TestScheduleFeedsAndEvening(t *testing.T) {
	now := schedAt(t, "2026-12-07 10:00")
	storetest.ForEach(t, store.Options{Now: func() time.Time { return now }}, func(t *testing.T, s *store.Store) {
		o := seedPlannerOrg(t, s)
		secret, err := s.NewScheduleFeed(ctx, o.clerk, o.li.ID)
		if err != nil {
			t.Fatal(err)
		}
		if id, err := s.ScheduleFeedPerson(ctx, secret); err != nil || id != o.li.ID {
			t.Fatalf("feed: %s %v", id, err)
		}
		again, err := s.NewScheduleFeed(ctx, o.li, o.li.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ScheduleFeedPerson(ctx, secret); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a replaced feed still opens: %v", err)
		}
		if f, ok, err := s.ScheduleFeedOf(ctx, o.li.ID); err != nil || !ok || f.CreatedBy != o.li.ID {
			t.Errorf("live feed: %+v %v %v", f, ok, err)
		}
		if err := s.RevokeScheduleFeed(ctx, o.clerk, o.li.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ScheduleFeedPerson(ctx, again); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a revoked feed still opens: %v", err)
		}
		if err := s.RevokeScheduleFeed(ctx, o.clerk, o.li.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoking twice: %v", err)
		}

		// The evening before, each leader with entries tomorrow gets them.
		for _, e := range []planner.Entry{
			{PersonID: o.li.ID, Title: "区政府常务会议", Place: "第一会议室", Start: schedAt(t, "2026-12-08 09:00"), End: schedAt(t, "2026-12-08 11:00"), Visibility: planner.Organ},
			{PersonID: o.li.ID, Title: "体检", Start: schedAt(t, "2026-12-08 15:00"), End: schedAt(t, "2026-12-08 16:00"), Visibility: planner.Private},
			{PersonID: o.zhang.ID, Title: "周三的会", Start: schedAt(t, "2026-12-09 09:00"), End: schedAt(t, "2026-12-09 10:00"), Visibility: planner.Organ},
		} {
			if _, err := s.SaveScheduleEntry(ctx, o.clerk, e); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		sweep := func(from, to string) {
			t.Helper()
			if err := s.Write(ctx, func(tx *store.Tx) error {
				var err error
				n, err = tx.SendTomorrowSchedules(ctx, schedAt(t, from), schedAt(t, to))
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		sweep("2026-12-07 17:00", "2026-12-07 17:59")
		if n != 0 {
			t.Errorf("before 18:00: %d", n)
		}
		sweep("2026-12-07 17:59", "2026-12-07 18:00")
		if n != 1 {
			t.Fatalf("at 18:00: %d messages, want 1 (李 has Tuesday entries, 张 none)", n)
		}
		sweep("2026-12-07 17:00", "2026-12-07 19:00")
		if n != 0 {
			t.Errorf("the same evening again: %d", n)
		}
		in, err := s.Inbox(ctx, o.li.ID, false, 10)
		if err != nil || len(in) != 1 || !strings.Contains(in[0].Subject, "明日（12月8日星期二）日程 2 项") ||
			!strings.Contains(in[0].Body, "09:00–11:00 区政府常务会议（第一会议室）") || !strings.Contains(in[0].Body, "体检") {
			t.Fatalf("the message: %+v %v", in, err)
		}
		// After a long stop, a past evening is not sent late.
		sweep("2026-12-08 10:00", "2026-12-09 12:00")
		if n != 0 {
			t.Errorf("a stale evening sent: %d", n)
		}
	})
}

// Two offices' clerks act on one week programme at once: every write either
// lands or is refused as stale with a message; none fails otherwise, and the
// versions count the writes that landed.
func TestWeekProgrammeConcurrent(t *testing.T) {
	now := schedAt(t, "2026-12-04 16:00")
	storetest.ForEach(t, store.Options{Now: func() time.Time { return now }}, func(t *testing.T, s *store.Store) {
		o := seedPlannerOrg(t, s)
		monday := schedAt(t, "2026-12-07 00:00")
		var wg sync.WaitGroup
		var mu sync.Mutex
		landed, stale := 0, 0
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				by := o.clerk
				if i%2 == 1 {
					by = o.boss
				}
				rows := []planner.Row{{Date: "2026-12-08", Period: "上午", Content: fmt.Sprintf("会议%d", i), Leaders: []string{"张区长"}}}
				_, err := s.ActOnProgramme(ctx, by, o.gov, monday, planner.OpSave, rows, "", 0)
				mu.Lock()
				defer mu.Unlock()
				var ref *planner.Refusal
				switch {
				case err == nil:
					landed++
				case errors.As(err, &ref) && strings.Contains(err.Error(), "已被他人修改"):
					stale++
				default:
					t.Errorf("write %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		p, err := s.WeekProgramme(ctx, o.gov, "2026-12-07")
		if err != nil || landed != 1 || stale != 7 || p.Version != 1 || len(p.Rows) != 1 {
			t.Fatalf("landed %d, stale %d, version %d, rows %d, %v", landed, stale, p.Version, len(p.Rows), err)
		}
		// Without a version to check (-1), every write lands in turn.
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rows := []planner.Row{{Date: "2026-12-09", Period: "下午", Content: fmt.Sprintf("调研%d", i), Leaders: []string{"李副区长"}}}
				if _, err := s.ActOnProgramme(ctx, o.clerk, o.gov, monday, planner.OpSave, rows, "", -1); err != nil {
					t.Errorf("unversioned write: %v", err)
				}
			}()
		}
		wg.Wait()
		if p, err := s.WeekProgramme(ctx, o.gov, "2026-12-07"); err != nil || p.Version != 5 {
			t.Fatalf("after four more: version %d %v", p.Version, err)
		}
	})
}
