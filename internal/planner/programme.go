package planner

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The week programme (一周工作安排): the organ's leaders' public
// engagements of one week, Monday to Sunday, one row per engagement and day,
// drafted by the office from the schedule (Assemble), edited, approved by the
// office director and published.

// Leader is a leader whose entries the programme shows, in the organ's order.
type Leader struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Row is one line of the programme.
type Row struct {
	Date    string    `json:"date"`   // YYYY-MM-DD
	Period  string    `json:"period"` // 上午, 下午, 晚上 or 全天
	Time    string    `json:"time"`   // "09:00–11:00", or "" for all day
	Content string    `json:"content"`
	Leaders []string  `json:"leaders"` // names, in the organ's order
	Place   string    `json:"place,omitempty"`
	Source  Source    `json:"source,omitzero"` // the module the engagement came from, if one
	Start   time.Time `json:"start"`           // for ordering
}

// Limits on a row's text.
const (
	MaxRows    = 300
	MaxContent = 200
)

// Weekday is the row's day in Chinese, e.g. 星期一.
func (r Row) Weekday() string {
	t, err := time.Parse("2006-01-02", r.Date)
	if err != nil {
		return ""
	}
	return WeekdayName(t.Weekday())
}

// DateLabel is the row's date as "12月8日".
func (r Row) DateLabel() string {
	t, err := time.Parse("2006-01-02", r.Date)
	if err != nil {
		return r.Date
	}
	return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
}

// LeaderNames joins the leaders with 、.
func (r Row) LeaderNames() string { return strings.Join(r.Leaders, "、") }

// WeekdayName is 星期一 … 星期日.
func WeekdayName(d time.Weekday) string {
	return [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}[d]
}

// WeekStart is the Monday (midnight in loc) of t's week.
func WeekStart(t time.Time, loc *time.Location) time.Time {
	m := midnight(t, loc)
	back := (int(m.Weekday()) + 6) % 7
	return time.Date(m.Year(), m.Month(), m.Day()-back, 0, 0, 0, 0, loc)
}

// period is the part of the day a time falls in.
func period(t time.Time) string {
	switch h := t.Hour(); {
	case h < 12:
		return "上午"
	case h < 18:
		return "下午"
	}
	return "晚上"
}

// Assemble drafts the week programme of the week starting monday from the
// entries of the organ's leaders: those public in the organ (Organ), cut to
// the week, one row per engagement and day. An engagement several leaders
// share (one meeting, the same title, place and times) is one row naming them
// in the organ's order. Entries of people not among leaders and entries not
// public are left out. Rows are ordered by day, start, then the first
// leader's place in the order.
func Assemble(monday time.Time, loc *time.Location, leaders []Leader, entries []Entry) []Row {
	monday = WeekStart(monday, loc)
	end := time.Date(monday.Year(), monday.Month(), monday.Day()+7, 0, 0, 0, 0, loc)
	rank := make(map[string]int, len(leaders))
	names := make(map[string]string, len(leaders))
	for i, l := range leaders {
		if _, dup := rank[l.ID]; !dup {
			rank[l.ID], names[l.ID] = i, l.Name
		}
	}
	type key struct {
		date, content, place string
		start, end           int64
		src                  Source
	}
	type group struct {
		row   Row
		ranks []int
	}
	var order []key
	groups := map[key]*group{}
	for _, e := range entries {
		r, ok := rank[e.PersonID]
		if !ok || e.Visibility != Organ || !e.End.After(monday) || !e.Start.Before(end) {
			continue
		}
		// One row for each day of the week the entry covers.
		for day := midnight(maxTime(e.Start, monday), loc); day.Before(end) && day.Before(e.End); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc) {
			next := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
			s, f := maxTime(e.Start.In(loc), day), minTime(e.End.In(loc), next)
			row := Row{Date: day.Format("2006-01-02"), Content: e.Title, Place: e.Place, Source: e.Source, Start: s}
			if e.AllDay || (s.Equal(day) && f.Equal(next)) {
				row.Period, row.Start = "全天", day
			} else {
				row.Period = period(s)
				row.Time = s.Format("15:04") + "–" + f.Format("15:04")
				if f.Equal(next) {
					row.Time = s.Format("15:04") + "–24:00"
				}
			}
			k := key{date: row.Date, content: e.Title, place: e.Place, start: e.Start.UnixNano(), end: e.End.UnixNano(), src: e.Source}
			g, ok := groups[k]
			if !ok {
				g = &group{row: row}
				groups[k] = g
				order = append(order, k)
			}
			if !slices.Contains(g.ranks, r) {
				g.ranks = append(g.ranks, r)
			}
		}
	}
	rows := make([]Row, 0, len(order))
	firsts := make([]int, 0, len(order))
	for _, k := range order {
		g := groups[k]
		slices.Sort(g.ranks)
		for _, r := range g.ranks {
			g.row.Leaders = append(g.row.Leaders, names[leaders[r].ID])
		}
		rows = append(rows, g.row)
		firsts = append(firsts, g.ranks[0])
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ra, rb := rows[a], rows[b]
		if c := strings.Compare(ra.Date, rb.Date); c != 0 {
			return c
		}
		if c := ra.Start.Compare(rb.Start); c != 0 {
			return c
		}
		return firsts[a] - firsts[b]
	})
	out := make([]Row, len(rows))
	for i, j := range idx {
		out[i] = rows[j]
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// CheckRows validates edited rows: each with a date in the week, a period,
// content and at least one leader; bounded text.
func CheckRows(monday time.Time, loc *time.Location, rows []Row) error {
	if len(rows) > MaxRows {
		return &Refusal{Msg: fmt.Sprintf("一周工作安排不能超过 %d 行", MaxRows)}
	}
	monday = WeekStart(monday, loc)
	for i, r := range rows {
		n := i + 1
		d, err := time.ParseInLocation("2006-01-02", r.Date, loc)
		if err != nil || d.Before(monday) || !d.Before(monday.AddDate(0, 0, 7)) {
			return &Refusal{Msg: fmt.Sprintf("第 %d 行的日期不在本周", n)}
		}
		if !slices.Contains([]string{"上午", "下午", "晚上", "全天"}, r.Period) {
			return &Refusal{Msg: fmt.Sprintf("第 %d 行的时段应为上午、下午、晚上或全天", n)}
		}
		if strings.TrimSpace(r.Content) == "" {
			return &Refusal{Msg: fmt.Sprintf("第 %d 行没有活动内容", n)}
		}
		if utf8.RuneCountInString(r.Content) > MaxContent || utf8.RuneCountInString(r.Place) > MaxPlace || utf8.RuneCountInString(r.Time) > 20 {
			return &Refusal{Msg: fmt.Sprintf("第 %d 行的文字过长", n)}
		}
		if len(r.Leaders) == 0 {
			return &Refusal{Msg: fmt.Sprintf("第 %d 行没有出席领导", n)}
		}
	}
	return nil
}

// Status is where a week programme stands.
type Status string

const (
	Draft     Status = "draft"     // being edited by the office
	Submitted Status = "submitted" // waiting for the office director
	Approved  Status = "approved"  // approved, not yet published
	Published Status = "published" // published to the organ
)

// Label is the status in Chinese.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "编排中"
	case Submitted:
		return "待审定"
	case Approved:
		return "已审定"
	case Published:
		return "已发布"
	}
	return string(s)
}

// Programme is an organ's week programme.
type Programme struct {
	OrganID     string    `json:"organ_id"`
	Week        string    `json:"week"` // the Monday, YYYY-MM-DD
	Status      Status    `json:"status"`
	Rows        []Row     `json:"rows"`
	Version     int       `json:"version"`
	Note        string    `json:"note,omitempty"` // the director's reason when returning it
	EditedBy    string    `json:"edited_by,omitempty"`
	EditedAt    time.Time `json:"edited_at,omitzero"`
	ApprovedBy  string    `json:"approved_by,omitempty"`
	ApprovedAt  time.Time `json:"approved_at,omitzero"`
	PublishedAt time.Time `json:"published_at,omitzero"`
}

// Op is an operation on a programme.
type Op string

const (
	OpAssemble Op = "assemble" // (re)draft the rows from the schedule
	OpSave     Op = "save"     // store edited rows
	OpSubmit   Op = "submit"   // send to the office director
	OpApprove  Op = "approve"  // the director approves
	OpReturn   Op = "return"   // the director returns it with a reason
	OpPublish  Op = "publish"  // publish the approved programme
	OpWithdraw Op = "withdraw" // take a published or approved one back to editing
)

// Label is the operation in Chinese.
func (o Op) Label() string {
	return map[Op]string{OpAssemble: "从日程生成", OpSave: "保存", OpSubmit: "送审", OpApprove: "审定", OpReturn: "退回修改",
		OpPublish: "发布", OpWithdraw: "撤回修改"}[o]
}

// Approver reports whether op is the office director's (ApproveProgramme);
// the others are the office's (EditProgramme).
func (o Op) Approver() bool { return o == OpApprove || o == OpReturn }

// Apply performs op on p by the person by at time at. rows are the new rows
// (OpAssemble, OpSave), note the reason (OpReturn). It refuses an operation
// the programme's status does not allow, with a message for the user.
func (p Programme) Apply(op Op, by string, at time.Time, rows []Row, note string) (Programme, error) {
	if p.Status == "" {
		p.Status = Draft
	}
	refuse := func(msg string) (Programme, error) { return p, &Refusal{Msg: msg} }
	switch op {
	case OpAssemble, OpSave:
		if p.Status != Draft {
			return refuse("一周工作安排" + p.Status.Label() + "，不能修改；如需调整请先撤回修改")
		}
		p.Rows, p.EditedBy, p.EditedAt, p.Note = rows, by, at, ""
	case OpSubmit:
		if p.Status != Draft {
			return refuse("只有编排中的一周工作安排可以送审")
		}
		if len(p.Rows) == 0 {
			return refuse("一周工作安排没有内容，不能送审")
		}
		p.Status = Submitted
	case OpApprove:
		if p.Status != Submitted {
			return refuse("只有待审定的一周工作安排可以审定")
		}
		p.Status, p.ApprovedBy, p.ApprovedAt = Approved, by, at
	case OpReturn:
		if p.Status != Submitted {
			return refuse("只有待审定的一周工作安排可以退回")
		}
		if strings.TrimSpace(note) == "" {
			return refuse("退回时请写明修改意见")
		}
		if utf8.RuneCountInString(note) > MaxNote {
			return refuse(fmt.Sprintf("修改意见不能超过 %d 字", MaxNote))
		}
		p.Status, p.Note = Draft, strings.TrimSpace(note)
	case OpPublish:
		if p.Status != Approved {
			return refuse("一周工作安排须经办公室主任审定后才能发布")
		}
		p.Status, p.PublishedAt = Published, at
	case OpWithdraw:
		if p.Status != Approved && p.Status != Published && p.Status != Submitted {
			return refuse("一周工作安排正在编排，无需撤回")
		}
		p.Status, p.ApprovedBy, p.ApprovedAt, p.PublishedAt = Draft, "", time.Time{}, time.Time{}
	default:
		return refuse("未知操作")
	}
	p.Version++
	return p, nil
}
