// Package duty is the office's 值班: rosters generated from rotation rules
// over the working-day calendar (daily, weekends and holidays, with a 带班领导
// and a 值班员 on each shift), edited and published; swaps (换班、替班)
// requested and approved; the 值班日志 of each shift (calls, 突发事件 with
// their escalation, instructions passed on); the 交接班 with the open
// matters the incoming person acknowledges one by one; and the warnings an
// office chases (a shift without its log, a handover not acknowledged).
//
// Everything here is pure: the store keeps rosters, logs and handovers, the
// web shows them, and both ask these rules what may happen.
package duty

import (
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Refusal is a rule saying no, in Chinese, fit to show the person.
type Refusal struct{ Msg string }

func (r *Refusal) Error() string { return r.Msg }

func refuse(format string, args ...any) error {
	return &Refusal{Msg: fmt.Sprintf(format, args...)}
}

// Post is a place on a shift.
type Post string

const (
	Leader Post = "leader" // 带班领导
	Staff  Post = "staff"  // 值班员
)

// Label is the post's Chinese name.
func (p Post) Label() string {
	switch p {
	case Leader:
		return "带班领导"
	case Staff:
		return "值班员"
	}
	return string(p)
}

// Valid reports whether p is a known post.
func (p Post) Valid() bool { return p == Leader || p == Staff }

// DayKind is what the calendar says of a shift's date.
type DayKind string

const (
	Workday DayKind = "workday" // a working day, 调休上班 included
	Weekend DayKind = "weekend" // Saturday or Sunday not worked
	Holiday DayKind = "holiday" // a statutory holiday (放假)
)

// Label is the kind's Chinese name.
func (k DayKind) Label() string {
	switch k {
	case Workday:
		return "工作日"
	case Weekend:
		return "周末"
	case Holiday:
		return "节假日"
	}
	return string(k)
}

// Weight is how heavy a shift of this kind counts in fairness: a holiday
// shift costs a person more than a weekend one, a weekend more than a
// working day's night.
func (k DayKind) Weight() int {
	switch k {
	case Holiday:
		return 3
	case Weekend:
		return 2
	}
	return 1
}

// Limits on what people type, in characters (textlimit).
const (
	MaxTitle      = 100
	MaxText       = 1000 // a call's content, an event's account, a matter
	MaxShort      = 100  // a caller, a unit
	MaxMatters    = 50   // open matters in one handover
	MaxSpanDays   = 92   // one roster covers at most a quarter
	MaxPool       = 200  // people in one rotation pool
	MaxSummary    = 2000 // the log's 值班情况
	MaxSwapReason = 500
)

// DateLayout is how dates are written: YYYY-MM-DD.
const DateLayout = "2006-01-02"

// ParseDate reads a YYYY-MM-DD date as midnight in loc.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(DateLayout, strings.TrimSpace(s), loc)
	if err != nil {
		return time.Time{}, refuse("日期“%s”格式应为 YYYY-MM-DD", limitShown(s))
	}
	return t, nil
}

// limitShown cuts what a person typed for quoting it back.
func limitShown(s string) string {
	r := []rune(s)
	if len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}

// clock writes an instant as the office reads it, in Beijing time.
func clock(t time.Time) string { return t.In(calendar.Shanghai()).Format("01-02 15:04") }

func checkText(field, label string, max int, s string) error {
	return textlimit.Text(field, label, max, s)
}
