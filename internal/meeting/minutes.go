package meeting

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/supervise"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// AddDecision records a 议定事项: what was decided, the unit to lead it and
// when it is due. The organizer records them from the meeting's start.
func (m *Meeting) AddDecision(a route.Actor, text, leadUnit string, due, now time.Time) (Decision, error) {
	text = strings.TrimSpace(text)
	switch {
	case !m.Organizes(a):
		return Decision{}, refuse("只有办会单位可以记录议定事项")
	case m.Status == Cancelled:
		return Decision{}, refuse("会议已取消")
	case now.Before(m.Start):
		return Decision{}, refuse("会议尚未开始，不能记录议定事项")
	case text == "":
		return Decision{}, refuse("请填写议定事项")
	case leadUnit == "":
		return Decision{}, refuse("请选择牵头单位")
	case due.IsZero():
		return Decision{}, refuse("请填写完成时限")
	case !due.After(m.Start):
		return Decision{}, refuse("完成时限须晚于会议日期")
	case len(m.Decisions) >= MaxDecisions:
		return Decision{}, refuse("一次会议最多 %d 个议定事项", MaxDecisions)
	}
	if err := textlimit.Text("text", "议定事项", MaxText, text); err != nil {
		return Decision{}, err
	}
	seq := 1
	for _, d := range m.Decisions {
		seq = max(seq, d.Seq+1)
	}
	d := Decision{Seq: seq, Text: text, LeadUnit: leadUnit, Due: due}
	m.Decisions = append(m.Decisions, d)
	m.UpdatedAt = now
	return d, nil
}

// Names resolves IDs for texts meant for people.
type Names interface {
	Person(id string) string
	Unit(id string) string
	Room(id string) string
}

// MinutesDraft is the 纪要 drafted from the meeting page: the meeting, who
// attended and who was absent, the agenda and the decisions filled in, to
// be edited and sent along the 办文 route.
func MinutesDraft(m *Meeting, n Names) document.Document {
	loc := calendar.Shanghai()
	st := m.Start.In(loc)
	var b strings.Builder
	fmt.Fprintf(&b, "%d年%d月%d日，%s主持召开%s，", st.Year(), int(st.Month()), st.Day(), n.Person(m.Convener), m.Title)
	if len(m.Agenda) > 0 {
		titles := make([]string, len(m.Agenda))
		for i, a := range m.Agenda {
			titles[i] = a.Title
		}
		fmt.Fprintf(&b, "研究了%s等%d个议题。", "“"+strings.Join(titles, "”“")+"”", len(m.Agenda))
	} else {
		b.WriteString("研究有关工作。")
	}
	b.WriteString("现纪要如下：\n")
	for i, d := range m.Decisions {
		fmt.Fprintf(&b, "%s、%s（牵头单位：%s；完成时限：%s）\n", document.ChineseNumeral(i+1), d.Text, n.Unit(d.LeadUnit), d.Due.In(loc).Format("2006年1月2日"))
	}
	var present, absent, subs []string
	for _, iv := range m.Invitees {
		switch {
		case iv.Reply != nil && iv.Reply.Answer == Absent:
			absent = append(absent, fmt.Sprintf("%s（%s）", n.Person(iv.PersonID), iv.Reply.Reason))
		case iv.Reply != nil && iv.Reply.Answer == Substitute:
			subs = append(subs, fmt.Sprintf("%s（%s，代%s）", iv.Reply.SubName, iv.Reply.SubPost, n.Person(iv.PersonID)))
		default:
			present = append(present, n.Person(iv.PersonID))
		}
	}
	fmt.Fprintf(&b, "出席：%s\n", strings.Join(present, "、"))
	if len(subs) > 0 {
		fmt.Fprintf(&b, "委派参加：%s\n", strings.Join(subs, "、"))
	}
	if len(absent) > 0 {
		fmt.Fprintf(&b, "请假：%s\n", strings.Join(absent, "、"))
	}
	return document.Document{Type: document.Minutes, Title: m.Title + "纪要", Body: document.ParseBody(b.String()),
		Classification: document.Classification{Level: document.Level(m.Level)}}
}

// SupervisionItems are the supervision items the decisions not yet handed
// over become (one action: 转督办): each led by its unit (responsible: the
// unit's head, from head), due on its date, reporting progress each Friday,
// registered by the 督查室 office, its source the meeting.
func SupervisionItems(m *Meeting, office string, head func(unitID string) string, ids func() string) []Handover {
	var out []Handover
	for _, d := range m.Decisions {
		if d.ItemID != "" {
			continue
		}
		title := d.Text
		if r := []rune(title); len(r) > supervise.MaxTitle {
			title = string(r[:supervise.MaxTitle])
		}
		out = append(out, Handover{Seq: d.Seq, Item: supervise.NewItem{ID: ids(), Source: supervise.FromMeeting, Ref: m.ID, Title: title,
			Instruction: fmt.Sprintf("%s议定事项（第%d项）：%s", m.Title, d.Seq, d.Text), Instructor: m.Convener,
			Office: office, Units: []supervise.Unit{{UnitID: d.LeadUnit, Lead: true, Responsible: head(d.LeadUnit)}},
			Schedule: supervise.Schedule{Kind: supervise.Weekly, Weekday: time.Friday}, // 每周五报送进展
			Deadline: supervise.DeadlineSpec{Date: d.Due}}})
	}
	return out
}

// Handover is a decision's supervision item to register.
type Handover struct {
	Seq  int
	Item supervise.NewItem
}

// Link records the supervision item decision seq became; the item's Ref
// names the meeting, so they are linked both ways.
func (m *Meeting) Link(seq int, itemID string, now time.Time) {
	for i := range m.Decisions {
		if d := &m.Decisions[i]; d.Seq == seq {
			d.ItemID, m.UpdatedAt = itemID, now
		}
	}
}

// MayHandOver checks that the actor's office may hand the decisions over
// for supervision: the decisions exist and are not all handed over.
func (m *Meeting) MayHandOver() error {
	if len(m.Decisions) == 0 {
		return refuse("本次会议没有议定事项")
	}
	if !slices.ContainsFunc(m.Decisions, func(d Decision) bool { return d.ItemID == "" }) {
		return refuse("议定事项均已转督办")
	}
	return nil
}

// SetMinutes records the 纪要 drafted for the meeting.
func (m *Meeting) SetMinutes(a route.Actor, docID string, now time.Time) error {
	switch {
	case !m.Organizes(a):
		return refuse("只有办会单位可以起草会议纪要")
	case m.MinutesDoc != "":
		return refuse("会议纪要已经起草")
	case m.Status == Cancelled:
		return refuse("会议已取消")
	case now.Before(m.Start):
		return refuse("会议尚未开始")
	}
	m.MinutesDoc, m.UpdatedAt = docID, now
	return nil
}
