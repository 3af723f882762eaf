package meeting

import (
	"cmp"
	"slices"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// Slot is a span of time, [Start, End).
type Slot struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Overlaps reports whether two spans share an instant; spans that only
// touch (one ends when the other starts) do not.
func (s Slot) Overlaps(o Slot) bool { return s.Start.Before(o.End) && o.Start.Before(s.End) }

// BusyKind says what is busy: a room or a person.
type BusyKind string

const (
	RoomBusy   BusyKind = "room"
	PersonBusy BusyKind = "person"
)

// Busy is a span during which a room or a person is taken, with what takes
// it: another meeting, or a leader's schedule entry kept in another module
// (a 调研 trip, duty) — Source names that module and its ID.
type Busy struct {
	Kind       BusyKind  `json:"kind"`
	Who        string    `json:"who"` // room or person ID
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Title      string    `json:"title"`
	SourceKind string    `json:"source_kind,omitempty"` // "meeting", "duty", "" for an entry of the schedule itself
	SourceID   string    `json:"source_id,omitempty"`
}

// Slot is the busy span.
func (b Busy) Slot() Slot { return Slot{Start: b.Start, End: b.End} }

// Conflict is one thing that stands in a booking's way.
type Conflict = Busy

// Wanted is what a booking needs free: a room and people over a span.
// Self, when set, is the meeting being moved: its own entries do not stand
// in its way.
type Wanted struct {
	Slot   Slot
	Room   string
	People []string
	Self   string
}

func (w Wanted) concerns(b Busy) bool {
	if w.Self != "" && b.SourceKind == "meeting" && b.SourceID == w.Self {
		return false
	}
	switch b.Kind {
	case RoomBusy:
		return b.Who == w.Room && w.Room != ""
	case PersonBusy:
		return slices.Contains(w.People, b.Who)
	}
	return false
}

// Conflicts lists what in busy stands in the way of w: the room taken by
// another meeting, a person already busy — each with its exact span and
// title — the room first, then people in the order of w.People, each by
// start.
func Conflicts(w Wanted, busy []Busy) []Conflict {
	var out []Conflict
	for _, b := range busy {
		if w.concerns(b) && w.Slot.Overlaps(b.Slot()) {
			out = append(out, b)
		}
	}
	order := func(b Busy) int {
		if b.Kind == RoomBusy {
			return -1
		}
		return slices.Index(w.People, b.Who)
	}
	slices.SortStableFunc(out, func(a, b Busy) int {
		return cmp.Or(cmp.Compare(order(a), order(b)), a.Start.Compare(b.Start))
	})
	return out
}

// SlotStep is the grid free slots are offered on.
const SlotStep = 30 * time.Minute

// Search bounds how far FreeSlots looks: this many days after the wanted
// day and before it (never before NotBefore).
const (
	searchAfter  = 14
	searchBefore = 7
)

// FreeSlots offers up to n slots as long as w's in which its room and
// people are all free, on working days within the office's day (from the
// first session's start to the last one's end), never before notBefore:
// the ones nearest the wanted start, returned in time order. busy may hold
// anything; only what concerns w is read.
func FreeSlots(cal *calendar.Calendar, w Wanted, busy []Busy, notBefore time.Time, n int) []Slot {
	d := w.Slot.End.Sub(w.Slot.Start)
	hours := cal.Hours()
	if d <= 0 || n <= 0 || len(hours) == 0 {
		return nil
	}
	loc := cal.Location()
	ws := w.Slot.Start.In(loc)
	day0 := time.Date(ws.Year(), ws.Month(), ws.Day(), 0, 0, 0, 0, loc)
	from, to := day0.AddDate(0, 0, -searchBefore), day0.AddDate(0, 0, searchAfter+1)
	// Only what concerns the booking and falls in the window, by start.
	var rel []Slot
	for _, b := range busy {
		if w.concerns(b) && b.End.After(from) && b.Start.Before(to) {
			rel = append(rel, b.Slot())
		}
	}
	slices.SortFunc(rel, func(a, b Slot) int { return a.Start.Compare(b.Start) })
	// maxLen bounds how far back an overlapping span can start.
	var maxLen time.Duration
	for _, s := range rel {
		maxLen = max(maxLen, s.End.Sub(s.Start))
	}
	free := func(s Slot) bool {
		// The first span that could overlap starts after s.Start-maxLen.
		i, _ := slices.BinarySearchFunc(rel, s.Start.Add(-maxLen), func(a Slot, t time.Time) int { return a.Start.Compare(t) })
		for ; i < len(rel) && rel[i].Start.Before(s.End); i++ {
			if rel[i].Overlaps(s) {
				return false
			}
		}
		return true
	}
	open, closeAt := hours[0].Start, hours[len(hours)-1].End
	var cands []Slot
	for day := from; day.Before(to); day = day.AddDate(0, 0, 1) {
		if !cal.IsWorkday(day) {
			continue
		}
		first := day.Add(time.Duration(open) * time.Minute)
		last := day.Add(time.Duration(closeAt) * time.Minute)
		for st := first; !st.Add(d).After(last); st = st.Add(SlotStep) {
			s := Slot{Start: st, End: st.Add(d)}
			if st.Before(notBefore) {
				continue
			}
			if free(s) {
				cands = append(cands, s)
			}
		}
	}
	dist := func(s Slot) time.Duration {
		x := s.Start.Sub(w.Slot.Start)
		if x < 0 {
			return -x
		}
		return x
	}
	slices.SortStableFunc(cands, func(a, b Slot) int {
		return cmp.Or(cmp.Compare(dist(a), dist(b)), a.Start.Compare(b.Start))
	})
	if len(cands) > n {
		cands = cands[:n]
	}
	slices.SortFunc(cands, func(a, b Slot) int { return a.Start.Compare(b.Start) })
	return cands
}
