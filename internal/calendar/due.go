package calendar

import (
	"fmt"
	"time"
)

// Unit is what a time limit counts.
type Unit string

const (
	// WorkDays counts working days: due at the close of office on the Nth working day.
	WorkDays Unit = "workdays"
	// WorkHours counts working hours inside office hours.
	WorkHours Unit = "workhours"
	// ClockHours counts wall-clock hours, day or night (e.g. 特急 sign-for within 1 hour).
	ClockHours Unit = "hours"
)

// Limit is a time limit such as "3 working days". The zero Limit means no limit.
type Limit struct {
	Unit Unit `json:"unit,omitempty"`
	N    int  `json:"n,omitempty"`
}

// Days, Hours and ClockHoursOf build limits.
func Days(n int) Limit         { return Limit{Unit: WorkDays, N: n} }
func Hours(n int) Limit        { return Limit{Unit: WorkHours, N: n} }
func ClockHoursOf(n int) Limit { return Limit{Unit: ClockHours, N: n} }

// IsZero reports whether the limit is "no limit".
func (l Limit) IsZero() bool { return l.N == 0 && l.Unit == "" }

// String is the limit in Chinese, e.g. "3个工作日".
func (l Limit) String() string {
	switch l.Unit {
	case WorkDays:
		return fmt.Sprintf("%d个工作日", l.N)
	case WorkHours:
		return fmt.Sprintf("%d个工作小时", l.N)
	case ClockHours:
		return fmt.Sprintf("%d小时", l.N)
	case "":
		if l.N == 0 {
			return "不限时"
		}
	}
	return fmt.Sprintf("%d（单位“%s”无效）", l.N, l.Unit)
}

// Validate checks the unit and that N is within ten years' worth.
func (l Limit) Validate() error {
	if l.IsZero() {
		return nil
	}
	if l.N < 0 {
		return fmt.Errorf("时限不能为负数")
	}
	switch l.Unit {
	case WorkDays:
		if l.N > maxWorkdays {
			return fmt.Errorf("时限 %d 个工作日过长", l.N)
		}
	case WorkHours, ClockHours:
		if l.N > maxWorkdays*24 {
			return fmt.Errorf("时限 %d 小时过长", l.N)
		}
	default:
		return fmt.Errorf("时限单位“%s”无效，应为工作日、工作小时或小时", l.Unit)
	}
	return nil
}

// maxWorkdays bounds the arithmetic so a bad input cannot spin for long.
const maxWorkdays = 3660

// Due is the due time of a limit started at start; ok is false for no limit.
func (c *Calendar) Due(start time.Time, l Limit) (due time.Time, ok bool, err error) {
	if l.IsZero() {
		return time.Time{}, false, nil
	}
	if err := l.Validate(); err != nil {
		return time.Time{}, false, err
	}
	switch l.Unit {
	case WorkDays:
		due, err = c.AddWorkdays(start, l.N)
	case WorkHours:
		due, err = c.AddWorkingTime(start, time.Duration(l.N)*time.Hour)
	case ClockHours:
		due = start.Add(time.Duration(l.N) * time.Hour).In(c.loc)
	}
	return due, err == nil, err
}

// at is the instant of clock k on the date whose midnight is m.
func (c *Calendar) at(m time.Time, k Clock) time.Time {
	y, mo, d := m.Date()
	return time.Date(y, mo, d, int(k)/60, int(k)%60, 0, 0, c.loc)
}

// AddWorkdays returns the close of office on the Nth working day counted from t.
// The day of t counts as the first day only if t is a working day and no
// later than the start of its office hours; otherwise counting starts with the
// next working day. So a document received at 10:00 on a Friday with a limit
// of 1 working day is due at 17:30 on the next working day; N = 0 means the
// close of the current (or next) working day.
func (c *Calendar) AddWorkdays(t time.Time, n int) (time.Time, error) {
	if n < 0 || n > maxWorkdays {
		return time.Time{}, fmt.Errorf("工作日数 %d 超出范围（0–%d）", n, maxWorkdays)
	}
	first, last := c.hours[0].Start, c.hours[len(c.hours)-1].End
	m := c.midnight(t)
	countsToday := c.IsWorkday(m) && !t.After(c.at(m, first))
	if n == 0 {
		if c.IsWorkday(m) && t.Before(c.at(m, last)) {
			return c.at(m, last), nil
		}
		n = 1
		countsToday = false
	}
	if countsToday {
		n--
		if n == 0 {
			return c.at(m, last), nil
		}
	}
	for {
		m = c.nextDay(m)
		if c.IsWorkday(m) {
			n--
			if n == 0 {
				return c.at(m, last), nil
			}
		}
	}
}

// AddWorkingTime returns the instant at which d of working time (inside
// office hours on working days) has passed after t. If the time runs out
// exactly at the end of a session, that end is returned.
func (c *Calendar) AddWorkingTime(t time.Time, d time.Duration) (time.Time, error) {
	if d < 0 || d > time.Duration(maxWorkdays)*24*time.Hour {
		return time.Time{}, fmt.Errorf("工作时长 %s 超出范围", d)
	}
	t = t.In(c.loc)
	if d == 0 {
		return t, nil
	}
	for m := c.midnight(t); ; m = c.nextDay(m) {
		if !c.IsWorkday(m) {
			continue
		}
		for _, s := range c.hours {
			start, end := c.at(m, s.Start), c.at(m, s.End)
			if !t.Before(end) {
				continue
			}
			from := start
			if t.After(start) {
				from = t
			}
			if avail := end.Sub(from); d <= avail {
				return from.Add(d), nil
			} else {
				d -= avail
			}
		}
	}
}

// WorkingTimeBetween is the working time inside [a, b); negative if b is before a.
func (c *Calendar) WorkingTimeBetween(a, b time.Time) time.Duration {
	if b.Before(a) {
		return -c.WorkingTimeBetween(b, a)
	}
	return c.workingTime(a, b, -1)
}

// workingTime sums working time in [a, b), stopping early once it exceeds
// stop (if stop >= 0): deciding "within the window" needs no more.
func (c *Calendar) workingTime(a, b time.Time, stop time.Duration) time.Duration {
	var total time.Duration
	for m := c.midnight(a); m.Before(b) && (stop < 0 || total <= stop); m = c.nextDay(m) {
		if !c.IsWorkday(m) {
			continue
		}
		for _, s := range c.hours {
			start, end := c.at(m, s.Start), c.at(m, s.End)
			if start.Before(a) {
				start = a
			}
			if end.After(b) {
				end = b
			}
			if end.After(start) {
				total += end.Sub(start)
			}
		}
	}
	return total
}

// State is an open item's standing against its due time.
type State string

const (
	Normal  State = "normal"
	DueSoon State = "due_soon"
	Overdue State = "overdue"
)

// Label is the state's Chinese name.
func (s State) Label() string {
	switch s {
	case Normal:
		return "正常"
	case DueSoon:
		return "即将到期"
	case Overdue:
		return "逾期"
	}
	return string(s)
}

// DefaultSoon is the default "即将到期" window: one working day.
func DefaultSoon() Limit { return Days(1) }

// StateAt is the state at now of an open item due at due. It is 逾期 once
// now is after due, and 即将到期 when what is left is within the soon window
// (counted in working time for working-day and working-hour windows, so a
// Friday-evening item due Monday morning is already 即将到期). A zero due time
// means no due time and is always 正常.
func (c *Calendar) StateAt(due, now time.Time, soon Limit) State {
	if due.IsZero() {
		return Normal
	}
	if now.After(due) {
		return Overdue
	}
	var within bool
	switch soon.Unit {
	case WorkDays:
		w := time.Duration(soon.N) * c.hours.PerDay()
		within = c.workingTime(now, due, w) <= w
	case WorkHours:
		w := time.Duration(soon.N) * time.Hour
		within = c.workingTime(now, due, w) <= w
	case ClockHours:
		within = due.Sub(now) <= time.Duration(soon.N)*time.Hour
	}
	if within {
		return DueSoon
	}
	return Normal
}

// SoonUntil is where 即将到期 ends, for lists that filter by state in the
// database: an item due at or after now is DueSoon exactly when it is due
// before the returned time, and Normal from it on (StateAt). It turns the
// state into a range of due times.
func (c *Calendar) SoonUntil(now time.Time, soon Limit) (time.Time, error) {
	switch soon.Unit {
	case ClockHours:
		return now.Add(time.Duration(soon.N)*time.Hour + time.Nanosecond), nil
	case WorkDays, WorkHours:
		w := time.Duration(soon.N) * time.Hour
		if soon.Unit == WorkDays {
			w = time.Duration(soon.N) * c.hours.PerDay()
		}
		// The first instant with more than w of working time before it: just
		// past the window's end inside a session, else just past the start
		// of the next session (the time between is not working time).
		return c.AddWorkingTime(now, w+time.Nanosecond)
	}
	return time.Time{}, fmt.Errorf("即将到期的时限单位 %q 无效", soon.Unit)
}
