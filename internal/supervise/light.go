package supervise

import (
	"math"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// Color is the warning light (亮灯).
type Color string

const (
	Off    Color = ""       // closed items have no light
	Green  Color = "green"  // 绿灯：正常推进
	Yellow Color = "yellow" // 黄灯：临近期限或进展反馈缺报
	Red    Color = "red"    // 红灯：逾期
)

// Label is the light's Chinese name.
func (c Color) Label() string {
	switch c {
	case Green:
		return "绿灯"
	case Yellow:
		return "黄灯"
	case Red:
		return "红灯"
	}
	return "无"
}

// ReasonKind says why a light is yellow or red.
type ReasonKind string

const (
	ReasonOverdue       ReasonKind = "overdue"        // 逾期
	ReasonDueSoon       ReasonKind = "due_soon"       // 临近期限
	ReasonReportMissing ReasonKind = "report_missing" // 进展反馈缺报
)

// Reason is one cause of a yellow or red light.
type Reason struct {
	Kind   ReasonKind `json:"kind"`
	Target string     `json:"target,omitempty"` // sub-item or milestone ID; "" for the item
	UnitID string     `json:"unit_id,omitempty"`
	Due    time.Time  `json:"due"` // the deadline, or the missed report's due time
}

// Light is the warning light of one item at a time and why.
type Light struct {
	Color   Color    `json:"color"`
	Reasons []Reason `json:"reasons,omitempty"`
}

// Sweep computes warning lights. It is built once per sweep (the Workdays
// table is the expensive part) and shared by concurrent goroutines.
type Sweep struct {
	W *Workdays
	// Soon is the yellow window in working days.
	Soon int
	// Digest leaves out of Due and NextAt the notices a store delivers as
	// digests (see digest.go): the daily reminder of overdue items, and the
	// report reminders and warnings of weekly and monthly schedules. They can
	// fall due for most items at one instant, so a store finds them with
	// set-based queries over columns instead of waking each item.
	Digest bool
}

// NewSweep builds a sweep for the rules' calendar over the years around now.
func (r Rules) NewSweep(fromYear, toYear int) *Sweep {
	return &Sweep{W: NewWorkdays(r.Calendar, fromYear, toYear), Soon: r.soonDays()}
}

// ColorAt is the item's light at now, without reasons and without
// allocating: the hot path of the sweep over every open item.
func (s *Sweep) ColorAt(it *Item, now time.Time) Color {
	c, _ := s.light(it, now, false)
	return c
}

// LightAt is the item's light at now with its reasons.
func (s *Sweep) LightAt(it *Item, now time.Time) Light {
	c, rs := s.light(it, now, true)
	return Light{Color: c, Reasons: rs}
}

func (s *Sweep) light(it *Item, now time.Time, explain bool) (Color, []Reason) {
	switch it.State {
	case Closed:
		return Off, nil
	case Registered:
		return Green, nil
	case PendingReview:
		// The unit's clock stopped when it applied; judge that moment.
		if n := len(it.Submits); n > 0 && it.Submits[n-1].At.After(it.Deadline.Due) {
			if explain {
				return Red, []Reason{{Kind: ReasonOverdue, Due: it.Deadline.Due}}
			}
			return Red, nil
		}
		return Green, nil
	}
	color := Green
	var reasons []Reason
	mark := func(c Color, r Reason) {
		if c == Red || color == Green {
			color = c
		}
		if explain {
			reasons = append(reasons, r)
		}
	}
	s.deadline(it.Deadline.Due, "", now, mark)
	for i := range it.SubItems {
		if sub := &it.SubItems[i]; sub.DoneAt.IsZero() {
			s.deadline(sub.Deadline.Due, sub.ID, now, mark)
		}
	}
	for i := range it.Milestones {
		if m := &it.Milestones[i]; m.DoneAt.IsZero() {
			s.deadline(m.Deadline.Due, m.ID, now, mark)
		}
	}
	if color == Red && !explain {
		return Red, nil
	}
	if p, ok := s.periodAt(it, now); ok {
		for i := range it.Units {
			u := &it.Units[i]
			if u.Released {
				continue
			}
			if last := lastReport(it, u.UnitID, now); !last.After(p.prev) {
				mark(Yellow, Reason{Kind: ReasonReportMissing, UnitID: u.UnitID, Due: p.due})
				if !explain {
					break
				}
			}
		}
	}
	return color, reasons
}

func (s *Sweep) deadline(due time.Time, target string, now time.Time, mark func(Color, Reason)) {
	if due.IsZero() {
		return
	}
	if now.After(due) {
		mark(Red, Reason{Kind: ReasonOverdue, Target: target, Due: due})
		return
	}
	if s.W.WorkdaysLeft(now, due) <= s.Soon {
		mark(Yellow, Reason{Kind: ReasonDueSoon, Target: target, Due: due})
	}
}

// lastReport is the time of the unit's latest report made at or before t.
func lastReport(it *Item, unitID string, t time.Time) time.Time {
	for i := len(it.Reports) - 1; i >= 0; i-- {
		r := &it.Reports[i]
		if r.UnitID == unitID && !r.At.After(t) {
			return r.At
		}
	}
	return time.Time{}
}

// period is one progress-report period: a report made after prev and by
// due is on time; day is the scheduled date, the period's stable name.
type period struct {
	day       int
	due, prev time.Time
}

const noDay = math.MinInt32

// latestSched is the latest scheduled report date on or before day d.
func latestSched(it *Item, d int) int {
	s := it.Schedule
	switch s.Kind {
	case Weekly:
		return d - ((d+4)%7-int(s.Weekday)+7)%7
	case Monthly:
		t := dateOf(d)
		c := dayOf(monthDay(t.Year(), t.Month(), s.Day))
		if c > d {
			c = dayOf(monthDay(t.Year(), t.Month()-1, s.Day))
		}
		return c
	case AtMilestones:
		// Reports are due at the milestones as planned (original deadlines), so
		// an extension does not move a report already due.
		best := noDay
		for i := range it.Milestones {
			if md := dayOf(it.Milestones[i].Deadline.Original); md <= d && md > best {
				best = md
			}
		}
		return best
	}
	return noDay
}

// periodAt is the latest report period whose due time is at or before t,
// for an item being handled since it was (last) assigned.
func (s *Sweep) periodAt(it *Item, t time.Time) (period, bool) {
	return s.periodSince(it, it.AssignedAt, t)
}

// periodSince is periodAt for a handling round that started at start.
func (s *Sweep) periodSince(it *Item, start, t time.Time) (period, bool) {
	if start.IsZero() {
		return period{}, false
	}
	a := dayOf(start)
	d := latestSched(it, dayOf(t))
	for d > a && s.W.reportDue(d).After(t) {
		d = latestSched(it, d-1)
	}
	if d <= a {
		return period{}, false
	}
	due := s.W.reportDue(d)
	p := latestSched(it, d-1)
	for p > a && s.W.reportDue(p).Equal(due) {
		p = latestSched(it, p-1)
	}
	prev := start
	if p > a {
		prev = s.W.reportDue(p)
	}
	return period{day: d, due: due, prev: prev}, true
}

// Overseers maps a unit to the leaders who oversee it (分管领导).
type Overseers map[string][]string

// NewOverseers indexes the oversight records.
func NewOverseers(os []org.Oversight) Overseers {
	m := Overseers{}
	for _, o := range os {
		m[o.UnitID] = append(m[o.UnitID], o.LeaderID)
	}
	return m
}

// EscalateTo lists the leaders a red item escalates to: those who oversee
// its lead unit. Empty when no leader oversees it (the 督查室 then sees it
// on the overdue list only).
func (o Overseers) EscalateTo(it *Item) []string { return o[it.LeadUnit()] }
