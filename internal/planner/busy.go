package planner

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// Conflicts returns the intervals that overlap the wanted slot and belong to
// one of people (or to everyone: PersonID ""), ordered by the person's place
// in people (those for everyone last), then by start. Intervals that only
// touch the slot do not conflict. An empty people list counts every
// interval.
func Conflicts(busy []Busy, want Slot, people []string) []Busy {
	rank := make(map[string]int, len(people))
	for i, p := range people {
		if _, dup := rank[p]; !dup {
			rank[p] = i
		}
	}
	var out []Busy
	for _, b := range busy {
		if !want.Overlaps(b.Start, b.End) {
			continue
		}
		if len(people) > 0 && b.PersonID != "" {
			if _, ok := rank[b.PersonID]; !ok {
				continue
			}
		}
		out = append(out, b)
	}
	key := func(b Busy) int {
		if b.PersonID == "" {
			return len(people)
		}
		return rank[b.PersonID]
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ki, kj := key(out[i]), key(out[j]); ki != kj {
			return ki < kj
		}
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].End.Before(out[j].End)
	})
	return out
}

// SlotQuery asks FreeSlots for slots like a wanted one.
type SlotQuery struct {
	// Want is the slot asked for; the slots offered have its length.
	Want Slot
	// People whose busy time counts (with the intervals for everyone).
	People []string
	// NotBefore: no slot offered starts earlier (usually now); zero: no bound.
	NotBefore time.Time
	// Max is how many slots to offer; 0: 3.
	Max int
	// Step is the grid slots start on, counted from each office session's
	// start; 0: 30 minutes. The end of each busy interval is a start too.
	Step time.Duration
	// Days is how many working days on each side of the wanted day are
	// looked at; 0: 10.
	Days int
}

// FreeSlots offers the free slots nearest the wanted one: of its length,
// inside one office session of a working day (a slot longer than every
// session may span the day's sessions, from the first's start to the last's
// end), free for every person asked about, none overlapping another,
// nearest first: the fewest days away, then the nearest time of day (the
// earlier of two equally near). It returns none when the
// wanted slot is empty or nothing is free within the days looked at.
func FreeSlots(cal *calendar.Calendar, busy []Busy, q SlotQuery) []Slot {
	length := q.Want.Len()
	if length <= 0 || cal == nil {
		return nil
	}
	if q.Max <= 0 {
		q.Max = 3
	}
	if q.Step <= 0 {
		q.Step = 30 * time.Minute
	}
	if q.Days <= 0 {
		q.Days = 10
	}
	loc := cal.Location()
	wantDay := midnight(q.Want.Start, loc)
	// Only busy time near the days looked at matters: Days working days on
	// each side fit in three times as many calendar days and a fortnight of
	// holidays.
	reach := time.Duration(3*q.Days+14) * 24 * time.Hour
	lo, hi := wantDay.Add(-reach), wantDay.Add(reach+length)
	asked := make(map[string]bool, len(q.People))
	for _, p := range q.People {
		asked[p] = true
	}
	near := make([]Busy, 0, 64)
	// The ends of busy intervals are starts worth offering (an instant
	// [t, t) ends nothing).
	var ends []time.Time
	for _, b := range busy {
		if b.Start.After(hi) || b.End.Before(lo) {
			continue
		}
		if b.PersonID != "" && len(asked) > 0 && !asked[b.PersonID] {
			continue
		}
		near = append(near, b)
		if b.End.After(b.Start) {
			ends = append(ends, b.End)
		}
	}
	taken := union(near, nil)
	hours := cal.Hours()
	windows := func(day time.Time) []Slot {
		y, m, d := day.Date()
		at := func(c calendar.Clock) time.Time { return time.Date(y, m, d, int(c)/60, int(c)%60, 0, 0, loc) }
		var longest time.Duration
		for _, s := range hours {
			longest = max(longest, time.Duration(s.End-s.Start)*time.Minute)
		}
		if length > longest {
			return []Slot{{Start: at(hours[0].Start), End: at(hours[len(hours)-1].End)}}
		}
		out := make([]Slot, len(hours))
		for i, s := range hours {
			out[i] = Slot{Start: at(s.Start), End: at(s.End)}
		}
		return out
	}
	var cands []Slot
	consider := func(day time.Time) {
		for _, w := range windows(day) {
			starts := []time.Time{}
			for t := w.Start; !t.Add(length).After(w.End); t = t.Add(q.Step) {
				starts = append(starts, t)
			}
			// Right after a busy interval, and the wanted time of day.
			for _, e := range ends {
				if !e.Before(w.Start) && e.Before(w.End) {
					starts = append(starts, e)
				}
			}
			ws := q.Want.Start.In(loc)
			y, mo, d := w.Start.Date()
			starts = append(starts, time.Date(y, mo, d, ws.Hour(), ws.Minute(), ws.Second(), ws.Nanosecond(), loc))
			for _, t := range starts {
				s := Slot{Start: t, End: t.Add(length)}
				if s.Start.Before(w.Start) || s.End.After(w.End) {
					continue
				}
				if !q.NotBefore.IsZero() && s.Start.Before(q.NotBefore) {
					continue
				}
				if free(taken, s) {
					cands = append(cands, s)
				}
			}
		}
	}
	if cal.IsWorkday(wantDay) {
		consider(wantDay)
	}
	for i, day := 0, wantDay; i < q.Days; {
		day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
		if cal.IsWorkday(day) {
			consider(day)
			i++
		}
	}
	for i, day := 0, wantDay; i < q.Days; {
		day = time.Date(day.Year(), day.Month(), day.Day()-1, 0, 0, 0, 0, loc)
		if !q.NotBefore.IsZero() && !day.AddDate(0, 0, 1).After(q.NotBefore) {
			break
		}
		if cal.IsWorkday(day) {
			consider(day)
			i++
		}
	}
	// Nearness: whole days away first, then how far the time of day is
	// from the wanted one, so another day offers the same hour first.
	wantTOD := q.Want.Start.Sub(wantDay)
	dist := func(s Slot) time.Duration {
		day := midnight(s.Start, loc)
		days := time.Duration(math.Round(day.Sub(wantDay).Hours() / 24))
		return abs(days)*24*time.Hour + abs(s.Start.Sub(day)-wantTOD)
	}
	sort.SliceStable(cands, func(i, j int) bool {
		di, dj := dist(cands[i]), dist(cands[j])
		if di != dj {
			return di < dj
		}
		return cands[i].Start.Before(cands[j].Start)
	})
	var out []Slot
	for _, c := range cands {
		if len(out) == q.Max {
			break
		}
		if slices.ContainsFunc(out, func(o Slot) bool { return o.Overlaps(c.Start, c.End) }) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// union is the busy time of people (and of everyone) as ordered,
// non-overlapping intervals. An empty interval [t, t) is kept as [t, t+1ns)
// so it still blocks a slot that contains t.
func union(busy []Busy, people []string) []Slot {
	var iv []Slot
	for _, b := range busy {
		if b.PersonID != "" && len(people) > 0 && !slices.Contains(people, b.PersonID) {
			continue
		}
		e := b.End
		if !e.After(b.Start) {
			e = b.Start.Add(time.Nanosecond)
		}
		iv = append(iv, Slot{Start: b.Start, End: e})
	}
	sort.Slice(iv, func(i, j int) bool { return iv[i].Start.Before(iv[j].Start) })
	var out []Slot
	for _, s := range iv {
		if n := len(out); n > 0 && !s.Start.After(out[n-1].End) {
			if s.End.After(out[n-1].End) {
				out[n-1].End = s.End
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// free reports whether s overlaps none of the ordered intervals.
func free(taken []Slot, s Slot) bool {
	i := sort.Search(len(taken), func(i int) bool { return taken[i].End.After(s.Start) })
	return i == len(taken) || !taken[i].Start.Before(s.End)
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func midnight(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// SpanText writes a span for a person to read, in loc: "12月8日 09:00–10:30",
// "12月8日 22:00–12月9日 02:00", "12月8日（全天）", "12月8日–12月10日（全天）".
func SpanText(start, end time.Time, allDay bool, loc *time.Location) string {
	start, end = start.In(loc), end.In(loc)
	day := func(t time.Time) string { return fmt.Sprintf("%d月%d日", t.Month(), t.Day()) }
	if allDay {
		last := end.Add(-time.Nanosecond)
		if midnight(start, loc).Equal(midnight(last, loc)) {
			return day(start) + "（全天）"
		}
		if start.Year() != last.Year() {
			return fmt.Sprintf("%d年%s–%d年%s（全天）", start.Year(), day(start), last.Year(), day(last))
		}
		return day(start) + "–" + day(last) + "（全天）"
	}
	if midnight(start, loc).Equal(midnight(end, loc)) {
		return day(start) + " " + start.Format("15:04") + "–" + end.Format("15:04")
	}
	return day(start) + " " + start.Format("15:04") + "–" + day(end) + " " + end.Format("15:04")
}

// ConflictText says what a conflicting interval is, naming the person:
// "李明 12月8日 09:00–10:30 已有安排：区政府常务会（会议）". For an interval
// redacted for the viewer it says only that the person is busy.
func ConflictText(b Busy, personName string, loc *time.Location) string {
	who := personName
	if who == "" {
		who = "该时段"
	}
	span := SpanText(b.Start, b.End, b.AllDay, loc)
	if b.Title == BusyTitle || b.Title == "" {
		return fmt.Sprintf("%s %s 已有安排（忙）", who, span)
	}
	what := b.Title
	if !b.Source.IsZero() {
		what += "（" + b.Source.Label() + "）"
	}
	return fmt.Sprintf("%s %s 已有安排：%s", who, span, what)
}
