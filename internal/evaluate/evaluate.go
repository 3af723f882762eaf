// Package evaluate is 考核评比: indicators computed from the office's own
// records (never typed in), the versioned rules that weigh them per kind of
// unit, the scoreboard of a period with its 横比 ranking and 纵比 trend, the
// 先进单位 candidates, and the "五不让" live measures. It holds plain values
// and pure functions only; package store gathers the records and package web
// shows the result.
package evaluate

import (
	"fmt"
	"time"
)

// Indicator names one figure of the scoreboard.
type Indicator string

const (
	SignFor       Indicator = "sign_for"       // 收文签收及时率
	CloseOnTime   Indicator = "close_on_time"  // 办结及时率
	SupOnTime     Indicator = "sup_on_time"    // 督办按期办结率
	MeetingReply  Indicator = "meeting_reply"  // 会议回执及时率
	MeetingSignIn Indicator = "meeting_signin" // 会议签到率
	DocErrors     Indicator = "doc_errors"     // 公文差错率
	Handover      Indicator = "handover"       // 值班交接完整率
	InfoScore     Indicator = "info_score"     // 信息采用得分
)

// Indicators lists every indicator in display order.
func Indicators() []Indicator {
	return []Indicator{SignFor, CloseOnTime, SupOnTime, MeetingReply, MeetingSignIn, DocErrors, Handover, InfoScore}
}

var indicatorNames = map[Indicator]string{
	SignFor:       "收文签收及时率",
	CloseOnTime:   "办结及时率",
	SupOnTime:     "督办按期办结率",
	MeetingReply:  "会议回执及时率",
	MeetingSignIn: "会议签到率",
	DocErrors:     "公文差错率",
	Handover:      "值班交接完整率",
	InfoScore:     "信息采用得分",
}

// Label is the indicator's Chinese name.
func (i Indicator) Label() string { return indicatorNames[i] }

// Valid reports whether i is a known indicator.
func (i Indicator) Valid() bool { _, ok := indicatorNames[i]; return ok }

// Rate reports whether the indicator is a share of records (shown in %),
// as against a count per amount (差错率) or points (信息).
func (i Indicator) Rate() bool { return i != DocErrors && i != InfoScore }

// Method is the sentence printed under a table saying how the figure is
// computed from which records, so a unit can check its own.
func (i Indicator) Method(r RuleSet) string {
	switch i {
	case SignFor:
		return "收文签收及时率 = 签收时限落在本期内且按时签收的来文数 ÷ 签收时限落在本期内的来文数；时限按紧急程度（特急1小时、加急4个工作小时、平件1个工作日）自送达起算，期末仍未签收且已超时的计为未按时。"
	case CloseOnTime:
		return fmt.Sprintf("办结及时率 = 办结时限落在本期内且按时办结的来文数 ÷ 办结时限落在本期内的来文数；办结时限为送达后第 %d 个工作日下班时（按工作日历，节假日顺延）。", r.CloseDays)
	case SupOnTime:
		return "督办按期办结率 = 办理期限落在本期内且在期限内办结的牵头督办事项数 ÷ 办理期限落在本期内的牵头督办事项数；经批准延期的按延期后的期限计。"
	case MeetingReply:
		return fmt.Sprintf("会议回执及时率 = 按时回执的参会人次 ÷ 本期召开会议的应回执人次；回执时限为会议通知发出后第 %d 个工作日下班时，且不晚于会议开始。", r.ReplyDays)
	case MeetingSignIn:
		return "会议签到率 = 已签到人次 ÷ 本期已结束会议中未请假的参会人次。"
	case DocErrors:
		return fmt.Sprintf("公文差错率 = 核稿环节采纳的校对差错数 ÷ 本单位本期起草并报送核稿的公文正文字数 × 10000（每万字差错数）；得分 = 100 − 差错率 ÷ %g × 100，最低 0 分。", r.ErrorCeiling)
	case Handover:
		return "值班交接完整率 = 本期已由接班人确认的交接班数 ÷ 本期交接班数。"
	case InfoScore:
		return "信息采用得分 = 本期信息采用、批示、约稿等计分之和（每一分可追溯到信息条目）；得分 = 本单位计分 ÷ 同类单位最高计分 × 100。"
	}
	return ""
}

// Class is the kind of unit a scoreboard compares: units are ranked only
// against units of the same class.
type Class string

const (
	Towns       Class = "towns"       // 镇街
	Departments Class = "departments" // 区直部门
	Offices     Class = "offices"     // 办公室系统
)

// Classes lists the classes in display order.
func Classes() []Class { return []Class{Towns, Departments, Offices} }

var classNames = map[Class]string{Towns: "镇街", Departments: "区直部门", Offices: "办公室系统"}

// Label is the class's Chinese name.
func (c Class) Label() string { return classNames[c] }

// Valid reports whether c is a known class.
func (c Class) Valid() bool { _, ok := classNames[c]; return ok }

// Timed is one record with a limit: an incoming document's 签收 or 办结, a
// supervision item's deadline, a meeting reply. Done is zero while not done.
type Timed struct {
	ID    string    `json:"id"`
	Unit  string    `json:"unit"`
	Start time.Time `json:"start"`
	Due   time.Time `json:"due,omitzero"` // zero: computed from Start by the rules
	Done  time.Time `json:"done,omitzero"`
}

// Draft is an outgoing document a unit drafted and sent up to 核稿, with the
// proofreading findings accepted at 核稿 and the length of its 正文.
type Draft struct {
	ID       string    `json:"id"`
	Unit     string    `json:"unit"`
	SentAt   time.Time `json:"sent_at"`
	Chars    int       `json:"chars"`
	Accepted int       `json:"accepted"`
}

// Attendance is one invitee of a meeting, counted for the unit they come for.
type Attendance struct {
	MeetingID string    `json:"meeting_id"`
	PersonID  string    `json:"person_id"`
	Unit      string    `json:"unit"`
	Noticed   time.Time `json:"noticed"` // when the notice went out
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	RepliedAt time.Time `json:"replied_at,omitzero"`
	Absent    bool      `json:"absent,omitempty"` // replied 请假
	SignedIn  time.Time `json:"signed_in,omitzero"`
}

// ShiftHandover is one duty handover; Acked is zero until the incoming
// person acknowledged it.
type ShiftHandover struct {
	ID     string    `json:"id"`
	Unit   string    `json:"unit"`
	Handed time.Time `json:"handed"`
	Acked  time.Time `json:"acked,omitzero"`
}

// PointEvent is one scoring event of 信息报送 (an adoption, a 批示, a
// solicitation answered on time, a deduction), as the information-report
// package computes it: every point traces to its item.
type PointEvent struct {
	Unit   string    `json:"unit"`
	Item   string    `json:"item"`
	Points float64   `json:"points"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}

// Records is everything the indicators are computed from, for a span of
// time that covers the periods scored.
type Records struct {
	SignFor    []Timed         `json:"sign_for"`
	Closing    []Timed         `json:"closing"` // Due zero: arrival + CloseDays working days
	Supervised []Timed         `json:"supervised"`
	Drafts     []Draft         `json:"drafts"`
	Meetings   []Attendance    `json:"meetings"`
	Handovers  []ShiftHandover `json:"handovers"`
	Points     []PointEvent    `json:"points"`
}
