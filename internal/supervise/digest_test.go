package supervise

import (
	"fmt"
	"testing"
	"time"
)

// TestDigestsMirrorDue: for items that do not change over a window, the
// digest predicates select exactly the (item, unit) pairs whose per-item
// report reminders, missing-report warnings and daily overdue reminders Due
// gives in it, at the same instants; and a Digest sweep's Due gives all the
// other notices and none of those.
func TestDigestsMirrorDue(t *testing.T) {
	r := rules(t)
	full := sweep(t)
	dig := *full
	dig.Digest = true
	over := NewOverseers(testOversight)
	items := []Item{inProgress(t), overdueItem(t)}
	items[1].ID = "dc-2"
	monthly := newItem("dc-3")
	monthly.Schedule = Schedule{Kind: Monthly, Day: 31}
	it := must(t)(r.Create(monthly, sup, at(3, 2, 9, 0)))
	it = must(t)(r.Assign(it, sup, at(3, 2, 9, 5)))
	it = must(t)(r.SignFor(it, townA, "town1", at(3, 2, 10, 0)))
	it = must(t)(r.Report(it, townA, ReportInput{UnitID: "town1", Text: "推进中"}, at(3, 3, 9, 0)))
	items = append(items, it)
	weekly := newItem("dc-4")
	weekly.Schedule = Schedule{Kind: Weekly, Weekday: time.Saturday} // due on the next working day
	weekly.Deadline = DeadlineSpec{Workdays: 30}
	it = must(t)(r.Create(weekly, sup, at(3, 2, 9, 0)))
	items = append(items, must(t)(r.Assign(it, sup, at(3, 2, 9, 5))))
	t0, t1 := at(3, 6, 10, 0), at(5, 20, 0, 0) // after the last operation
	for i := range items {
		it := &items[i]
		want := map[string]bool{}
		rest := map[string]bool{}
		for _, n := range full.Due(it, over, t0, t1) {
			switch n.Kind {
			case NoticeReportReminder, NoticeReportMissing, NoticeOverdueDaily:
				want[fmt.Sprintf("%s/%s/%d", n.Kind, n.UnitID, n.At.Unix())] = true
			case NoticeDueSoon, NoticeOverdue:
				if n.Target == "" {
					want[fmt.Sprintf("%s/%s/%d", n.Kind, n.UnitID, n.At.Unix())] = true
				} else {
					rest[n.Key] = true
				}
			case NoticeEscalate:
				want[fmt.Sprintf("%s/%s/%d", n.Kind, n.Person, n.At.Unix())] = true
			default:
				rest[n.Key] = true
			}
		}
		got := map[string]bool{}
		for _, sl := range dig.ReportSlots(t0, t1) {
			for k := range it.Units {
				if sl.Owes(it, &it.Units[k]) {
					got[fmt.Sprintf("%s/%s/%d", sl.Kind, it.Units[k].UnitID, sl.At.Unix())] = true
				}
			}
		}
		for _, sl := range dig.OverdueSlots(t0, t1) {
			if sl.OwesOverdue(it) {
				got[fmt.Sprintf("%s/%s/%d", NoticeOverdueDaily, it.LeadUnit(), sl.At.Unix())] = true
			}
		}
		for _, sl := range dig.DueSoonSlots(t0, t1) {
			if sl.Owes(it) {
				got[fmt.Sprintf("%s/%s/%d", NoticeDueSoon, it.LeadUnit(), sl.At.Unix())] = true
			}
		}
		if OverdueIn(it, t0, t1) {
			got[fmt.Sprintf("%s/%s/%d", NoticeOverdue, it.LeadUnit(), it.Deadline.Due.Unix())] = true
			for _, l := range over.EscalateTo(it) {
				got[fmt.Sprintf("%s/%s/%d", NoticeEscalate, l, it.Deadline.Due.Unix())] = true
			}
		}
		if len(want) < 3 {
			t.Fatalf("%s: too few notices to compare: %v", it.ID, want)
		}
		for k := range want {
			if !got[k] {
				t.Errorf("%s: Due gives %s, the digests do not", it.ID, k)
			}
		}
		for k := range got {
			if !want[k] {
				t.Errorf("%s: the digests give %s, Due does not", it.ID, k)
			}
		}
		for _, n := range dig.Due(it, over, t0, t1) {
			if !rest[n.Key] {
				t.Errorf("%s: digest sweep's Due gives %s", it.ID, n.Key)
			}
			delete(rest, n.Key)
		}
		if len(rest) > 0 {
			t.Errorf("%s: digest sweep's Due misses %v", it.ID, rest)
		}
	}
}

// TestReportSlotsAcrossAHoliday: a Saturday schedule is due on Monday; over
// the 劳动节 holiday several scheduled dates fall on one working day and only
// the latest names the period.
func TestReportSlotsAcrossAHoliday(t *testing.T) {
	sw := sweep(t)
	seen := map[string]int{}
	for _, sl := range sw.ReportSlots(at(4, 28, 0, 0), at(5, 12, 0, 0)) {
		if sl.Kind != NoticeReportMissing || sl.Schedule.Kind != Weekly {
			continue
		}
		k := fmt.Sprintf("%d", sl.Schedule.Weekday)
		seen[k]++
		if !sl.Prev.Before(sl.Due) || !sl.PrevDayStart.Before(sl.DayStart) || !sl.DayStart.Before(sl.Due) {
			t.Errorf("slot out of order: %+v", sl)
		}
		if sl.DayStart.Sub(sl.PrevDayStart) < 7*24*time.Hour || sl.Due.Sub(sl.Prev) < 24*time.Hour {
			t.Errorf("weekly period too short: %+v", sl)
		}
	}
	for wd := range 7 {
		if n := seen[fmt.Sprint(wd)]; n < 1 || n > 3 {
			t.Errorf("weekday %d: %d slots in two weeks", wd, n)
		}
	}
}
