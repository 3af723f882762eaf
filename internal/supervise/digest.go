package supervise

import (
	"fmt"
	"time"
)

// Digests: some notices fall due for a great many open items at one instant —
// the daily reminder of every overdue item at the opening of office; the
// report reminder (morning) and missing-report warning (close of office) of
// every item whose weekly or monthly report is due that day; and, for the
// item's own deadline, the due-soon warning (the midnight its yellow window
// opens) and the overdue warning and escalation (the deadline, usually the
// close of office, shared by every item due that day). Over a million items
// that is up to a million messages and item wake-ups at one tick, and a unit's
// responsible person, the 督查室 and each 分管领导 would get thousands of near
// identical messages. A store running a Sweep with Digest set leaves them out
// of Due and NextAt (and the light changes they bring, which it makes with
// set-based updates) and instead sends, per slot, one digest to each
// recipient ("N 件事项今日应报送进展"; a digest of one item reads as that
// item's notice), finding the items with queries over columns that mirror
// the predicates below (ReportSlot.Owes, OverdueSlot.OwesOverdue,
// DueSoonSlot.Owes, OverdueIn). Sub-items, milestones, milestone reports,
// handovers and 催办单 stay per item: they come one item at a time.
//
// A digest is judged on the items as they stand when it is sent (a report
// made during a downtime, before the catch-up, takes its item out of the
// count); its key names the kind, the unit, the working day and the person,
// so it is sent once however the sweep's intervals are split.

// ReportSlot is one report schedule (weekly on a weekday, or monthly on a
// day) whose period falls due on a working day: its reminder at the opening
// of office or its warning at the close.
type ReportSlot struct {
	Kind     NoticeKind // NoticeReportReminder or NoticeReportMissing
	At       time.Time  // when it fires
	Work     int        // the working day, as a day number (the key's date)
	Schedule Schedule
	// DayStart is the start of the period's scheduled date (a day off
	// moves the due time to the next working day, not the date).
	DayStart time.Time
	// Prev is the previous period's due time and PrevDayStart the start of
	// its scheduled date: a report made after Prev counts for this period,
	// unless the round started on or after that date (then after its start).
	Prev, PrevDayStart time.Time
	Due                time.Time // the report's due time
}

// OverdueSlot is the opening of office on a working day, when every item
// overdue since an earlier day reminds its lead unit.
type OverdueSlot struct {
	At       time.Time
	Work     int
	DayStart time.Time // items due before this instant are overdue
}

// DigestKey is the idempotency key of a digest of the kind for a unit ("" for
// the 督查室's digest over all units) on a working day; the store appends the
// recipient.
func DigestKey(kind NoticeKind, unit string, work int) string {
	return key("digest", kind, unit, dayKey(work))
}

// ReportSlots lists the report slots whose reminder or warning falls in
// (t0, t1], in order of time.
func (s *Sweep) ReportSlots(t0, t1 time.Time) []ReportSlot {
	var out []ReportSlot
	if !t1.After(t0) {
		return nil
	}
	for w := dayOf(t0); w <= dayOf(t1); w++ {
		if !s.W.IsWork(w) {
			continue
		}
		remind, due := s.W.openOf(w), s.W.closeOf(w)
		inRemind := remind.After(t0) && !remind.After(t1)
		inDue := due.After(t0) && !due.After(t1)
		if !inRemind && !inDue {
			continue
		}
		for _, sl := range s.slotsOn(w) {
			if inRemind {
				sl.Kind, sl.At = NoticeReportReminder, remind
				out = append(out, sl)
			}
			if inDue {
				sl.Kind, sl.At = NoticeReportMissing, due
				out = append(out, sl)
			}
		}
	}
	// Reminders of a day come before its warnings; days are in order.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].At.Before(out[j-1].At); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// slotsOn lists the schedules whose period is due on working day w: the
// scheduled dates after the previous working day up to w.
func (s *Sweep) slotsOn(w int) []ReportSlot {
	first := s.W.prevWork(w-1) + 1
	due := s.W.closeOf(w)
	var out []ReportSlot
	add := func(sch Schedule) {
		it := &Item{Schedule: sch}
		d := latestSched(it, w)
		if d < first {
			return
		}
		p := latestSched(it, d-1)
		for s.W.reportDue(p).Equal(due) {
			p = latestSched(it, p-1)
		}
		out = append(out, ReportSlot{Work: w, Schedule: sch, DayStart: s.W.midnight(d), Prev: s.W.reportDue(p),
			PrevDayStart: s.W.midnight(p), Due: due})
	}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		add(Schedule{Kind: Weekly, Weekday: wd})
	}
	for day := 1; day <= 31; day++ {
		add(Schedule{Kind: Monthly, Day: day})
	}
	return out
}

// OverdueSlots lists the openings of office in (t0, t1] on working days.
func (s *Sweep) OverdueSlots(t0, t1 time.Time) []OverdueSlot {
	var out []OverdueSlot
	for w := dayOf(t0); t1.After(t0) && w <= dayOf(t1); w++ {
		if at := s.W.openOf(w); s.W.IsWork(w) && at.After(t0) && !at.After(t1) {
			out = append(out, OverdueSlot{At: at, Work: w, DayStart: s.W.midnight(w)})
		}
	}
	return out
}

// Handling reports whether the item's units are handling it (assigned or in
// progress): only then do reports and daily reminders fall due.
func (it *Item) Handling() bool { return it.State == Assigned || it.State == InProgress }

// ScheduleKey is the schedule as two columns: its kind and its weekday
// (weekly) or day (monthly); 0 for milestones.
func (s Schedule) ScheduleKey() (string, int) {
	switch s.Kind {
	case Weekly:
		return string(Weekly), int(s.Weekday)
	case Monthly:
		return string(Monthly), s.Day
	}
	return string(s.Kind), 0
}

func sameSchedule(a, b Schedule) bool {
	k, d := a.ScheduleKey()
	k2, d2 := b.ScheduleKey()
	return k == k2 && d == d2
}

// LastReportBy is the time of the unit's latest report (zero if none).
func (it *Item) LastReportBy(unitID string) time.Time {
	return lastReport(it, unitID, time.Unix(1<<40, 0))
}

// digested reports whether the item's report notices go out as digests.
func (s *Sweep) digested(it *Item) bool {
	return s.Digest && (it.Schedule.Kind == Weekly || it.Schedule.Kind == Monthly)
}

// Owes reports whether the unit of the item owes the slot's report, judged on
// the item as it stands: the item is being handled, the unit is not released,
// the schedule is the slot's, the round began before the scheduled date, and
// the unit has made no report since the previous period's due time (or since
// the round began, if that was on or after the previous scheduled date).
// It is the predicate a store's query mirrors.
func (sl ReportSlot) Owes(it *Item, u *Unit) bool {
	if !it.Handling() || u.Released || !sameSchedule(it.Schedule, sl.Schedule) {
		return false
	}
	start := it.AssignedAt
	if start.IsZero() || !start.Before(sl.DayStart) {
		return false
	}
	prev := start
	if start.Before(sl.PrevDayStart) {
		prev = sl.Prev
	}
	return !it.LastReportBy(u.UnitID).After(prev)
}

// OwesOverdue reports whether the item reminds its lead unit at the slot:
// being handled and due before the day began.
func (sl OverdueSlot) OwesOverdue(it *Item) bool {
	return it.Handling() && !it.Deadline.Due.IsZero() && it.Deadline.Due.Before(sl.DayStart)
}

// ReportYellowAt is when the item turns yellow for a missed weekly or monthly
// progress report if nothing more happens to it: a time at or before now if
// it already has, zero if it cannot (not being handled; milestone reports,
// which the item's own wake-ups keep in its stored light; a sweep without
// Digest, whose wake-ups do). A store keeps it as a column beside the stored
// light, so the many items that miss a report at one close of office turn
// yellow without an update: the light shown is yellow where the stored light
// is green and this time has come. Every operation recomputes it.
func (s *Sweep) ReportYellowAt(it *Item, now time.Time) time.Time {
	if !s.digested(it) || !it.Handling() || it.AssignedAt.IsZero() {
		return time.Time{}
	}
	if p, ok := s.periodAt(it, now); ok && missed(it, p, now) {
		return p.due
	}
	// A day off moves a due time past later scheduled dates: look back a month.
	for d, n := nextSched(it, dayOf(now)-31), 0; d != noDay && n < 64; d, n = nextSched(it, d+1), n+1 {
		due := s.W.reportDue(d)
		if !due.After(now) {
			continue
		}
		if p, ok := s.periodAt(it, due); ok && p.due.Equal(due) && missed(it, p, due) {
			return due
		}
	}
	return time.Time{}
}

// missed reports whether a unit not released has made no report for the
// period by t (the light's rule).
func missed(it *Item, p period, t time.Time) bool {
	for i := range it.Units {
		if u := &it.Units[i]; !u.Released && !lastReport(it, u.UnitID, t).After(p.prev) {
			return true
		}
	}
	return false
}

// ShownColor is the light as a store shows it from its columns: the stored
// light, yellow where it is green and the report's time has come.
func ShownColor(stored Color, reportYellowAt, now time.Time) Color {
	if stored == Green && !reportYellowAt.IsZero() && !reportYellowAt.After(now) {
		return Yellow
	}
	return stored
}

// DueSoonSlot is a midnight at which the yellow window opens for every item
// due in [From, To): the days whose window starts that day.
type DueSoonSlot struct {
	At       time.Time
	Day      int // At's date, for the key
	From, To time.Time
}

// DueSoonSlots lists the midnights in (t0, t1] at which some window opens.
func (s *Sweep) DueSoonSlots(t0, t1 time.Time) []DueSoonSlot {
	var out []DueSoonSlot
	for d := dayOf(t0); t1.After(t0) && d <= dayOf(t1)+1; d++ {
		at := s.W.midnight(d)
		if !at.After(t0) || at.After(t1) {
			continue
		}
		// The window's start moves forward with the due date: the due days
		// whose window starts on d are a run of days from d on.
		first, last := noDay, noDay
		for x := d; x < d+64; x++ {
			st := dayOf(s.W.soonStart(s.W.closeOf(x), s.Soon))
			if st == d {
				if first == noDay {
					first = x
				}
				last = x
			} else if st > d {
				break
			}
		}
		if first != noDay {
			out = append(out, DueSoonSlot{At: at, Day: d, From: s.W.midnight(first), To: s.W.midnight(last + 1)})
		}
	}
	return out
}

// DeadlineSetAt is when the item's current deadline was set: the start of
// the round, or the last extension granted in it.
func (it *Item) DeadlineSetAt() time.Time {
	var phaseBuf [8]phase
	var roundBuf [2]time.Time
	h := newHistory(it, phaseBuf[:0], roundBuf[:0])
	var spanBuf [4]deadlineSpan
	sp := h.deadlines("", spanBuf[:0])
	if len(sp) == 0 {
		return time.Time{}
	}
	return sp[len(sp)-1].from
}

// Owes reports whether the item is in the slot's due-soon digest: being
// handled, due in the slot's days (after its midnight), its deadline set by
// then (one set later, inside the window, warns on its own).
func (sl DueSoonSlot) Owes(it *Item) bool {
	due := it.Deadline.Due
	return it.Handling() && !due.Before(sl.From) && due.Before(sl.To) && due.After(sl.At) && !it.DeadlineSetAt().After(sl.At)
}

// OverdueIn reports whether the item's deadline passes in (t0, t1] while it
// is being handled, with the deadline set by then: the overdue warning and
// escalation digests, and the light turning red.
func OverdueIn(it *Item, t0, t1 time.Time) bool {
	due := it.Deadline.Due
	return it.Handling() && due.After(t0) && !due.After(t1) && !it.DeadlineSetAt().After(due)
}

// DeadlineDigestKey is the key of an overdue or escalation digest: the kind,
// the unit ("" for a leader's or the 督查室's), and the deadline itself to the
// microsecond, so items due at one instant make one digest in whichever tick
// holds it; the store appends the recipient.
func DeadlineDigestKey(kind NoticeKind, unit string, due time.Time) string {
	return key("digest", kind, unit, due.In(time.FixedZone("CST", cstOffset)).Format("20060102150405.000000"))
}

// DigestText is a digest's subject and body for n items (units: how many
// units the digest covers, for the 督查室's and a leader's; 0 for a unit's
// own). A digest of one item reads as that item's notice (title given).
func DigestText(kind NoticeKind, n, units int, due time.Time, title string) (subject, body string) {
	if n == 1 && title != "" {
		subject = kind.Label() + "：" + title
		switch kind {
		case NoticeReportReminder:
			return subject, fmt.Sprintf("“%s”的进展情况请于 %s 前报送", title, fmtTime(due))
		case NoticeReportMissing:
			return subject, fmt.Sprintf("“%s”应于 %s 前报送的进展情况未报送", title, fmtTime(due))
		case NoticeOverdueDaily:
			return subject, fmt.Sprintf("“%s”已逾期，请抓紧办理", title)
		case NoticeDueSoon:
			return subject, fmt.Sprintf("“%s”将于 %s 到期", title, fmtTime(due))
		case NoticeOverdue:
			return subject, fmt.Sprintf("“%s”已于 %s 到期，尚未办结", title, fmtTime(due))
		case NoticeEscalate:
			return subject, fmt.Sprintf("您分管的单位牵头办理的“%s”已逾期（期限 %s）", title, fmtTime(due))
		}
	}
	of := ""
	if units > 0 {
		of = fmt.Sprintf("%d 个单位的 ", units)
	}
	switch kind {
	case NoticeReportReminder:
		return fmt.Sprintf("%s：%d 件事项今日应报送进展", kind.Label(), n),
			fmt.Sprintf("%d 件督办事项的进展情况请于 %s 前报送。", n, fmtTime(due))
	case NoticeReportMissing:
		return fmt.Sprintf("%s：%d 件事项", kind.Label(), n),
			fmt.Sprintf("%s%d 件督办事项应于 %s 前报送的进展情况未报送。", of, n, fmtTime(due))
	case NoticeOverdueDaily:
		return fmt.Sprintf("%s：%d 件事项已逾期", kind.Label(), n),
			fmt.Sprintf("贵单位牵头的 %d 件督办事项已逾期未办结，请抓紧办理。", n)
	case NoticeDueSoon:
		return fmt.Sprintf("%s：%d 件事项临近期限", kind.Label(), n),
			fmt.Sprintf("贵单位牵头的 %d 件督办事项即将到期（最早 %s），请抓紧办理。", n, fmtTime(due))
	case NoticeOverdue:
		return fmt.Sprintf("%s：%d 件事项到期未办结", kind.Label(), n),
			fmt.Sprintf("%s%d 件督办事项已于 %s 到期，尚未办结。", of, n, fmtTime(due))
	case NoticeEscalate:
		return fmt.Sprintf("%s：%d 件事项", kind.Label(), n),
			fmt.Sprintf("您分管的%s%d 件督办事项已逾期（期限 %s）。", of, n, fmtTime(due))
	}
	return kind.Label(), ""
}
