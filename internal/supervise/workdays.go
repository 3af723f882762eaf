package supervise

import (
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// China has kept UTC+8 without daylight saving since 1991, so a civil date in
// Asia/Shanghai is a plain day number: whole days since 1970-01-01 at +08:00.
const cstOffset = 8 * 60 * 60

// dayOf is t's civil date in Asia/Shanghai as a day number.
func dayOf(t time.Time) int {
	s := t.Unix() + cstOffset
	if s < 0 {
		return int((s - 86399) / 86400)
	}
	return int(s / 86400)
}

// dateOf is the civil date of day number d, at midnight UTC (for Year/Month/Day).
func dateOf(d int) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// dayKey formats a day number as YYYYMMDD, for idempotency keys.
func dayKey(d int) string { return dateOf(d).Format("20060102") }

// Workdays is a precomputed view of the calendar over a span of years, so
// that sweeping a million items needs no date arithmetic per item: working
// day or not, the count of working days up to a date, and the next working
// day are array lookups. Outside the span it asks the calendar.
type Workdays struct {
	cal   *calendar.Calendar
	loc   *time.Location
	first int     // day number of the first day in the table
	work  []bool  // working day?
	ord   []int32 // working days from first through this day, inclusive
	next  []int32 // offset of the first working day on or after this day
	open  int     // seconds after midnight when office opens
	close int     // seconds after midnight when office closes
}

// NewWorkdays builds the table for the years fromYear through toYear.
func NewWorkdays(cal *calendar.Calendar, fromYear, toYear int) *Workdays {
	toYear = max(toYear, fromYear)
	first := dayOf(time.Date(fromYear, 1, 1, 12, 0, 0, 0, calendar.Shanghai()))
	last := dayOf(time.Date(toYear, 12, 31, 12, 0, 0, 0, calendar.Shanghai()))
	n := last - first + 1
	// A spare month at the end lets next() find a working day past toYear.
	pad := 30
	w := &Workdays{cal: cal, loc: cal.Location(), first: first, work: make([]bool, n+pad), ord: make([]int32, n+pad), next: make([]int32, n+pad)}
	h := cal.Hours()
	w.open, w.close = int(h[0].Start)*60, int(h[len(h)-1].End)*60
	var count int32
	for i := range w.work {
		w.work[i] = cal.IsWorkday(w.midnight(first + i).Add(12 * time.Hour))
		if w.work[i] {
			count++
		}
		w.ord[i] = count
	}
	nxt := int32(-1)
	for i := len(w.work) - 1; i >= 0; i-- {
		if w.work[i] {
			nxt = int32(i)
		}
		w.next[i] = nxt
	}
	return w
}

// Calendar is the calendar the table was built from.
func (w *Workdays) Calendar() *calendar.Calendar { return w.cal }

func (w *Workdays) in(d int) bool { return d >= w.first && d < w.first+len(w.work) }

// midnight is the start of day d in Asia/Shanghai.
func (w *Workdays) midnight(d int) time.Time {
	return time.Unix(int64(d)*86400-cstOffset, 0).In(w.loc)
}

// IsWork reports whether day d is a working day.
func (w *Workdays) IsWork(d int) bool {
	if w.in(d) {
		return w.work[d-w.first]
	}
	return w.cal.IsWorkday(w.midnight(d).Add(12 * time.Hour))
}

// nextWork is the first working day on or after d.
func (w *Workdays) nextWork(d int) int {
	if w.in(d) {
		if n := w.next[d-w.first]; n >= 0 {
			return w.first + int(n)
		}
	}
	for !w.IsWork(d) {
		d++
	}
	return d
}

// prevWork is the last working day on or before d.
func (w *Workdays) prevWork(d int) int {
	for !w.IsWork(d) {
		d--
	}
	return d
}

// closeOf is the close of office on day d.
func (w *Workdays) closeOf(d int) time.Time {
	return time.Unix(int64(d)*86400-cstOffset+int64(w.close), 0).In(w.loc)
}

// openOf is the opening of office on day d.
func (w *Workdays) openOf(d int) time.Time {
	return time.Unix(int64(d)*86400-cstOffset+int64(w.open), 0).In(w.loc)
}

// reportDue is when a report scheduled for day d is due: the close of office
// on d, or on the next working day if d is a day off.
func (w *Workdays) reportDue(d int) time.Time { return w.closeOf(w.nextWork(d)) }

// between counts the working days in (a, b]; 0 if b <= a.
func (w *Workdays) between(a, b int) int {
	if b <= a {
		return 0
	}
	if w.in(a) && w.in(b) {
		return int(w.ord[b-w.first] - w.ord[a-w.first])
	}
	n := 0
	for d := a + 1; d <= b; d++ {
		if w.IsWork(d) {
			n++
		}
	}
	return n
}

// WorkdaysLeft is how many working days lie after now's date up to and
// including the date of due: 0 when due is today (or already past).
func (w *Workdays) WorkdaysLeft(now, due time.Time) int {
	return w.between(dayOf(now), dayOf(due))
}

// WorkdaysBetween is the number of working days from a's date to b's date
// (a's date not counted): the "days to close" of the statistics.
func (w *Workdays) WorkdaysBetween(a, b time.Time) int { return w.between(dayOf(a), dayOf(b)) }

// soonStart is the first instant at which an item due at due counts as
// "due within n working days": midnight of the earliest day s with
// WorkdaysLeft(s, due) <= n.
func (w *Workdays) soonStart(due time.Time, n int) time.Time {
	s, left := dayOf(due), 0
	for {
		add := 0
		if w.IsWork(s) {
			add = 1
		}
		if left+add > n {
			break
		}
		left += add
		s--
	}
	return w.midnight(s)
}

// urgingLimit is when a 催办单 sent at t must have been signed for: one
// working day, as calendar.AddWorkdays(t, 1) counts it (the day of t counts
// only if t is before the office opens).
func (w *Workdays) urgingLimit(t time.Time) time.Time {
	d := dayOf(t)
	if w.IsWork(d) && !t.After(w.openOf(d)) {
		return w.closeOf(d)
	}
	return w.closeOf(w.nextWork(d + 1))
}
