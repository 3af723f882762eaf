package supervise

import (
	"time"

	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Satisfaction is the deputy's or member's verdict on the answer.
type Satisfaction string

const (
	Satisfied      Satisfaction = "satisfied"       // 满意
	BasicSatisfied Satisfaction = "basic_satisfied" // 基本满意
	Unsatisfied    Satisfaction = "unsatisfied"     // 不满意
)

// Label is the verdict's Chinese name.
func (s Satisfaction) Label() string {
	switch s {
	case Satisfied:
		return "满意"
	case BasicSatisfied:
		return "基本满意"
	case Unsatisfied:
		return "不满意"
	}
	return string(s)
}

// Valid reports whether s is one of the three verdicts.
func (s Satisfaction) Valid() bool { return s == Satisfied || s == BasicSatisfied || s == Unsatisfied }

// ProposalInfo is what 立项 records of a proposal.
type ProposalInfo struct {
	Number   string // e.g. 第12号
	Proposer string // the deputy or member (代表/委员), as named on the proposal
}

// Contact is one record of 沟通 with the proposer before answering.
type Contact struct {
	Seq  int       `json:"seq"`
	At   time.Time `json:"at"`  // when the contact took place
	Way  string    `json:"way"` // 当面、电话、座谈、实地察看…
	Note string    `json:"note"`
	By   string    `json:"by"`
}

// Round is one handling of a proposal; 不满意 starts another.
type Round struct {
	StartedAt      time.Time    `json:"started_at"`
	Deadline       Deadline     `json:"deadline"`
	Contacts       []Contact    `json:"contacts,omitempty"`
	Answer         int          `json:"answer,omitempty"` // the submission carrying the 答复函
	Satisfaction   Satisfaction `json:"satisfaction,omitempty"`
	SatisfactionAt time.Time    `json:"satisfaction_at,omitzero"`
	Note           string       `json:"note,omitempty"`
}

// Proposal is the 建议提案 part of an item.
type Proposal struct {
	Number   string  `json:"number"`
	Proposer string  `json:"proposer"`
	Rounds   []Round `json:"rounds,omitempty"`
}

func (p Proposal) clone() Proposal {
	out := p
	out.Rounds = append([]Round(nil), p.Rounds...)
	for i := range out.Rounds {
		out.Rounds[i].Contacts = append([]Contact(nil), p.Rounds[i].Contacts...)
	}
	return out
}

func (p *Proposal) round() *Round {
	if len(p.Rounds) == 0 {
		return nil
	}
	return &p.Rounds[len(p.Rounds)-1]
}

// Latest is the latest recorded verdict, if any.
func (p *Proposal) Latest() (Satisfaction, bool) {
	for i := len(p.Rounds) - 1; i >= 0; i-- {
		if p.Rounds[i].Satisfaction != "" {
			return p.Rounds[i].Satisfaction, true
		}
	}
	return "", false
}

func (p *Proposal) readyToAnswer(ev Evidence) error {
	r := p.round()
	if r == nil || len(r.Contacts) == 0 {
		return refuse("答复前须与%s沟通并记录沟通情况", p.Proposer)
	}
	if len(ev.Attachments) == 0 {
		return refuse("请附答复函")
	}
	return nil
}

func (p *Proposal) answered(seq int) {
	if r := p.round(); r != nil {
		r.Answer = seq
	}
}

func (p *Proposal) unanswered() {
	if r := p.round(); r != nil {
		r.Answer = 0
	}
}

// RecordContact records 沟通 with the proposer by the lead unit.
func (r Rules) RecordContact(it Item, actor route.Actor, c Contact, now time.Time) (Item, []Event, error) {
	if err := textlimit.First(textlimit.Text("way", "沟通方式", MaxWay, c.Way), textlimit.Text("note", "沟通记录", MaxText, c.Note)); err != nil {
		return it, nil, err
	}
	if it.Proposal == nil {
		return it, nil, refuse("只有建议提案需要记录与代表委员的沟通")
	}
	if it.State != Assigned && it.State != InProgress {
		return it, nil, refuse("事项%s，不能记录沟通", it.State.Label())
	}
	lead := it.LeadUnit()
	if !inUnit(actor, lead) {
		return it, nil, refuse("沟通情况由牵头单位记录")
	}
	if blank(c.Way) || blank(c.Note) {
		return it, nil, refuse("请填写沟通方式和沟通情况")
	}
	rd := it.Proposal.round()
	if c.At.IsZero() {
		c.At = now
	}
	if c.At.After(now) || c.At.Before(rd.StartedAt) {
		return it, nil, refuse("沟通时间应在本轮交办之后、现在之前")
	}
	o := begin(it, actor.ID, now)
	c.Seq, c.By = o.next(), actor.ID
	rd = o.it.Proposal.round()
	rd.Contacts = append(rd.Contacts, c)
	o.emit(Event{Type: EvContacted, UnitID: lead, Text: c.Way + "：" + c.Note, Ref: c.Seq})
	return o.done()
}

// RecordSatisfaction records the proposer's verdict on a closed proposal.
// 不满意 reopens the item for a second handling by the same units, due
// ReopenMonths later; the earlier round stays on record.
func (r Rules) RecordSatisfaction(it Item, actor route.Actor, s Satisfaction, note string, now time.Time) (Item, []Event, error) {
	if err := textlimit.Text("note", "满意度说明", MaxText, note); err != nil {
		return it, nil, err
	}
	if r.Calendar == nil {
		return it, nil, errNoCalendar
	}
	if it.Proposal == nil {
		return it, nil, refuse("只有建议提案需要测评满意度")
	}
	if err := requireSupervisor(&it, actor, "登记满意度"); err != nil {
		return it, nil, err
	}
	if !s.Valid() {
		return it, nil, refuse("满意度应为满意、基本满意或不满意")
	}
	if it.State != Closed {
		return it, nil, refuse("答复办结后才能登记满意度")
	}
	if rd := it.Proposal.round(); rd == nil || rd.Satisfaction != "" {
		return it, nil, refuse("本轮答复的满意度已登记")
	}
	if s == Unsatisfied && blank(note) {
		return it, nil, refuse("不满意须记录代表委员的意见")
	}
	o := begin(it, actor.ID, now)
	rd := o.it.Proposal.round()
	rd.Satisfaction, rd.SatisfactionAt, rd.Note = s, now, note
	o.emit(Event{Type: EvSatisfaction, Text: s.Label() + optional(note)})
	if s != Unsatisfied {
		return o.done()
	}
	due, err := r.monthsLater(now, r.reopenMonths())
	if err != nil {
		return it, nil, err
	}
	in, revs, err := r.engine().Start(Template(), route.StartOptions{
		ID: it.ID, Starter: actor.ID, Scope: map[string]string{ScopeOffice: it.Office},
	}, now)
	if err != nil {
		return it, nil, fromRoute(err)
	}
	var next []route.NextTask
	for _, u := range o.it.Units {
		next = append(next, route.NextTask{Assignee: route.Assignee{Kind: route.Unit, Unit: u.UnitID}, Lead: u.Lead})
	}
	t, _ := openTask(&in, StepAssign)
	in, revs2, err := r.engine().Apply(in, actor, route.Request{Op: route.Approve, Task: t.ID, Next: next, Comment: "不满意，重新办理"}, now)
	if err != nil {
		return it, nil, fromRoute(err)
	}
	o.it.PastRoutes = append(o.it.PastRoutes, o.it.Route)
	o.it.Route = in
	for i := range o.it.Units {
		u := &o.it.Units[i]
		u.Task, u.SignedAt, u.SignedBy, u.Released = 0, time.Time{}, "", false
	}
	bindTasks(&o.it)
	o.it.Deadline = Deadline{Original: due, Due: due}
	o.it.AssignedAt = now
	o.it.ClosedAt, o.it.ClosedBy = time.Time{}, ""
	o.it.Proposal.Rounds = append(o.it.Proposal.Rounds, Round{StartedAt: now, Deadline: Deadline{Original: due, Due: due}})
	o.emit(Event{Type: EvReopened, Text: note, Route: append(revs, revs2...)})
	return o.done()
}

func optional(note string) string {
	if blank(note) {
		return ""
	}
	return "：" + note
}
