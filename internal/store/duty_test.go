package store_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/duty"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// dutyOffice is an office with a director (its head), two leaders and
// three staff, on a store whose clock the test moves.
type dutyOffice struct {
	s        *store.Store
	clock    *time.Time
	unit     org.Unit
	director org.Person
	leaders  []org.Person
	staff    []org.Person
}

func newDutyOffice(t *testing.T, s *store.Store, clock *time.Time) *dutyOffice {
	t.Helper()
	o := &dutyOffice{s: s.At(func() time.Time { return *clock }), clock: clock}
	o.unit = org.Unit{ID: uid.New(), Name: "某区人民政府办公室", ShortName: "政府办", Kind: org.KindOffice}
	mk := func(name, login, title string) org.Person {
		return org.Person{ID: uid.New(), Name: name, Login: login + uid.New()[:8]}
	}
	o.director = mk("周主任", "zhou", "主任")
	o.leaders = []org.Person{mk("王副主任", "wang", ""), mk("李副主任", "li", "")}
	o.staff = []org.Person{mk("赵科员", "zhao", ""), mk("钱科员", "qian", ""), mk("孙科员", "sun", "")}
	err := o.s.Write(ctx, func(tx *store.Tx) error {
		if err := tx.PutUnit(ctx, o.unit); err != nil {
			return err
		}
		for _, p := range append(append([]org.Person{o.director}, o.leaders...), o.staff...) {
			if err := tx.CreatePerson(ctx, p, "x", false); err != nil {
				return err
			}
		}
		return tx.SetPositions(ctx, o.director.ID, []org.Position{{ID: uid.New(), PersonID: o.director.ID, UnitID: o.unit.ID, Title: "主任", Primary: true, Head: true}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func ids(ps []org.Person) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func (o *dutyOffice) person(id string) org.Person {
	for _, p := range append(append([]org.Person{o.director}, o.leaders...), o.staff...) {
		if p.ID == id {
			return p
		}
	}
	return org.Person{ID: id}
}

func dutyAt(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Shanghai())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// publishWeek generates and publishes the week of 2026-12-07.
func (o *dutyOffice) publishWeek(t *testing.T) duty.Roster {
	t.Helper()
	var ro duty.Roster
	err := o.s.Write(ctx, func(tx *store.Tx) error {
		var err error
		ro, err = tx.CreateDutyRoster(ctx, o.director, duty.NewRoster{UnitID: o.unit.ID, Title: "12月第二周值班", From: "2026-12-07", To: "2026-12-13",
			Rotation: duty.Rotation{Mode: duty.EveryDay, Leaders: ids(o.leaders), Staff: ids(o.staff)}})
		if err != nil {
			return err
		}
		ro, err = tx.PublishDutyRoster(ctx, o.director, ro.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ro
}

// TestDutyRosterPublishAndSwap: publishing puts every 带班领导's shift on
// their schedule in the same transaction and tells everyone on it; an
// approved swap moves the shift and the schedule entry together.
func TestDutyRosterPublishAndSwap(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		clock := dutyAt(t, "2026-12-01 09:00")
		o := newDutyOffice(t, s, &clock)
		ro := o.publishWeek(t)
		got, err := o.s.DutyRoster(ctx, ro.ID)
		if err != nil || got.State != duty.Published || len(got.Shifts) != 7 {
			t.Fatalf("read back: %v %+v", err, got)
		}
		entries, err := o.s.ScheduleEntriesBySource(ctx, planner.Source{Kind: planner.SourceDuty, ID: ro.ID})
		if err != nil || len(entries) != 7 {
			t.Fatalf("schedule entries: %d %v", len(entries), err)
		}
		mon := got.Shifts[0]
		busy, err := o.s.BusyIntervals(ctx, []string{mon.LeaderID}, dutyAt(t, "2026-12-07 10:00"), dutyAt(t, "2026-12-07 11:00"))
		if err != nil || len(busy) != 1 {
			t.Errorf("the leader on duty is not busy on Monday: %v %v", busy, err)
		}
		for _, p := range got.People() {
			if n, _ := o.s.UnreadCount(ctx, p, 10); n != 1 {
				t.Errorf("%s has %d messages, want the roster's", o.person(p).Name, n)
			}
		}
		// Another roster over the same days is not published beside it.
		err = o.s.Write(ctx, func(tx *store.Tx) error {
			again, err := tx.CreateDutyRoster(ctx, o.director, duty.NewRoster{UnitID: o.unit.ID, Title: "重复的值班表", From: "2026-12-13", To: "2026-12-20",
				Rotation: duty.Rotation{Mode: duty.EveryDay, Leaders: ids(o.leaders), Staff: ids(o.staff)}})
			if err != nil {
				return err
			}
			_, err = tx.PublishDutyRoster(ctx, o.director, again.ID)
			return err
		})
		var clash *duty.Refusal
		if !errors.As(err, &clash) || !strings.Contains(clash.Msg, "日期重叠") {
			t.Errorf("an overlapping roster published: %v", err)
		}
		// A draft edit is refused once published.
		err = o.s.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.EditDutyRoster(ctx, o.director, ro.ID, "duty.roster.assign", func(r duty.Roster) (duty.Roster, error) {
				return duty.Assign(r, mon.Date, duty.Staff, o.staff[2].ID)
			}, nil)
			return err
		})
		var ref *duty.Refusal
		if !errors.As(err, &ref) {
			t.Errorf("edit after publishing: %v", err)
		}
		// The leader on Monday asks the other to cover; the director approves.
		other := o.leaders[0]
		if other.ID == mon.LeaderID {
			other = o.leaders[1]
		}
		var sw duty.Swap
		err = o.s.Write(ctx, func(tx *store.Tx) error {
			sw, err = tx.RequestDutySwap(ctx, o.person(mon.LeaderID), duty.Swap{RosterID: ro.ID, Kind: duty.Cover, Post: duty.Leader, Date: mon.Date, ToID: other.ID, Reason: "赴市里开会"}, []string{o.director.ID})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		err = o.s.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.DecideDutySwap(ctx, o.director, sw.ID, true, "同意")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ = o.s.DutyRoster(ctx, ro.ID)
		if got.Shifts[0].LeaderID != other.ID {
			t.Errorf("Monday's leader after the swap: %s", o.person(got.Shifts[0].LeaderID).Name)
		}
		busy, _ = o.s.BusyIntervals(ctx, []string{other.ID}, dutyAt(t, "2026-12-07 10:00"), dutyAt(t, "2026-12-07 11:00"))
		if len(busy) != 1 {
			t.Errorf("the covering leader is not busy on Monday: %v", busy)
		}
		busy, _ = o.s.BusyIntervals(ctx, []string{mon.LeaderID}, dutyAt(t, "2026-12-07 10:00"), dutyAt(t, "2026-12-07 11:00"))
		if len(busy) != 0 {
			t.Errorf("the relieved leader is still busy on Monday: %v", busy)
		}
		swaps, _ := o.s.DutySwaps(ctx, ro.ID)
		if len(swaps) != 1 || swaps[0].State != duty.SwapApproved {
			t.Errorf("swaps %+v", swaps)
		}
		err = o.s.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.DecideDutySwap(ctx, o.director, sw.ID, false, "")
			return err
		})
		if !errors.As(err, &ref) {
			t.Errorf("deciding twice: %v", err)
		}
	})
}

// TestDutyLogAndHandover: an event is escalated to the leader on duty and
// the office's head; a handover's matters are acknowledged one by one;
// the warnings name the missing log and the handover left open.
func TestDutyLogAndHandover(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		clock := dutyAt(t, "2026-12-01 09:00")
		o := newDutyOffice(t, s, &clock)
		ro := o.publishWeek(t)
		mon, tue, wed := ro.Shifts[0], ro.Shifts[1], ro.Shifts[2]
		staffMon, staffTue := o.person(mon.StaffID), o.person(tue.StaffID)
		clock = dutyAt(t, "2026-12-07 21:10")
		var ev duty.Entry
		err := o.s.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.AddDutyEntry(ctx, staffMon, ro.ID, mon.Date, duty.Entry{Kind: duty.Call, Party: "张三", PartyUnit: "区应急局", Content: "报告道路结冰", Handling: "已转区交通局"}, false); err != nil {
				return err
			}
			var err error
			ev, err = tx.AddDutyEntry(ctx, staffMon, ro.ID, mon.Date, duty.Entry{Kind: duty.Event, Title: "某小区燃气泄漏", Level: duty.LevelIII, Content: "已疏散居民"}, false)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{o.person(mon.LeaderID).Name, o.director.Name}
		if fmt.Sprint(ev.Escalated) != fmt.Sprint(want) {
			t.Errorf("escalated to %v, want %v", ev.Escalated, want)
		}
		for _, pid := range []string{mon.LeaderID, o.director.ID} {
			items, _ := o.s.Inbox(ctx, pid, false, 10)
			if len(items) == 0 || !strings.Contains(items[0].Subject, "某小区燃气泄漏") || items[0].Kind != "duty.event" {
				t.Errorf("%s's inbox: %+v", o.person(pid).Name, items)
			}
		}
		// Tuesday's 值班员 follows it up; Monday's 带班领导 hears of it.
		clock = dutyAt(t, "2026-12-07 23:30")
		err = o.s.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.FollowUpDutyEntry(ctx, staffTue, ro.ID, ev.ID, "管道已抢修完毕，居民已返回", false)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if items, _ := o.s.Inbox(ctx, mon.LeaderID, false, 10); len(items) == 0 || items[0].Kind != "duty.followup" {
			t.Errorf("the leader on duty was not told of the follow-up: %+v", items)
		}
		l, err := o.s.DutyLog(ctx, ro.ID, mon.Date)
		if err != nil || len(l.Entries) != 2 || l.Entries[1].Level != duty.LevelIII || !strings.Contains(l.Entries[1].Handling, staffTue.Name+"续报〕管道已抢修完毕") {
			t.Fatalf("log: %v %+v", err, l)
		}
		clock = dutyAt(t, "2026-12-08 08:20")
		var h duty.Handover
		err = o.s.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.SubmitDutyLog(ctx, staffMon, ro.ID, mon.Date, "处置燃气泄漏一起，其余平稳", false); err != nil {
				return err
			}
			var err error
			h, err = tx.HandOverDuty(ctx, staffMon, ro.ID, mon.Date, []string{"燃气泄漏小区明早复查", "区应急局回电待复"}, "")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if h.ToID != tue.StaffID || len(h.Matters) != 2 {
			t.Fatalf("handover %+v", h)
		}
		// Concurrent acknowledgements of the two matters: both land, and
		// the handover is done.
		clock = dutyAt(t, "2026-12-08 08:40")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = o.s.Write(ctx, func(tx *store.Tx) error {
					_, err := tx.AcknowledgeDuty(ctx, staffTue, h.ID, i+1)
					return err
				})
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		h, _ = o.s.DutyHandover(ctx, h.ID)
		if !h.Done() || h.Open() != 0 {
			t.Errorf("after both acknowledgements: %+v", h)
		}
		// Tuesday hands over with a matter nobody acknowledges, and files
		// no log; Wednesday's shift is on.
		clock = dutyAt(t, "2026-12-09 08:25")
		var open duty.Handover
		err = o.s.Write(ctx, func(tx *store.Tx) error {
			var err error
			open, err = tx.HandOverDuty(ctx, staffTue, ro.ID, tue.Date, []string{"市政府督查组周四来访，材料待备"}, "")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		ws, err := o.s.DutyWarnings(ctx, []string{o.unit.ID}, dutyAt(t, "2026-12-09 09:00"), 30)
		if err != nil || len(ws) != 0 {
			t.Errorf("within the grace: %+v %v", ws, err)
		}
		ws, err = o.s.DutyWarnings(ctx, []string{o.unit.ID}, dutyAt(t, "2026-12-09 10:00"), 30)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, w := range ws {
			kinds = append(kinds, w.Date+" "+string(w.Kind))
			if w.Kind == duty.Unacknowledged && (w.Who != wed.StaffID || w.Handover != open.ID || w.Open != 1) {
				t.Errorf("unacknowledged: %+v", w)
			}
		}
		if fmt.Sprint(kinds) != fmt.Sprint([]string{tue.Date + " handover_unacked", tue.Date + " log_missing"}) {
			t.Errorf("warnings %v", kinds)
		}
	})
}
