package duty

import (
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// Mode says which days a roster covers.
type Mode string

const (
	EveryDay Mode = "daily"   // 每日值班: every day, working days' nights included
	DaysOff  Mode = "offdays" // 节假日和周末值班: only days not worked
)

// Label is the mode's Chinese name.
func (m Mode) Label() string {
	switch m {
	case EveryDay:
		return "每日值班"
	case DaysOff:
		return "周末和节假日值班"
	}
	return string(m)
}

// Rotation is what a roster is generated from.
type Rotation struct {
	Mode Mode `json:"mode"`
	// Handover is when a shift begins and the previous one hands over,
	// "HH:MM" (default 08:30); a shift lasts until the next day's handover.
	Handover string `json:"handover"`
	// Leaders and Staff are the two pools (person IDs) in rotation order.
	Leaders []string `json:"leaders"`
	Staff   []string `json:"staff"`
	// Away lists the dates (YYYY-MM-DD) a person cannot serve: leave,
	// travel, a meeting out of town.
	Away map[string][]string `json:"away,omitempty"`
	// Prior is the duty each person has already done (earlier rosters), so
	// that fairness holds across months, not only inside one roster.
	Prior map[string]Load `json:"prior,omitempty"`
}

// DefaultHandover is the usual 交接班 time.
const DefaultHandover = "08:30"

// Load counts a person's shifts by kind.
type Load struct {
	Workday int `json:"workday"`
	Weekend int `json:"weekend"`
	Holiday int `json:"holiday"`
}

// Of is the count for one kind.
func (l Load) Of(k DayKind) int {
	switch k {
	case Holiday:
		return l.Holiday
	case Weekend:
		return l.Weekend
	}
	return l.Workday
}

// Add counts one more shift of kind k.
func (l Load) Add(k DayKind) Load {
	switch k {
	case Holiday:
		l.Holiday++
	case Weekend:
		l.Weekend++
	default:
		l.Workday++
	}
	return l
}

// Points is the load weighted by kind (DayKind.Weight).
func (l Load) Points() int {
	return l.Workday*Workday.Weight() + l.Weekend*Weekend.Weight() + l.Holiday*Holiday.Weight()
}

// Total is the number of shifts.
func (l Load) Total() int { return l.Workday + l.Weekend + l.Holiday }

// Shift is one day's duty: from its date's handover to the next day's.
type Shift struct {
	Date     string    `json:"date"` // YYYY-MM-DD
	Kind     DayKind   `json:"kind"`
	DayName  string    `json:"day_name,omitempty"` // the calendar's name: 元旦, 春节, 国庆节调休上班…
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	LeaderID string    `json:"leader_id"`
	StaffID  string    `json:"staff_id"`
}

// Holder is who holds the post on the shift.
func (s Shift) Holder(p Post) string {
	if p == Leader {
		return s.LeaderID
	}
	return s.StaffID
}

// set puts person on the post.
func (s *Shift) set(p Post, person string) {
	if p == Leader {
		s.LeaderID = person
	} else {
		s.StaffID = person
	}
}

// Holds reports whether person holds either post on the shift.
func (s Shift) Holds(person string) bool {
	return person != "" && (s.LeaderID == person || s.StaffID == person)
}

// State is a roster's state.
type State string

const (
	Draft     State = "draft"     // 草稿: being generated and edited
	Published State = "published" // 已发布: in force; changed only by approved swaps
)

// Label is the state's Chinese name.
func (s State) Label() string {
	switch s {
	case Draft:
		return "草稿"
	case Published:
		return "已发布"
	}
	return string(s)
}

// Roster is one unit's duty for a period.
type Roster struct {
	ID          string    `json:"id"`
	UnitID      string    `json:"unit_id"` // the office that keeps the duty
	Title       string    `json:"title"`
	From        string    `json:"from"`
	To          string    `json:"to"`
	Rotation    Rotation  `json:"rotation"`
	Shifts      []Shift   `json:"shifts"`
	State       State     `json:"state"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	PublishedBy string    `json:"published_by,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	Version     int       `json:"version"` // bumped by every change, for the store's optimistic check
}

// Shift returns the roster's shift on date.
func (r Roster) Shift(date string) (Shift, bool) {
	i, ok := r.shiftIndex(date)
	if !ok {
		return Shift{}, false
	}
	return r.Shifts[i], true
}

func (r Roster) shiftIndex(date string) (int, bool) {
	return slices.BinarySearchFunc(r.Shifts, date, func(s Shift, d string) int { return strings.Compare(s.Date, d) })
}

// Loads counts each person's shifts in the roster, leaders and staff alike.
func (r Roster) Loads() map[string]Load {
	out := map[string]Load{}
	for _, s := range r.Shifts {
		for _, p := range []string{s.LeaderID, s.StaffID} {
			if p != "" {
				out[p] = out[p].Add(s.Kind)
			}
		}
	}
	return out
}

// People lists everyone on the roster's shifts, once each, leaders first.
func (r Roster) People() []string {
	var out []string
	for _, post := range []Post{Leader, Staff} {
		for _, s := range r.Shifts {
			if p := s.Holder(post); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// NewRoster checks a roster's heading and generates its shifts.
type NewRoster struct {
	ID, UnitID, Title string
	From, To          string
	Rotation          Rotation
	By                string
}

// Create makes a draft roster with generated shifts.
func Create(cal *calendar.Calendar, n NewRoster, now time.Time) (Roster, error) {
	n.Title = strings.TrimSpace(n.Title)
	if n.Title == "" {
		return Roster{}, refuse("请填写排班表名称")
	}
	if err := checkText("title", "排班表名称", MaxTitle, n.Title); err != nil {
		return Roster{}, err
	}
	if n.UnitID == "" {
		return Roster{}, refuse("请选择值班的单位")
	}
	shifts, err := Generate(cal, n.From, n.To, n.Rotation)
	if err != nil {
		return Roster{}, err
	}
	rot := n.Rotation
	if rot.Handover == "" {
		rot.Handover = DefaultHandover
	}
	return Roster{ID: n.ID, UnitID: n.UnitID, Title: n.Title, From: strings.TrimSpace(n.From), To: strings.TrimSpace(n.To),
		Rotation: rot, Shifts: shifts, State: Draft, CreatedBy: n.By, CreatedAt: now, Version: 1}, nil
}

// Regenerate replaces a draft roster's shifts by a fresh generation (after
// the pools or the absences changed).
func Regenerate(cal *calendar.Calendar, r Roster, rot Rotation) (Roster, error) {
	if r.State != Draft {
		return r, refuse("排班表已发布，不能重新生成；变更请通过换班申请")
	}
	shifts, err := Generate(cal, r.From, r.To, rot)
	if err != nil {
		return r, err
	}
	if rot.Handover == "" {
		rot.Handover = DefaultHandover
	}
	r.Rotation, r.Shifts = rot, shifts
	r.Version++
	return r, nil
}

// Assign is an edit of a draft: put person on post on date. The person must
// be in the post's pool and not hold the other post that day.
func Assign(r Roster, date string, post Post, person string) (Roster, error) {
	if r.State != Draft {
		return r, refuse("排班表已发布，变更请通过换班申请")
	}
	if !post.Valid() {
		return r, refuse("请选择带班领导或值班员")
	}
	i, ok := r.shiftIndex(strings.TrimSpace(date))
	if !ok {
		return r, refuse("%s 不在本排班表的值班日中", limitShown(date))
	}
	pool := r.Rotation.Staff
	if post == Leader {
		pool = r.Rotation.Leaders
	}
	if !slices.Contains(pool, person) {
		return r, refuse("所选人员不在%s名单中", post.Label())
	}
	other := Staff
	if post == Staff {
		other = Leader
	}
	if r.Shifts[i].Holder(other) == person {
		return r, refuse("同一人不能在同一天既任带班领导又任值班员")
	}
	shifts := slices.Clone(r.Shifts)
	shifts[i].set(post, person)
	r.Shifts = shifts
	r.Version++
	return r, nil
}

// Publish puts a draft in force. Every shift must have both posts filled.
func Publish(r Roster, by string, now time.Time) (Roster, error) {
	if r.State == Published {
		return r, refuse("排班表已经发布")
	}
	for _, s := range r.Shifts {
		if s.LeaderID == "" || s.StaffID == "" {
			return r, refuse("%s 的值班还没有排满（带班领导和值班员都要有人），不能发布", s.Date)
		}
	}
	if len(r.Shifts) == 0 {
		return r, refuse("排班表没有值班日，不能发布")
	}
	r.State, r.PublishedBy, r.PublishedAt = Published, by, now
	r.Version++
	return r, nil
}
