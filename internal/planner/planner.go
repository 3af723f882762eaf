// Package planner is leaders' schedules (领导日程) and the week programme
// (一周工作安排): schedule entries with their visibility, conflicts between a
// wanted slot and people's busy time, the nearest free slots inside office
// hours, and the week programme assembled from entries.
//
// The schedule entries are the one source of a leader's busy time: entries a
// secretary keeps by hand and entries other modules own (a meeting, a duty
// shift), each marked with its source so the owning module replaces or
// removes them in its own transaction. Everything here is pure.
package planner

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Refusal is input or an operation refused by the planner's rules; its
// message is Chinese, for the person who typed the input.
type Refusal struct{ Msg string }

func (r *Refusal) Error() string { return r.Msg }

// Visibility says who may see an entry's details.
type Visibility string

const (
	// Organ: public inside the organ (机关内公开); such entries feed the week programme.
	Organ Visibility = "organ"
	// Leaders: the organ's leaders and the entry's keepers only (仅领导可见).
	Leaders Visibility = "leaders"
	// Private: the leader and the secretary or office keeping the calendar only (仅本人及秘书可见).
	Private Visibility = "private"
)

// Visibilities lists the visibilities in the order a form offers them.
var Visibilities = []Visibility{Organ, Leaders, Private}

// Label is the visibility's Chinese name.
func (v Visibility) Label() string {
	switch v {
	case Organ:
		return "机关内公开"
	case Leaders:
		return "仅领导可见"
	case Private:
		return "仅本人及秘书可见"
	}
	return string(v)
}

// Valid reports whether v is one of the visibilities.
func (v Visibility) Valid() bool { return v == Organ || v == Leaders || v == Private }

// Source kinds of entries another module owns. An entry kept by hand on the
// leader's calendar has the empty kind.
const (
	SourceMeeting = "meeting" // a meeting the person is invited to (办会)
	SourceDuty    = "duty"    // a duty shift, e.g. as 带班领导 (值班)
	// SourceResearch: a field trip of a research topic the leader goes on (调研).
	SourceResearch = "research"
)

// Source names the object an entry belongs to: Kind "" is an entry kept by
// hand; otherwise the owning module's kind and its object's ID. The owning
// module adds, replaces and removes its entries by source, and the planner's
// pages show them read-only.
type Source struct {
	Kind string `json:"kind,omitempty"`
	ID   string `json:"id,omitempty"`
}

// IsZero reports whether the entry is kept by hand.
func (s Source) IsZero() bool { return s.Kind == "" }

// Label is the source's Chinese name, for "由…产生".
func (s Source) Label() string {
	switch s.Kind {
	case "":
		return "日程"
	case SourceMeeting:
		return "会议"
	case SourceDuty:
		return "值班"
	case SourceResearch:
		return "调研"
	}
	return s.Kind
}

// Entry is one item on a person's schedule, [Start, End).
type Entry struct {
	ID       string `json:"id"`
	PersonID string `json:"person_id"`
	// Start and End bound the entry, End excluded. An all-day entry runs
	// from midnight of its first day to midnight after its last (in
	// Asia/Shanghai); see AllDayRange.
	Start      time.Time  `json:"start"`
	End        time.Time  `json:"end"`
	AllDay     bool       `json:"all_day,omitempty"`
	Title      string     `json:"title"`
	Place      string     `json:"place,omitempty"`
	Note       string     `json:"note,omitempty"`
	Visibility Visibility `json:"visibility"`
	Source     Source     `json:"source"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// Limits on an entry's fields.
const (
	MaxTitle = 200
	MaxPlace = 100
	MaxNote  = 1000
	// MaxSpan bounds one entry (a longer absence is entered month by month);
	// it bounds how far back a read of busy time looks for entries still running.
	MaxSpan = 31 * 24 * time.Hour
)

// Validate checks an entry before it is stored, with messages for the
// person typing it.
func (e Entry) Validate() error {
	if msg := e.problem(); msg != "" {
		return &Refusal{Msg: msg}
	}
	return nil
}

func (e Entry) problem() string {
	if strings.TrimSpace(e.PersonID) == "" {
		return "请选择日程所属的人"
	}
	if strings.TrimSpace(e.Title) == "" {
		return "请填写日程内容"
	}
	if utf8.RuneCountInString(e.Title) > MaxTitle {
		return fmt.Sprintf("日程内容不能超过 %d 字", MaxTitle)
	}
	if utf8.RuneCountInString(e.Place) > MaxPlace {
		return fmt.Sprintf("地点不能超过 %d 字", MaxPlace)
	}
	if utf8.RuneCountInString(e.Note) > MaxNote {
		return fmt.Sprintf("备注不能超过 %d 字", MaxNote)
	}
	if e.Start.IsZero() || e.End.IsZero() {
		return "请填写开始和结束时间"
	}
	if !e.End.After(e.Start) {
		return "结束时间应晚于开始时间"
	}
	if e.End.Sub(e.Start) > MaxSpan {
		return fmt.Sprintf("一条日程不能超过 %d 天", int(MaxSpan/(24*time.Hour)))
	}
	if !e.Visibility.Valid() {
		return fmt.Sprintf("可见范围“%s”无效", e.Visibility)
	}
	if e.Source.Kind != "" && strings.TrimSpace(e.Source.ID) == "" {
		return fmt.Sprintf("来源为%s的日程须注明来源编号", e.Source.Label())
	}
	return ""
}

// AllDayRange is the span of the all-day entry from day first to day last
// (both included, dates in loc): midnight to midnight.
func AllDayRange(first, last time.Time, loc *time.Location) (start, end time.Time) {
	first, last = first.In(loc), last.In(loc)
	y, m, d := first.Date()
	start = time.Date(y, m, d, 0, 0, 0, 0, loc)
	y, m, d = last.Date()
	end = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	return start, end
}

// Slot is a span of time, [Start, End).
type Slot struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Len is the slot's length.
func (s Slot) Len() time.Duration { return s.End.Sub(s.Start) }

// Overlaps reports whether the slot shares time with [start, end). Slots
// that only touch (one ends when the other starts) do not overlap. An empty
// span [t, t) overlaps the slot when t lies inside it.
func (s Slot) Overlaps(start, end time.Time) bool {
	if !end.After(start) {
		return !start.Before(s.Start) && start.Before(s.End)
	}
	return start.Before(s.End) && s.Start.Before(end)
}

// Busy is one interval in which a person is taken, read from a schedule
// entry. PersonID "" is busy for everyone asked about: a caller adds such
// intervals for a shared resource (a room's bookings) so FreeSlots avoids
// them too.
type Busy struct {
	PersonID   string     `json:"person_id"`
	Start      time.Time  `json:"start"`
	End        time.Time  `json:"end"`
	AllDay     bool       `json:"all_day,omitempty"`
	EntryID    string     `json:"entry_id,omitempty"`
	Title      string     `json:"title"`
	Place      string     `json:"place,omitempty"`
	Visibility Visibility `json:"visibility"`
	Source     Source     `json:"source"`
}

// BusyOf is the busy interval of an entry.
func BusyOf(e Entry) Busy {
	return Busy{PersonID: e.PersonID, Start: e.Start, End: e.End, AllDay: e.AllDay, EntryID: e.ID, Title: e.Title,
		Place: e.Place, Visibility: e.Visibility, Source: e.Source}
}

// BusyTitle is what stands for an entry whose details the viewer may not see.
const BusyTitle = "忙"

// Redacted is the interval without its details: title "忙", no place.
func (b Busy) Redacted() Busy {
	b.Title, b.Place, b.EntryID = BusyTitle, "", ""
	return b
}

// Without drops the intervals of the entry id (the one being edited).
func Without(busy []Busy, entryID string) []Busy {
	if entryID == "" {
		return busy
	}
	out := make([]Busy, 0, len(busy))
	for _, b := range busy {
		if b.EntryID != entryID {
			out = append(out, b)
		}
	}
	return out
}

// WithoutSource drops the intervals of one source (a meeting being moved
// does not conflict with itself).
func WithoutSource(busy []Busy, src Source) []Busy {
	if src.Kind == "" {
		return busy
	}
	out := make([]Busy, 0, len(busy))
	for _, b := range busy {
		if b.Source != src {
			out = append(out, b)
		}
	}
	return out
}
