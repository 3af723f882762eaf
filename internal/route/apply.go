package route

import (
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Apply performs one operation. On success it returns the new state and the
// events to append; on refusal it returns the input unchanged and a *Refusal.
// The input is never modified.
func (e Engine) Apply(in Instance, actor Actor, req Request, now time.Time) (Instance, []Event, error) {
	if actor.ID == "" {
		return in, nil, refuse("未识别操作人")
	}
	if err := req.CheckLimits(); err != nil {
		return in, nil, err
	}
	if in.Status != Active {
		return in, nil, refuse("流程已办结，不能再%s", req.Op.Label())
	}
	if req.Step != "" {
		t, ok := in.Task(req.Task)
		if !ok {
			return in, nil, refuse("待办事项不存在")
		}
		if t.Step >= len(in.Template.Steps) || in.Template.Steps[t.Step].Key != req.Step {
			if i := in.Template.StepIndex(req.Step); i >= 0 {
				return in, nil, refuse("该事项不在“%s”环节，不能在此办理", in.Template.Steps[i].Name)
			}
			return in, nil, refuse("该事项不能在此办理")
		}
	}
	tx := in.begin(now)
	var err error
	switch req.Op {
	case Acknowledge:
		err = e.acknowledge(tx, actor, req)
	case Approve, Disagree:
		err = e.finish(tx, actor, req)
	case Return:
		err = e.ret(tx, actor, req)
	case Withdraw:
		err = e.withdraw(tx, actor, req)
	case Forward:
		err = e.forward(tx, actor, req)
	case AddReviewer:
		err = e.addReviewer(tx, actor, req)
	case Urge:
		err = e.urge(tx, actor, req)
	case Delegate:
		err = refuse("委托办理无需单独操作：受托人直接办理，系统记录代办关系")
	default:
		err = refuse("不支持的操作“%s”", req.Op)
	}
	if err != nil {
		return in, nil, err
	}
	return tx.in, tx.events, nil
}

// myOpenTask finds the open task at the current step that the actor may act
// on, and whom they act for.
func (tx *txn) myOpenTask(actor Actor, req Request) (*Task, string, error) {
	t := tx.task(req.Task)
	if t == nil {
		return nil, "", refuse("待办事项不存在")
	}
	if t.Status != Open {
		return nil, "", refuse("此事项已%s，不能再办理", statusLabel(t.Status))
	}
	st := tx.in.Template.Steps[t.Step]
	forID, ok := entitled(actor, t.Assignee, st.Allows(Delegate), req.OnBehalfOf)
	if !ok {
		if req.OnBehalfOf != "" && !st.Allows(Delegate) {
			return nil, "", refuse("“%s”环节不允许委托他人代办", st.Name)
		}
		return nil, "", refuse("您不是“%s”环节的办理人（应由%s办理）", st.Name, t.Assignee)
	}
	return t, forID, nil
}

func statusLabel(s TaskStatus) string {
	switch s {
	case Finished:
		return "办理"
	case Forwarded:
		return "转办"
	case Returned:
		return "退回"
	case Cancelled:
		return "取消"
	case Withdrawn:
		return "撤回"
	}
	return string(s)
}

// ack records the acknowledgement of t by the actor if not yet done; acting
// on a task acknowledges it.
func (tx *txn) ack(t *Task, actor Actor, forID string) {
	if t.Acknowledged() {
		return
	}
	t.AckedBy, t.AckedAt = actor.ID, tx.now
	st := tx.in.Template.Steps[t.Step]
	tx.emit(Event{Type: EvAcknowledge, Actor: actor.ID, OnBehalfOf: forID, Task: t.ID, Step: st.Key, StepName: st.Name})
}

func (e Engine) acknowledge(tx *txn, actor Actor, req Request) error {
	t, forID, err := tx.myOpenTask(actor, req)
	if err != nil {
		return err
	}
	if t.Acknowledged() {
		return refuse("已签收，无需重复签收")
	}
	tx.ack(t, actor, forID)
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func (e Engine) finish(tx *txn, actor Actor, req Request) error {
	t, forID, err := tx.myOpenTask(actor, req)
	if err != nil {
		return err
	}
	st := tx.in.Template.Steps[t.Step]
	outcome, evType := Agreed, EvApprove
	switch {
	case req.Op == Disagree:
		if !st.Allows(Disagree) {
			return refuse("“%s”环节不能选择不同意，如有异议请退回", st.Name)
		}
		if blank(req.Comment) {
			return refuse("不同意时须填写意见")
		}
		outcome, evType = Disagreed, EvDisagree
	case st.Circulate:
		outcome, evType = Read, EvRead
	}
	if st.CommentRequired && blank(req.Comment) {
		return refuse("“%s”须填写意见", st.Name)
	}
	fields := map[string]string{}
	for _, f := range st.Fields {
		v := req.Fields[f.Key]
		if f.Required && blank(v) {
			return refuse("请填写“%s”", f.Label)
		}
		if v != "" {
			fields[f.Key] = v
		}
	}
	for k := range req.Fields {
		if !hasField(st, k) {
			return refuse("“%s”环节没有“%s”这一项", st.Name, k)
		}
	}
	tx.ack(t, actor, forID)
	t.Status, t.Outcome, t.CloseTxn = Finished, outcome, tx.in.Txn
	t.ActedBy, t.OnBehalfOf, t.ActedAt = actor.ID, forID, tx.now
	// The comment is kept verbatim: a leader's 批示 must not be altered.
	t.Comment = req.Comment
	for k, v := range fields {
		tx.in.Data[st.Key+"."+k] = v
	}
	if len(fields) == 0 {
		fields = nil
	}
	tx.emit(Event{Type: evType, Actor: actor.ID, OnBehalfOf: forID, Task: t.ID, Step: st.Key, StepName: st.Name, Comment: req.Comment, Fields: fields})
	finishedID := t.ID

	// Is the step finished?
	open := 0
	for i := range tx.in.Tasks {
		o := &tx.in.Tasks[i]
		if o.Status != Open || o.Step != tx.in.Current {
			continue
		}
		if completion(st) == Any {
			o.Status, o.CloseTxn = Cancelled, tx.in.Txn
			tx.emit(Event{Type: EvCancel, Actor: actor.ID, Task: o.ID, Step: st.Key, StepName: st.Name, Comment: "已由他人办理"})
			continue
		}
		open++
	}
	if open > 0 {
		if len(req.Next) > 0 {
			return refuse("“%s”尚有其他办理人未办完，现在不能选择下一环节办理人", st.Name)
		}
		return nil
	}
	return e.advance(tx, req.Next, finishedID, actor.ID)
}

func hasField(st Step, key string) bool {
	for _, f := range st.Fields {
		if f.Key == key {
			return true
		}
	}
	return false
}

func completion(st Step) Completion {
	if st.Completion == "" {
		return All
	}
	return st.Completion
}

// advance moves past the current step, or completes the instance after the last.
func (e Engine) advance(tx *txn, next []NextTask, from int, fromActor string) error {
	cur := tx.in.Template.Steps[tx.in.Current]
	idx := tx.in.Current + 1
	if idx == len(tx.in.Template.Steps) {
		if len(next) > 0 {
			return refuse("已是最后一个环节，无需选择办理人")
		}
		tx.in.Status = Done
		tx.emit(Event{Type: EvComplete, Actor: fromActor, Step: cur.Key, StepName: cur.Name})
		return nil
	}
	st := tx.in.Template.Steps[idx]
	if len(next) > 0 && !st.Chosen {
		return refuse("下一环节“%s”的办理人由流程模板确定，不能另选", st.Name)
	}
	if len(next) == 0 && st.Optional && tx.in.Scope[AssignScope(st.Key)] == "" {
		// Nobody named for a step that may go without: pass over it.
		tx.emit(Event{Type: EvSkip, Actor: fromActor, Step: st.Key, StepName: st.Name})
		tx.in.Current = idx
		return e.advance(tx, nil, from, fromActor)
	}
	tx.emit(Event{Type: EvAdvance, Actor: fromActor, Step: st.Key, StepName: st.Name})
	return e.enter(tx, idx, next, from, fromActor)
}

func (e Engine) ret(tx *txn, actor Actor, req Request) error {
	t, forID, err := tx.myOpenTask(actor, req)
	if err != nil {
		return err
	}
	st := tx.in.Template.Steps[t.Step]
	if !st.Allows(Return) {
		return refuse("“%s”环节不能退回", st.Name)
	}
	if blank(req.Comment) {
		return refuse("退回须说明理由")
	}
	target := tx.in.Template.StepIndex(req.ToStep)
	if target < 0 || target >= tx.in.Current {
		return refuse("只能退回到此前的环节")
	}
	back := tx.in.lastRound(target)
	tx.ack(t, actor, forID)
	for i := range tx.in.Tasks {
		o := &tx.in.Tasks[i]
		if o.Status == Open && o.Step == tx.in.Current {
			o.Status, o.CloseTxn = Cancelled, tx.in.Txn
			if o.ID == t.ID {
				o.Status = Returned
				o.ActedBy, o.OnBehalfOf, o.ActedAt, o.Comment = actor.ID, forID, tx.now, req.Comment
			}
		}
	}
	ts := tx.in.Template.Steps[target]
	tx.emit(Event{Type: EvReturn, Actor: actor.ID, OnBehalfOf: forID, Task: t.ID, Step: st.Key, StepName: st.Name, ToStep: ts.Key, Comment: req.Comment})
	if ts.Lead && len(back) > 0 {
		// Keep exactly one lead among those it goes back to.
		leads := 0
		for i := range back {
			if back[i].Lead {
				leads++
			}
		}
		if leads != 1 {
			for i := range back {
				back[i].Lead = i == 0
			}
		}
	}
	return e.enter(tx, target, back, t.ID, actor.ID)
}

// Finished returns the tasks finished at the step the last time the route
// was there (after a return, only the latest round counts): who signed off
// and with what opinion, who instructed, who countersigned.
func (in Instance) Finished(stepKey string) []Task {
	idx := in.Template.StepIndex(stepKey)
	if idx < 0 {
		return nil
	}
	// The round began with the latest handover into the step from outside it.
	round := 0
	for _, o := range in.Tasks {
		if o.Step != idx {
			continue
		}
		if f, ok := in.Task(o.From); !ok || f.Step != idx {
			round = max(round, o.OpenTxn)
		}
	}
	var out []Task
	for _, o := range in.Tasks {
		if o.Step == idx && o.Status == Finished && o.OpenTxn >= round {
			out = append(out, o)
		}
	}
	return out
}

// lastRound returns, as person assignees, those who finished step idx the
// last time the route was there, so a return goes to people, not roles.
func (in Instance) lastRound(idx int) []NextTask {
	var back []NextTask
	seen := map[string]bool{}
	for _, o := range in.Finished(in.Template.Steps[idx].Key) {
		who := o.ActedBy
		if o.OnBehalfOf != "" {
			who = o.OnBehalfOf
		}
		if seen[who] {
			continue
		}
		seen[who] = true
		back = append(back, NextTask{Assignee: Assignee{Kind: Person, Person: who}, Lead: o.Lead})
	}
	if !in.Template.Steps[idx].Parallel && len(back) > 1 {
		back = back[len(back)-1:]
	}
	return back
}

func (e Engine) withdraw(tx *txn, actor Actor, req Request) error {
	t := tx.task(req.Task)
	if t == nil {
		return refuse("事项不存在")
	}
	if t.ActedBy != actor.ID || (t.Status != Finished && t.Status != Forwarded) {
		return refuse("只能撤回本人已办理的事项")
	}
	st := tx.in.Template.Steps[t.Step]
	if !st.Allows(Withdraw) {
		return refuse("“%s”环节办理后不能撤回", st.Name)
	}
	// Withdrawal is possible only while nothing has happened to the route
	// since: no task opened or closed by a later transaction.
	k := t.CloseTxn
	for _, o := range tx.in.Tasks {
		if o.OpenTxn > k || o.CloseTxn > k {
			return refuse("下一办理人已办理，不能撤回")
		}
	}
	for i := range tx.in.Tasks {
		o := &tx.in.Tasks[i]
		if o.OpenTxn == k && o.Status == Open {
			o.Status, o.CloseTxn = Withdrawn, tx.in.Txn
		}
	}
	tx.emit(Event{Type: EvWithdraw, Actor: actor.ID, Task: t.ID, Step: st.Key, StepName: st.Name, Comment: req.Comment})
	tx.in.Current = t.Step
	// Reopen the actor's task, and any task that the withdrawn action cancelled.
	snapshot := append([]Task(nil), tx.in.Tasks...)
	for _, o := range snapshot {
		if o.CloseTxn != k || (o.ID != t.ID && o.Status != Cancelled) {
			continue
		}
		n := NextTask{Assignee: o.Assignee, Lead: o.Lead}
		if err := e.open(tx, o.Step, o.Branch, o.Assignee, n, o.ID, actor.ID); err != nil {
			return err
		}
		nt := &tx.in.Tasks[len(tx.in.Tasks)-1]
		nt.Due, nt.AckDue = o.Due, o.AckDue
		if o.ID == t.ID {
			nt.AckedBy, nt.AckedAt = actor.ID, tx.now
		}
	}
	return nil
}

func (e Engine) forward(tx *txn, actor Actor, req Request) error {
	t, forID, err := tx.myOpenTask(actor, req)
	if err != nil {
		return err
	}
	st := tx.in.Template.Steps[t.Step]
	if !st.Allows(Forward) {
		return refuse("“%s”环节不能转办", st.Name)
	}
	if len(req.Next) != 1 {
		return refuse("转办须指定一名接收人")
	}
	a, err := tx.in.resolve(req.Next[0].Assignee)
	if err != nil {
		return err
	}
	if a == t.Assignee {
		return refuse("不能转办给原办理人")
	}
	tx.ack(t, actor, forID)
	t.Status, t.CloseTxn = Forwarded, tx.in.Txn
	t.ActedBy, t.OnBehalfOf, t.ActedAt, t.Comment = actor.ID, forID, tx.now, req.Comment
	old := *t
	tx.emit(Event{Type: EvForward, Actor: actor.ID, OnBehalfOf: forID, Task: t.ID, Step: st.Key, StepName: st.Name, To: &a, Comment: req.Comment})
	n := NextTask{Assignee: a, Lead: old.Lead}
	if err := e.open(tx, old.Step, old.Branch, a, n, old.ID, actor.ID); err != nil {
		return err
	}
	// A forward passes the work on; it does not restart the clock.
	tx.in.Tasks[len(tx.in.Tasks)-1].Due = old.Due
	return nil
}

func (e Engine) addReviewer(tx *txn, actor Actor, req Request) error {
	t, forID, err := tx.myOpenTask(actor, req)
	if err != nil {
		return err
	}
	st := tx.in.Template.Steps[t.Step]
	if !st.Allows(AddReviewer) {
		return refuse("“%s”环节不能加签", st.Name)
	}
	if len(req.Next) == 0 {
		return refuse("加签须指定至少一名办理人")
	}
	existing := map[Assignee]bool{}
	for _, o := range tx.in.Tasks {
		if o.Status == Open && o.Step == t.Step {
			existing[o.Assignee] = true
		}
	}
	tx.ack(t, actor, forID)
	for _, n := range req.Next {
		a, err := tx.in.resolve(n.Assignee)
		if err != nil {
			return err
		}
		if existing[a] {
			return refuse("%s 已在本环节办理中", a)
		}
		existing[a] = true
		n.Lead = false
		tx.emit(Event{Type: EvAddReviewer, Actor: actor.ID, OnBehalfOf: forID, Task: t.ID, Step: st.Key, StepName: st.Name, To: &a, Comment: req.Comment})
		tx.in.Branches++
		if err := e.open(tx, t.Step, tx.in.Branches, a, n, t.ID, actor.ID); err != nil {
			return err
		}
	}
	return nil
}

func (e Engine) urge(tx *txn, actor Actor, req Request) error {
	t := tx.task(req.Task)
	if t == nil || t.Status != Open {
		return refuse("只能催办尚未办理的事项")
	}
	st := tx.in.Template.Steps[t.Step]
	if !st.Allows(Urge) {
		return refuse("“%s”环节不能催办", st.Name)
	}
	if !tx.in.mayUrge(actor) {
		return refuse("只有发起人、已参与办理的人员或督办人员可以催办")
	}
	if actor.Matches(t.Assignee) {
		return refuse("不能催办自己")
	}
	t.Urges++
	t.LastUrgedAt = tx.now
	to := t.Assignee
	tx.emit(Event{Type: EvUrge, Actor: actor.ID, Task: t.ID, Step: st.Key, StepName: st.Name, To: &to, Comment: req.Comment})
	return nil
}

func (in Instance) mayUrge(actor Actor) bool {
	if actor.ID == in.Starter {
		return true
	}
	for _, r := range in.Template.UrgeRoles {
		if actor.hasRole(r) {
			return true
		}
	}
	for _, o := range in.Tasks {
		if o.ActedBy == actor.ID {
			return true
		}
	}
	return false
}

// Limits on what an actor writes into a route (issue 11). An opinion is a
// 批示, 签发意见, 会签/办理意见, a return's reason or an urging; a field is a
// short value a step asks for (文号, 印发日期, 份数, 收文编号).
const (
	MaxComment    = 5_000
	MaxFieldValue = 200
	MaxFields     = 20
)

// CheckLimits refuses a request whose opinion or fields are over the limits.
func (req Request) CheckLimits() error {
	if err := textlimit.Text("comment", "意见", MaxComment, req.Comment); err != nil {
		return err
	}
	if err := textlimit.Count("fields", "办理字段", MaxFields, len(req.Fields), "项"); err != nil {
		return err
	}
	for k, v := range req.Fields {
		if err := textlimit.Text(k, "字段“"+k+"”", MaxFieldValue, v); err != nil {
			return err
		}
	}
	return nil
}
