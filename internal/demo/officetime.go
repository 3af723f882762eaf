package demo

import (
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// The demo's offices work in office hours on working days: every step it
// plays, and so every handover, falls inside them, never at night or on a
// rest day.

// inOffice is t if it falls in office hours on a working day, else a moment
// early in the next session.
func inOffice(cal *calendar.Calendar, t time.Time) time.Time {
	if cal.WorkingTimeBetween(t, t.Add(time.Minute)) == time.Minute {
		return t
	}
	if n, err := cal.AddWorkingTime(t, 7*time.Minute); err == nil {
		return n
	}
	return t
}

// lastInOffice is the latest moment at or before t in office hours on a
// working day (t itself if it is one).
func lastInOffice(cal *calendar.Calendar, t time.Time) time.Time {
	for u := t.Truncate(time.Minute); u.After(t.Add(-15 * 24 * time.Hour)); u = u.Add(-15 * time.Minute) {
		if cal.WorkingTimeBetween(u.Add(-time.Minute), u) == time.Minute {
			return u.Add(-time.Minute)
		}
	}
	return t
}

// afterWorking is t moved on by d of working time.
func afterWorking(cal *calendar.Calendar, t time.Time, d time.Duration) time.Time {
	if n, err := cal.AddWorkingTime(t, d); err == nil {
		return n
	}
	return t.Add(d)
}
