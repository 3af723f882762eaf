package duty

import (
	"slices"
	"strings"
	"time"
)

// EntryKind is a line of the 值班日志.
type EntryKind string

const (
	Call        EntryKind = "call"        // 值班电话记录
	Event       EntryKind = "event"       // 突发事件
	Instruction EntryKind = "instruction" // 领导指示，传达给谁
)

// Label is the kind's Chinese name.
func (k EntryKind) Label() string {
	switch k {
	case Call:
		return "值班电话"
	case Event:
		return "突发事件"
	case Instruction:
		return "指示传达"
	}
	return string(k)
}

// Level is a 突发事件's grade (《国家突发公共事件总体应急预案》: Ⅰ–Ⅳ).
type Level int

const (
	LevelI   Level = 1 // 特别重大
	LevelII  Level = 2 // 重大
	LevelIII Level = 3 // 较大
	LevelIV  Level = 4 // 一般
)

// Levels lists the grades, gravest first.
func Levels() []Level { return []Level{LevelI, LevelII, LevelIII, LevelIV} }

// Valid reports whether l is a grade.
func (l Level) Valid() bool { return l >= LevelI && l <= LevelIV }

// Label is the grade's Chinese name.
func (l Level) Label() string {
	switch l {
	case LevelI:
		return "特别重大（Ⅰ级）"
	case LevelII:
		return "重大（Ⅱ级）"
	case LevelIII:
		return "较大（Ⅲ级）"
	case LevelIV:
		return "一般（Ⅳ级）"
	}
	return "未定级"
}

// Entry is one line of a shift's log.
type Entry struct {
	ID   string    `json:"id"`
	Kind EntryKind `json:"kind"`
	At   time.Time `json:"at"` // when it happened (the call came in…)
	// Party: the caller (call), the instructing leader (instruction), the
	// reporter (event). PartyUnit: their unit.
	Party     string `json:"party"`
	PartyUnit string `json:"party_unit"`
	Title     string `json:"title,omitempty"` // event: a short name
	Content   string `json:"content"`
	// Handling: what was done (call, event), to whom it was passed on
	// (instruction).
	Handling string    `json:"handling"`
	Level    Level     `json:"level,omitempty"` // event
	ByID     string    `json:"by_id"`
	Created  time.Time `json:"created"`
	// Escalated names who the event was reported to (names, not IDs).
	Escalated []string `json:"escalated,omitempty"`
}

// Log is a shift's 值班日志: its entries and, once the shift is done, the
// summary filed by the person on duty.
type Log struct {
	RosterID    string    `json:"roster_id"`
	Date        string    `json:"date"`
	Entries     []Entry   `json:"entries"`
	Summary     string    `json:"summary"`
	SubmittedBy string    `json:"submitted_by,omitempty"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
}

// Submitted reports whether the log has been filed.
func (l Log) Submitted() bool { return !l.SubmittedAt.IsZero() }

// mayKeep: the log and the handover of a shift are kept by who holds it.
func mayKeep(s Shift, by string, manager bool) error {
	if s.Holds(by) || manager {
		return nil
	}
	return refuse("只有当班的带班领导、值班员或值班管理人员可以填写%s的值班日志", s.Date)
}

// NewEntry checks a log entry for a shift of a published roster: it is
// written by who is on the shift (or a duty manager), after the shift has
// begun, before its log is filed; its time falls within the shift.
func NewEntry(r Roster, l Log, e Entry, manager bool, now time.Time) (Entry, error) {
	if r.State != Published {
		return e, refuse("排班表尚未发布")
	}
	s, ok := r.Shift(l.Date)
	if !ok {
		return e, refuse("%s 不在本排班表的值班日中", limitShown(l.Date))
	}
	if err := mayKeep(s, e.ByID, manager); err != nil {
		return e, err
	}
	if now.Before(s.Start) {
		return e, refuse("%s 的值班尚未开始", s.Date)
	}
	if l.Submitted() {
		return e, refuse("%s 的值班日志已经提交，不能再添加", s.Date)
	}
	if e.At.IsZero() {
		e.At = now
	}
	if e.At.Before(s.Start) || !e.At.Before(s.End) || e.At.After(now) {
		return e, refuse("时间应在本班值班时间内（%s 至 %s），且不晚于现在", clock(s.Start), clock(s.End))
	}
	e.Party, e.PartyUnit, e.Title = strings.TrimSpace(e.Party), strings.TrimSpace(e.PartyUnit), strings.TrimSpace(e.Title)
	e.Content, e.Handling = strings.TrimSpace(e.Content), strings.TrimSpace(e.Handling)
	for _, c := range []struct {
		field, label string
		max          int
		v            string
	}{{"party", "来电人/报告人/指示人", MaxShort, e.Party}, {"party_unit", "单位", MaxShort, e.PartyUnit},
		{"title", "事件名称", MaxShort, e.Title}, {"content", "内容", MaxText, e.Content}, {"handling", "处理情况", MaxText, e.Handling}} {
		if err := checkText(c.field, c.label, c.max, c.v); err != nil {
			return e, err
		}
	}
	switch e.Kind {
	case Call:
		if e.Party == "" {
			return e, refuse("请填写来电人")
		}
		e.Level, e.Title = 0, ""
	case Event:
		if e.Title == "" {
			return e, refuse("请填写事件名称")
		}
		if !e.Level.Valid() {
			return e, refuse("请选择事件等级")
		}
	case Instruction:
		if e.Party == "" {
			return e, refuse("请填写作出指示的领导")
		}
		if e.Handling == "" {
			return e, refuse("请填写传达给谁")
		}
		e.Level, e.Title = 0, ""
	default:
		return e, refuse("请选择记录类别：值班电话、突发事件或指示传达")
	}
	if e.Content == "" {
		return e, refuse("请填写%s内容", e.Kind.Label())
	}
	e.Created = now
	return e, nil
}

// Escalation is who must hear of an event, and how fast it is reported up.
type Escalation struct {
	To []string `json:"to"` // people to notify, the 带班领导 first
	// Within is how soon the event must be reported to the level above
	// (0: in the day's report).
	Within time.Duration `json:"within"`
	Rule   string        `json:"rule"` // the reporting rule, in words
}

// Escalate decides an event's escalation: every event goes to the shift's
// 带班领导 at once; a 较大 or graver one also to the responsible leaders
// (the unit's heads and those overseeing it), with the report up due in two
// hours, a 重大 or 特别重大 one in thirty minutes by phone (written within
// the hour). The recorder is not told of their own entry.
func Escalate(level Level, s Shift, responsible []string, recorder string) Escalation {
	var to []string
	add := func(p string) {
		if p != "" && p != recorder && !slices.Contains(to, p) {
			to = append(to, p)
		}
	}
	add(s.LeaderID)
	e := Escalation{}
	switch level {
	case LevelI, LevelII:
		for _, p := range responsible {
			add(p)
		}
		e.Within = 30 * time.Minute
		e.Rule = "30 分钟内电话报告上级值班室，1 小时内书面报告"
	case LevelIII:
		for _, p := range responsible {
			add(p)
		}
		e.Within = 2 * time.Hour
		e.Rule = "2 小时内书面报告上级值班室"
	default:
		e.Rule = "报带班领导，列入当日值班情况"
	}
	e.To = to
	return e
}

// Submit files a shift's log with its summary (值班情况). Only who is on the
// shift (or a duty manager) files it, once, after the shift has begun.
func Submit(r Roster, l Log, by, summary string, manager bool, now time.Time) (Log, error) {
	s, ok := r.Shift(l.Date)
	if !ok {
		return l, refuse("%s 不在本排班表的值班日中", limitShown(l.Date))
	}
	if err := mayKeep(s, by, manager); err != nil {
		return l, err
	}
	if now.Before(s.Start) {
		return l, refuse("%s 的值班尚未开始", s.Date)
	}
	if l.Submitted() {
		return l, refuse("%s 的值班日志已经提交", s.Date)
	}
	summary = strings.TrimSpace(summary)
	if summary == "" {
		return l, refuse("请填写值班情况（无事可写“值班期间平稳，无异常情况”）")
	}
	if err := checkText("summary", "值班情况", MaxSummary, summary); err != nil {
		return l, err
	}
	l.RosterID, l.Summary, l.SubmittedBy, l.SubmittedAt = r.ID, summary, by, now
	return l, nil
}

// MaxHandling bounds an entry's handling with its follow-ups.
const MaxHandling = 4000

// FollowUp appends a follow-up (后续处置) to an event of the log, dated and
// signed: by the office, or by anyone on the roster (the event is often
// followed up by the shifts after it). It may come after the log is filed.
func FollowUp(r Roster, e Entry, by, byName, text string, manager bool, now time.Time) (Entry, error) {
	if e.Kind != Event {
		return e, refuse("只有突发事件需要续报处置情况")
	}
	if !manager && !slices.Contains(r.People(), by) {
		return e, refuse("只有本排班表的值班人员或值班管理人员可以续报")
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return e, refuse("请填写后续处置情况")
	}
	if err := checkText("text", "后续处置情况", MaxText, text); err != nil {
		return e, err
	}
	line := "〔" + clock(now) + " " + byName + "续报〕" + text
	h := line
	if e.Handling != "" {
		h = e.Handling + "\n" + line
	}
	if err := checkText("handling", "处置情况（含续报）", MaxHandling, h); err != nil {
		return e, err
	}
	e.Handling = h
	return e, nil
}
