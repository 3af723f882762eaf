package supervise

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Rules applies the operations. It holds the calendar and the office's
// settings, nothing else; the zero values of the settings take the defaults.
type Rules struct {
	Calendar *calendar.Calendar
	// SoonDays is the yellow window: due within this many working days (default 3).
	SoonDays int
	// ProposalMonths is the legal answer deadline of a proposal, counted from
	// assignment (default 3 months).
	ProposalMonths int
	// ReopenMonths is the deadline of a second handling after 不满意 (default 1 month).
	ReopenMonths int
}

// Defaults of the settings.
const (
	DefaultSoonDays       = 3
	DefaultProposalMonths = 3
	DefaultReopenMonths   = 1
)

func (r Rules) soonDays() int {
	if r.SoonDays > 0 {
		return r.SoonDays
	}
	return DefaultSoonDays
}

func (r Rules) proposalMonths() int {
	if r.ProposalMonths > 0 {
		return r.ProposalMonths
	}
	return DefaultProposalMonths
}

func (r Rules) reopenMonths() int {
	if r.ReopenMonths > 0 {
		return r.ReopenMonths
	}
	return DefaultReopenMonths
}

func (r Rules) engine() route.Engine { return route.Engine{Calendar: r.Calendar} }

// errNoCalendar is a wiring mistake, not a rule: every deadline needs the calendar.
var errNoCalendar = errors.New("supervise: Rules has no calendar")

// NewItem is what the 督查室 enters at 立项.
type NewItem struct {
	ID          string
	Source      Source
	Ref         string
	Title       string
	Instruction string
	Instructor  string
	Office      string
	Units       []Unit
	SubItems    []SubItem
	Milestones  []Milestone
	Schedule    Schedule
	// Deadline is required except for proposals, whose legal deadline applies.
	Deadline DeadlineSpec
	Proposal *ProposalInfo
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// isSupervisor reports whether the actor works in the item's 督查室.
func isSupervisor(a route.Actor, office string) bool {
	return a.Matches(route.Assignee{Kind: route.Role, Role: route.RoleSupervisor, Unit: office})
}

func inUnit(a route.Actor, unit string) bool {
	return a.Matches(route.Assignee{Kind: route.Unit, Unit: unit})
}

// fromRoute turns the route engine's refusal into ours (same message).
func fromRoute(err error) error {
	var r *route.Refusal
	if errors.As(err, &r) {
		return &Refusal{Msg: r.Msg, route: r}
	}
	return err
}

// Create registers an item (立项). The actor must be in the item's 督查室.
func (r Rules) Create(n NewItem, actor route.Actor, now time.Time) (Item, []Event, error) {
	if r.Calendar == nil {
		return Item{}, nil, errNoCalendar
	}
	if err := validateNew(n); err != nil {
		return Item{}, nil, err
	}
	if !isSupervisor(actor, n.Office) {
		return Item{}, nil, refuse("只有督查室人员可以立项")
	}
	it := Item{
		ID: n.ID, Source: n.Source, Ref: strings.TrimSpace(n.Ref), Title: strings.TrimSpace(n.Title),
		Instruction: n.Instruction, Instructor: n.Instructor, Office: n.Office, Registrar: actor.ID,
		Schedule: n.Schedule, Spec: n.Deadline, CreatedAt: now,
	}
	for _, u := range n.Units {
		it.Units = append(it.Units, Unit{UnitID: u.UnitID, Lead: u.Lead, Responsible: u.Responsible})
	}
	for _, s := range n.SubItems {
		it.SubItems = append(it.SubItems, SubItem{ID: s.ID, Title: s.Title, UnitID: s.UnitID, Spec: s.Spec})
	}
	for _, m := range n.Milestones {
		it.Milestones = append(it.Milestones, Milestone{ID: m.ID, Title: m.Title, Spec: m.Spec})
	}
	if n.Proposal != nil {
		it.Proposal = &Proposal{Number: n.Proposal.Number, Proposer: n.Proposal.Proposer}
	}
	in, revs, err := r.engine().Start(Template(), route.StartOptions{
		ID: n.ID, Starter: actor.ID, Scope: map[string]string{ScopeOffice: n.Office},
	}, now)
	if err != nil {
		return Item{}, nil, fromRoute(err)
	}
	it.Route = in
	o := begin(it, actor.ID, now)
	o.emit(Event{Type: EvCreated, Text: it.Title, Route: revs})
	return o.done()
}

func validateNew(n NewItem) error {
	if err := checkNew(n); err != nil {
		return err
	}
	switch {
	case blank(n.ID):
		return refuse("督办事项缺少编号")
	case !n.Source.Valid():
		return refuse("督办来源“%s”无效", n.Source)
	case blank(n.Title):
		return refuse("请填写督办事项标题")
	case blank(n.Instruction):
		return refuse("请填写批示或督办内容原文")
	case blank(n.Office):
		return refuse("未指定督查室")
	case n.Source == FromInstruction && blank(n.Ref):
		return refuse("领导批办的事项须关联来文")
	}
	leads := 0
	seen := map[string]bool{}
	for _, u := range n.Units {
		if blank(u.UnitID) {
			return refuse("承办单位未指定")
		}
		if seen[u.UnitID] {
			return refuse("承办单位%s重复", UnitRef(u.UnitID))
		}
		seen[u.UnitID] = true
		if blank(u.Responsible) {
			return refuse("%s未指定责任人", UnitRef(u.UnitID))
		}
		if u.Lead {
			leads++
		}
	}
	if leads != 1 {
		return refuse("须指定且只能指定一个牵头单位")
	}
	if err := n.Schedule.Validate(); err != nil {
		return &Refusal{Msg: err.Error()}
	}
	if n.Source.IsProposal() {
		if n.Proposal == nil || blank(n.Proposal.Number) || blank(n.Proposal.Proposer) {
			return refuse("建议提案须填写编号和提出人")
		}
	} else {
		if n.Proposal != nil {
			return refuse("只有人大代表建议和政协委员提案才有提案信息")
		}
		if n.Deadline.IsZero() {
			return refuse("请填写办理时限")
		}
	}
	if err := validSpec(n.Deadline, "办理时限"); err != nil {
		return err
	}
	ids := map[string]bool{}
	for _, s := range n.SubItems {
		if blank(s.ID) || blank(s.Title) {
			return refuse("子事项须有编号和标题")
		}
		if ids[s.ID] {
			return refuse("子事项或节点编号 %s 重复", s.ID)
		}
		ids[s.ID] = true
		if !seen[s.UnitID] {
			return refuse("子事项“%s”的承办单位不在本事项的承办单位中", s.Title)
		}
		if s.Spec.IsZero() {
			return refuse("子事项“%s”未填写时限", s.Title)
		}
		if err := validSpec(s.Spec, "子事项“"+s.Title+"”的时限"); err != nil {
			return err
		}
	}
	for _, m := range n.Milestones {
		if blank(m.ID) || blank(m.Title) {
			return refuse("节点须有编号和名称")
		}
		if ids[m.ID] {
			return refuse("子事项或节点编号 %s 重复", m.ID)
		}
		ids[m.ID] = true
		if m.Spec.IsZero() {
			return refuse("节点“%s”未填写时限", m.Title)
		}
		if err := validSpec(m.Spec, "节点“"+m.Title+"”的时限"); err != nil {
			return err
		}
	}
	if n.Schedule.Kind == AtMilestones && len(n.Milestones) == 0 {
		return refuse("按节点反馈须至少设一个节点")
	}
	return nil
}

func validSpec(s DeadlineSpec, what string) error {
	if s.Workdays < 0 || s.Workdays > 3660 {
		return refuse("%s的工作日数无效", what)
	}
	if s.Workdays > 0 && !s.Date.IsZero() {
		return refuse("%s只能填工作日数或日期之一", what)
	}
	return nil
}

// resolve turns a deadline spec into a due time, counting from start.
func (r Rules) resolve(s DeadlineSpec, start time.Time, what string) (time.Time, error) {
	if s.Workdays > 0 {
		due, err := r.Calendar.AddWorkdays(start, s.Workdays)
		if err != nil {
			return time.Time{}, refuse("%s无效：%v", what, err)
		}
		return due, nil
	}
	loc := r.Calendar.Location()
	d := s.Date.In(loc)
	mid := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	due, err := r.Calendar.AddWorkdays(mid, 0)
	if err != nil {
		return time.Time{}, refuse("%s无效：%v", what, err)
	}
	if !due.After(start) {
		return time.Time{}, refuse("%s（%s）已过", what, due.Format("2006-01-02"))
	}
	return due, nil
}

// requireSupervisor refuses actors outside the item's 督查室.
func requireSupervisor(it *Item, actor route.Actor, what string) error {
	if !isSupervisor(actor, it.Office) {
		return refuse("只有督查室人员可以%s", what)
	}
	return nil
}

// Assign hands the item to its units (交办): deadlines start counting now,
// and each unit must sign for it.
func (r Rules) Assign(it Item, actor route.Actor, now time.Time) (Item, []Event, error) {
	if r.Calendar == nil {
		return it, nil, errNoCalendar
	}
	if err := requireSupervisor(&it, actor, "交办"); err != nil {
		return it, nil, err
	}
	if it.State != Registered {
		return it, nil, refuse("事项%s，不能再交办", it.State.Label())
	}
	o := begin(it, actor.ID, now)
	if err := r.setDeadlines(o, now); err != nil {
		return it, nil, err
	}
	var next []route.NextTask
	for _, u := range o.it.Units {
		next = append(next, route.NextTask{Assignee: route.Assignee{Kind: route.Unit, Unit: u.UnitID}, Lead: u.Lead})
	}
	task, ok := openTask(&o.it.Route, StepAssign)
	if !ok {
		return it, nil, refuse("事项不在交办环节")
	}
	in, revs, err := r.engine().Apply(o.it.Route, actor, route.Request{Op: route.Approve, Task: task.ID, Next: next}, now)
	if err != nil {
		return it, nil, fromRoute(err)
	}
	o.it.Route = in
	o.it.AssignedAt, o.it.FirstAssignedAt = now, now
	bindTasks(&o.it)
	o.emit(Event{Type: EvAssigned, Route: revs})
	return o.done()
}

func (r Rules) setDeadlines(o *op, now time.Time) error {
	it := &o.it
	var due time.Time
	var err error
	if it.Source.IsProposal() && it.Spec.IsZero() {
		due, err = r.monthsLater(now, r.proposalMonths())
	} else {
		due, err = r.resolve(it.Spec, now, "办理时限")
	}
	if err != nil {
		return err
	}
	it.Deadline = Deadline{Original: due, Due: due}
	for i := range it.SubItems {
		s := &it.SubItems[i]
		d, err := r.resolve(s.Spec, now, "子事项“"+s.Title+"”的时限")
		if err != nil {
			return err
		}
		s.Deadline = Deadline{Original: d, Due: d}
	}
	for i := range it.Milestones {
		m := &it.Milestones[i]
		d, err := r.resolve(m.Spec, now, "节点“"+m.Title+"”的时限")
		if err != nil {
			return err
		}
		m.Deadline = Deadline{Original: d, Due: d}
	}
	if it.Proposal != nil {
		it.Proposal.Rounds = []Round{{StartedAt: now, Deadline: Deadline{Original: due, Due: due}}}
	}
	return nil
}

// monthsLater is the close of office on the same date n months on (or on
// the next working day): the 建议提案 deadlines are in months, not working days.
func (r Rules) monthsLater(t time.Time, n int) (time.Time, error) {
	loc := r.Calendar.Location()
	t = t.In(loc)
	y, m, d := t.Date()
	end := monthDay(y, m+time.Month(n), d)
	mid := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, loc)
	return r.Calendar.AddWorkdays(mid, 0)
}

// openTask returns the open task at step key.
func openTask(in *route.Instance, key string) (route.Task, bool) {
	idx := in.Template.StepIndex(key)
	for _, t := range in.Tasks {
		if t.Status == route.Open && t.Step == idx {
			return t, true
		}
	}
	return route.Task{}, false
}

// bindTasks points each unit at its latest task in the 办理 step. A task is
// the unit's if it was handed to the unit, or (after 退回) to the person who
// last acted on the unit's previous task.
func bindTasks(it *Item) {
	idx := it.Route.Template.StepIndex(StepHandle)
	for i := range it.Units {
		u := &it.Units[i]
		for _, t := range it.Route.Tasks {
			if t.Step != idx {
				continue
			}
			if t.Assignee.Kind == route.Unit && t.Assignee.Unit == u.UnitID {
				u.Task = t.ID
				continue
			}
			if prev, ok := it.Route.Task(u.Task); ok && u.Task != 0 && t.ID > u.Task && t.Assignee.Kind == route.Person {
				who := prev.ActedBy
				if prev.OnBehalfOf != "" {
					who = prev.OnBehalfOf
				}
				if who != "" && who == t.Assignee.Person && (prev.Status == route.Finished) {
					u.Task = t.ID
				}
			}
		}
	}
}

// unitTask returns the unit's current task.
func unitTask(it *Item, unitID string) (route.Task, bool) {
	u := it.unit(unitID)
	if u == nil || u.Task == 0 {
		return route.Task{}, false
	}
	return it.Route.Task(u.Task)
}

// deriveState reads the item's state off its route instance.
func deriveState(it *Item) State {
	in := &it.Route
	if in.Status == route.Done {
		return Closed
	}
	if len(in.Template.Steps) == 0 {
		return Registered
	}
	switch in.CurrentStep().Key {
	case StepAssign:
		return Registered
	case StepReview:
		return PendingReview
	}
	for _, t := range in.Tasks {
		if t.Status == route.Open && t.Step == in.Current && !t.Acknowledged() {
			return Assigned
		}
	}
	return InProgress
}

// SignFor records that a unit has received the item (签收).
func (r Rules) SignFor(it Item, actor route.Actor, unitID string, now time.Time) (Item, []Event, error) {
	if it.State != Assigned && it.State != InProgress {
		return it, nil, refuse("事项%s，无需签收", it.State.Label())
	}
	u := it.unit(unitID)
	if u == nil {
		return it, nil, refuse("%s不是本事项的承办单位", UnitRef(unitID))
	}
	t, ok := unitTask(&it, unitID)
	if !ok || t.Status != route.Open {
		return it, nil, refuse("该单位没有待签收的事项")
	}
	if t.Acknowledged() {
		return it, nil, refuse("已签收，无需重复签收")
	}
	in, revs, err := r.engine().Apply(it.Route, actor, route.Request{Op: route.Acknowledge, Task: t.ID}, now)
	if err != nil {
		return it, nil, fromRoute(err)
	}
	o := begin(it, actor.ID, now)
	o.it.Route = in
	ou := o.it.unit(unitID)
	ou.SignedAt, ou.SignedBy = now, actor.ID
	o.emit(Event{Type: EvSignedFor, UnitID: unitID, Route: revs})
	return o.done()
}

// ReportInput is a progress report as the unit submits it.
type ReportInput struct {
	UnitID      string
	Text        string
	Attachments []Attachment
	Reached     []string
}

// Report records a progress report (进展反馈) from a unit that has signed for the item.
func (r Rules) Report(it Item, actor route.Actor, in ReportInput, now time.Time) (Item, []Event, error) {
	if err := CheckReport(in); err != nil {
		return it, nil, err
	}
	if it.State != InProgress && it.State != Assigned {
		return it, nil, refuse("事项%s，不能反馈进展", it.State.Label())
	}
	u := it.unit(in.UnitID)
	if u == nil {
		return it, nil, refuse("%s不是本事项的承办单位", UnitRef(in.UnitID))
	}
	if !inUnit(actor, in.UnitID) {
		return it, nil, refuse("只有承办单位的人员可以反馈进展")
	}
	if u.Released {
		return it, nil, refuse("该单位的配合工作已结束")
	}
	if u.SignedAt.IsZero() {
		return it, nil, refuse("请先签收再反馈进展")
	}
	if blank(in.Text) {
		return it, nil, refuse("请填写进展情况")
	}
	if err := checkAttachments(in.Attachments); err != nil {
		return it, nil, err
	}
	o := begin(it, actor.ID, now)
	seen := map[string]bool{}
	for _, id := range in.Reached {
		if seen[id] {
			return it, nil, refuse("完成事项 %s 重复", id)
		}
		seen[id] = true
		if err := o.reach(id, in.UnitID, u.Lead, now); err != nil {
			return it, nil, err
		}
	}
	rep := Report{Seq: o.next(), UnitID: in.UnitID, By: actor.ID, At: now, Text: in.Text,
		Attachments: append([]Attachment(nil), in.Attachments...), Reached: append([]string(nil), in.Reached...)}
	o.it.Reports = append(o.it.Reports, rep)
	o.emit(Event{Type: EvReported, UnitID: in.UnitID, Text: in.Text, Ref: rep.Seq})
	return o.done()
}

// reach marks a sub-item (by its own unit) or a milestone (by the lead unit) done.
func (o *op) reach(id, unitID string, lead bool, now time.Time) error {
	for i := range o.it.SubItems {
		s := &o.it.SubItems[i]
		if s.ID != id {
			continue
		}
		if s.UnitID != unitID {
			return refuse("子事项“%s”不由本单位承办", s.Title)
		}
		if !s.DoneAt.IsZero() {
			return refuse("子事项“%s”已完成", s.Title)
		}
		s.DoneAt = now
		return nil
	}
	for i := range o.it.Milestones {
		m := &o.it.Milestones[i]
		if m.ID != id {
			continue
		}
		if !lead {
			return refuse("节点“%s”的完成由牵头单位报告", m.Title)
		}
		if !m.DoneAt.IsZero() {
			return refuse("节点“%s”已完成", m.Title)
		}
		m.DoneAt = now
		return nil
	}
	return refuse("没有编号为 %s 的子事项或节点", id)
}

func checkAttachments(as []Attachment) error {
	for _, a := range as {
		if blank(a.Name) || len(a.SHA256) != 64 {
			return refuse("附件“%s”无效", a.Name)
		}
	}
	return nil
}

// RequestClose is the lead unit's application to close (申请办结) with
// evidence. Every sub-item and milestone must be done; a proposal needs a
// record of 沟通 in this round and the 答复函 as an attachment.
func (r Rules) RequestClose(it Item, actor route.Actor, ev Evidence, now time.Time) (Item, []Event, error) {
	if err := CheckEvidence(ev); err != nil {
		return it, nil, err
	}
	if it.State != InProgress {
		if it.State == Assigned {
			return it, nil, refuse("尚有单位未签收，不能申请办结")
		}
		return it, nil, refuse("事项%s，不能申请办结", it.State.Label())
	}
	lead := it.LeadUnit()
	if !inUnit(actor, lead) {
		if t, ok := unitTask(&it, lead); !ok || !actor.Matches(t.Assignee) {
			return it, nil, refuse("只有牵头单位可以申请办结")
		}
	}
	if blank(ev.Text) {
		return it, nil, refuse("申请办结须填写办理情况")
	}
	if err := checkAttachments(ev.Attachments); err != nil {
		return it, nil, err
	}
	for _, s := range it.SubItems {
		if s.DoneAt.IsZero() {
			return it, nil, refuse("子事项“%s”尚未完成", s.Title)
		}
	}
	for _, m := range it.Milestones {
		if m.DoneAt.IsZero() {
			return it, nil, refuse("节点“%s”尚未完成", m.Title)
		}
	}
	if it.Proposal != nil {
		if err := it.Proposal.readyToAnswer(ev); err != nil {
			return it, nil, err
		}
	}
	t, ok := unitTask(&it, lead)
	if !ok {
		return it, nil, refuse("牵头单位没有待办")
	}
	in, revs, err := r.engine().Apply(it.Route, actor, route.Request{Op: route.Approve, Task: t.ID, Comment: ev.Text}, now)
	if err != nil {
		return it, nil, fromRoute(err)
	}
	o := begin(it, actor.ID, now)
	o.it.Route = in
	for i := range o.it.Units {
		if !o.it.Units[i].Lead {
			o.it.Units[i].Released = true
		}
	}
	sub := Submission{Seq: o.next(), By: actor.ID, At: now,
		Evidence: Evidence{Text: ev.Text, Attachments: append([]Attachment(nil), ev.Attachments...)}}
	o.it.Submits = append(o.it.Submits, sub)
	if o.it.Proposal != nil {
		o.it.Proposal.answered(sub.Seq)
	}
	o.emit(Event{Type: EvCloseRequested, UnitID: lead, Text: ev.Text, Ref: sub.Seq, Route: revs})
	return o.done()
}

// Review is the 督查室's decision on an application to close: close it, or
// return it with a reason.
func (r Rules) Review(it Item, actor route.Actor, approve bool, reason string, now time.Time) (Item, []Event, error) {
	if err := checkReason("reason", "审核意见", reason); err != nil {
		return it, nil, err
	}
	if err := requireSupervisor(&it, actor, "审核办结"); err != nil {
		return it, nil, err
	}
	if it.State != PendingReview {
		return it, nil, refuse("事项%s，没有待审核的办结申请", it.State.Label())
	}
	if !approve && blank(reason) {
		return it, nil, refuse("退回须说明理由")
	}
	t, ok := openTask(&it.Route, StepReview)
	if !ok {
		return it, nil, refuse("事项不在审核环节")
	}
	req := route.Request{Op: route.Approve, Task: t.ID, Comment: reason}
	if !approve {
		req = route.Request{Op: route.Return, Task: t.ID, ToStep: StepHandle, Comment: reason}
	}
	in, revs, err := r.engine().Apply(it.Route, actor, req, now)
	if err != nil {
		return it, nil, fromRoute(err)
	}
	o := begin(it, actor.ID, now)
	o.it.Route = in
	sub := &o.it.Submits[len(o.it.Submits)-1]
	sub.ReviewedBy, sub.ReviewedAt, sub.Reason = actor.ID, now, reason
	if approve {
		sub.Outcome = OutcomeClosed
		o.it.ClosedAt, o.it.ClosedBy = now, actor.ID
		o.emit(Event{Type: EvClosed, Text: reason, Ref: sub.Seq, Route: revs})
		return o.done()
	}
	sub.Outcome = OutcomeReturned
	bindTasks(&o.it)
	// The returned item is a new handover the lead unit signs for again.
	lu := o.it.unit(o.it.LeadUnit())
	lu.SignedAt, lu.SignedBy = time.Time{}, ""
	if o.it.Proposal != nil {
		o.it.Proposal.unanswered()
	}
	o.emit(Event{Type: EvReturned, UnitID: lu.UnitID, Text: reason, Ref: sub.Seq, Route: revs})
	return o.done()
}

// targetDeadline returns the deadline an extension is about.
func (o *op) targetDeadline(target string) (*Deadline, string, error) {
	if target == "" {
		return &o.it.Deadline, "事项", nil
	}
	for i := range o.it.SubItems {
		if o.it.SubItems[i].ID == target {
			if !o.it.SubItems[i].DoneAt.IsZero() {
				return nil, "", refuse("子事项已完成，无需延期")
			}
			return &o.it.SubItems[i].Deadline, "子事项“" + o.it.SubItems[i].Title + "”", nil
		}
	}
	for i := range o.it.Milestones {
		if o.it.Milestones[i].ID == target {
			if !o.it.Milestones[i].DoneAt.IsZero() {
				return nil, "", refuse("节点已完成，无需延期")
			}
			return &o.it.Milestones[i].Deadline, "节点“" + o.it.Milestones[i].Title + "”", nil
		}
	}
	return nil, "", refuse("没有编号为 %s 的子事项或节点", target)
}

// ExtensionInput is a unit's 延期申请.
type ExtensionInput struct {
	UnitID string
	Target string // "" for the whole item
	Asked  time.Time
	Reason string
}

// RequestExtension records a unit's request for more time.
func (r Rules) RequestExtension(it Item, actor route.Actor, in ExtensionInput, now time.Time) (Item, []Event, error) {
	if err := checkReason("reason", "延期理由", in.Reason); err != nil {
		return it, nil, err
	}
	if r.Calendar == nil {
		return it, nil, errNoCalendar
	}
	if it.State != Assigned && it.State != InProgress {
		return it, nil, refuse("事项%s，不能申请延期", it.State.Label())
	}
	u := it.unit(in.UnitID)
	if u == nil || !inUnit(actor, in.UnitID) {
		return it, nil, refuse("只有承办单位的人员可以申请延期")
	}
	if in.Target == "" && !u.Lead {
		return it, nil, refuse("事项整体延期须由牵头单位申请")
	}
	if blank(in.Reason) {
		return it, nil, refuse("申请延期须说明理由")
	}
	for _, e := range it.Extensions {
		if e.Decision == "" && e.Target == in.Target {
			return it, nil, refuse("已有一份延期申请待审批")
		}
	}
	o := begin(it, actor.ID, now)
	dl, what, err := o.targetDeadline(in.Target)
	if err != nil {
		return it, nil, err
	}
	if !in.Asked.After(dl.Due) {
		return it, nil, refuse("申请的期限应晚于%s现在的期限 %s", what, dl.Due.In(r.Calendar.Location()).Format("2006-01-02"))
	}
	ext := Extension{Seq: o.next(), Target: in.Target, UnitID: in.UnitID, By: actor.ID, At: now, Reason: in.Reason, Asked: in.Asked}
	o.it.Extensions = append(o.it.Extensions, ext)
	o.emit(Event{Type: EvExtensionRequested, UnitID: in.UnitID, Text: in.Reason, Ref: ext.Seq})
	return o.done()
}

// DecideExtension grants (to the date asked, or to another later one) or
// refuses (with a reason) a pending extension. The original deadline stays
// on record.
func (r Rules) DecideExtension(it Item, actor route.Actor, seq int, grant bool, due time.Time, note string, now time.Time) (Item, []Event, error) {
	if err := checkReason("note", "审批意见", note); err != nil {
		return it, nil, err
	}
	if r.Calendar == nil {
		return it, nil, errNoCalendar
	}
	if err := requireSupervisor(&it, actor, "审批延期"); err != nil {
		return it, nil, err
	}
	if it.State == Closed {
		return it, nil, refuse("事项已办结，不能再审批延期")
	}
	o := begin(it, actor.ID, now)
	var ext *Extension
	for i := range o.it.Extensions {
		if o.it.Extensions[i].Seq == seq {
			ext = &o.it.Extensions[i]
		}
	}
	if ext == nil {
		return it, nil, refuse("延期申请不存在")
	}
	if ext.Decision != "" {
		return it, nil, refuse("该延期申请已审批")
	}
	dl, what, err := o.targetDeadline(ext.Target)
	if err != nil {
		return it, nil, err
	}
	ext.DecidedBy, ext.DecidedAt, ext.Note = actor.ID, now, note
	if !grant {
		if blank(note) {
			return it, nil, refuse("不同意延期须说明理由")
		}
		ext.Decision = Refused
		o.emit(Event{Type: EvExtensionRefused, UnitID: ext.UnitID, Text: note, Ref: ext.Seq})
		return o.done()
	}
	if due.IsZero() {
		due = ext.Asked
	}
	if !due.After(dl.Due) || !due.After(now) {
		return it, nil, refuse("延期后的期限应晚于%s现在的期限和当前时间", what)
	}
	ext.Decision, ext.Granted, ext.Previous = Granted, due, dl.Due
	dl.Due = due
	if ext.Target == "" && o.it.Proposal != nil {
		o.it.Proposal.Rounds[len(o.it.Proposal.Rounds)-1].Deadline.Due = due
	}
	o.emit(Event{Type: EvExtensionGranted, UnitID: ext.UnitID, Text: fmt.Sprintf("延期至 %s", due.In(r.Calendar.Location()).Format("2006-01-02 15:04")), Ref: ext.Seq})
	return o.done()
}

// Urge sends a formal urging notice (催办单) to a unit with an open task;
// the unit must sign for it.
func (r Rules) Urge(it Item, actor route.Actor, unitID, text string, now time.Time) (Item, []Event, error) {
	if err := textlimit.Text("text", "催办内容", MaxText, text); err != nil {
		return it, nil, err
	}
	if err := requireSupervisor(&it, actor, "催办"); err != nil {
		return it, nil, err
	}
	if blank(text) {
		return it, nil, refuse("请填写催办内容")
	}
	t, ok := unitTask(&it, unitID)
	if !ok || t.Status != route.Open {
		return it, nil, refuse("该单位当前没有待办，无需催办")
	}
	in, revs, err := r.engine().Apply(it.Route, actor, route.Request{Op: route.Urge, Task: t.ID, Comment: text}, now)
	if err != nil {
		return it, nil, fromRoute(err)
	}
	o := begin(it, actor.ID, now)
	o.it.Route = in
	u := Urging{Seq: o.next(), UnitID: unitID, By: actor.ID, At: now, Text: text}
	o.it.Urgings = append(o.it.Urgings, u)
	o.emit(Event{Type: EvUrged, UnitID: unitID, Text: text, Ref: u.Seq, Route: revs})
	return o.done()
}

// SignForUrging records that the unit has received a 催办单.
func (r Rules) SignForUrging(it Item, actor route.Actor, seq int, now time.Time) (Item, []Event, error) {
	o := begin(it, actor.ID, now)
	for i := range o.it.Urgings {
		u := &o.it.Urgings[i]
		if u.Seq != seq {
			continue
		}
		if !inUnit(actor, u.UnitID) {
			return it, nil, refuse("只有被催办单位的人员可以签收催办单")
		}
		if u.SignedBy != "" {
			return it, nil, refuse("催办单已签收")
		}
		u.SignedBy, u.SignedAt = actor.ID, now
		o.emit(Event{Type: EvUrgingSigned, UnitID: u.UnitID, Ref: u.Seq})
		return o.done()
	}
	return it, nil, refuse("催办单不存在")
}
