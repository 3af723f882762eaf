package route

import (
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// Status of an instance.
type Status string

const (
	Active Status = "active"
	Done   Status = "done"
)

// TaskStatus of a task.
type TaskStatus string

const (
	Open      TaskStatus = "open"
	Finished  TaskStatus = "done"
	Forwarded TaskStatus = "forwarded"
	Returned  TaskStatus = "returned"
	Cancelled TaskStatus = "cancelled"
	Withdrawn TaskStatus = "withdrawn"
)

// Outcome of a finished task.
type Outcome string

const (
	Agreed    Outcome = "agree"
	Disagreed Outcome = "disagree"
	Read      Outcome = "read"
)

// Task is one assignee's piece of work at a step. Every task is a handover
// (from FromActor to Assignee) that the receiver must acknowledge.
type Task struct {
	ID       int        `json:"id"`
	Step     int        `json:"step"`
	Branch   int        `json:"branch"`
	Assignee Assignee   `json:"assignee"`
	Lead     bool       `json:"lead,omitempty"`
	Status   TaskStatus `json:"status"`
	// From is the task whose completion handed this one over (0 at start).
	From      int       `json:"from,omitempty"`
	FromActor string    `json:"from_actor"`
	HandedAt  time.Time `json:"handed_at"`
	Due       time.Time `json:"due,omitzero"`
	AckDue    time.Time `json:"ack_due,omitzero"`
	AckedBy   string    `json:"acked_by,omitempty"`
	AckedAt   time.Time `json:"acked_at,omitzero"`
	// ActedBy acted; OnBehalfOf is the leader acted for under a delegation.
	ActedBy     string    `json:"acted_by,omitempty"`
	OnBehalfOf  string    `json:"on_behalf_of,omitempty"`
	ActedAt     time.Time `json:"acted_at,omitzero"`
	Outcome     Outcome   `json:"outcome,omitempty"`
	Comment     string    `json:"comment,omitempty"`
	Urges       int       `json:"urges,omitempty"`
	LastUrgedAt time.Time `json:"last_urged_at,omitzero"`
	// OpenTxn and CloseTxn are the transactions that opened and closed the
	// task; they decide whether a withdrawal is still possible.
	OpenTxn  int `json:"open_txn"`
	CloseTxn int `json:"close_txn,omitempty"`
}

// Acknowledged reports whether the receiver has acknowledged the handover.
func (t Task) Acknowledged() bool { return t.AckedBy != "" }

// Instance is one item's route state: a plain value, serialisable to JSON.
type Instance struct {
	ID      string `json:"id"`
	Starter string `json:"starter"`
	// Scope fills template placeholders such as "{unit}" and "{office}".
	Scope    map[string]string `json:"scope,omitempty"`
	Template Template          `json:"template"`
	// TemplateRef names Template where a store keeps templates apart from
	// instances (by content hash); "" when unknown. The engine never changes
	// an instance's Template after Start, so the reference stays true; whoever
	// replaces Template must clear it.
	TemplateRef string            `json:"-"`
	Status      Status            `json:"status"`
	Current     int               `json:"current"`
	Tasks       []Task            `json:"tasks"`
	Data        map[string]string `json:"data,omitempty"` // fields recorded at steps, "step.field"
	Seq         int               `json:"seq"`            // last event number
	Txn         int               `json:"txn"`            // last transaction number
	Branches    int               `json:"branches"`       // last branch number
	StartedAt   time.Time         `json:"started_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
}

// CurrentStep is the step the instance is at.
func (in Instance) CurrentStep() Step { return in.Template.Steps[in.Current] }

// OpenTasks returns the open tasks.
func (in Instance) OpenTasks() []Task {
	var out []Task
	for _, t := range in.Tasks {
		if t.Status == Open {
			out = append(out, t)
		}
	}
	return out
}

// Task returns the task with the id.
func (in Instance) Task(id int) (Task, bool) {
	if i := in.taskIndex(id); i >= 0 {
		return in.Tasks[i], true
	}
	return Task{}, false
}

func (in Instance) taskIndex(id int) int {
	// Task ids are 1..n in order, so the index is id-1.
	if id >= 1 && id <= len(in.Tasks) && in.Tasks[id-1].ID == id {
		return id - 1
	}
	return -1
}

// clone deep-copies the instance so operations never touch their input.
func (in Instance) clone() Instance {
	out := in
	out.Tasks = append([]Task(nil), in.Tasks...)
	out.Data = make(map[string]string, len(in.Data))
	for k, v := range in.Data {
		out.Data[k] = v
	}
	return out
}

// EventType names what happened.
type EventType string

const (
	EvStart       EventType = "start"
	EvHandover    EventType = "handover"
	EvAcknowledge EventType = "acknowledge"
	EvApprove     EventType = "approve"
	EvDisagree    EventType = "disagree"
	EvRead        EventType = "read"
	EvReturn      EventType = "return"
	EvWithdraw    EventType = "withdraw"
	EvForward     EventType = "forward"
	EvAddReviewer EventType = "add_reviewer"
	EvUrge        EventType = "urge"
	EvCancel      EventType = "cancel"
	EvAdvance     EventType = "advance"
	EvSkip        EventType = "skip" // an optional step passed over: nobody was chosen for it
	EvComplete    EventType = "complete"
)

// Event is one entry of an instance's append-only history (流转轨迹).
type Event struct {
	Seq        int               `json:"seq"`
	Txn        int               `json:"txn"`
	At         time.Time         `json:"at"`
	Type       EventType         `json:"type"`
	Actor      string            `json:"actor,omitempty"`
	OnBehalfOf string            `json:"on_behalf_of,omitempty"`
	Task       int               `json:"task,omitempty"`
	Step       string            `json:"step,omitempty"`
	StepName   string            `json:"step_name,omitempty"`
	To         *Assignee         `json:"to,omitempty"`
	ToStep     string            `json:"to_step,omitempty"`
	Comment    string            `json:"comment,omitempty"`
	Fields     map[string]string `json:"fields,omitempty"`
}

// NextTask names an assignee for a chosen step, a forward or an added reviewer.
type NextTask struct {
	Assignee Assignee       `json:"assignee"`
	Lead     bool           `json:"lead,omitempty"`
	Limit    calendar.Limit `json:"limit,omitzero"` // overrides the step's limit (承办: each handler's own)
}

// Request is what the actor asks for.
type Request struct {
	Op Op `json:"op"`
	// Task is the task acted on: the actor's open task, the task urged, or for
	// a withdrawal the actor's finished task.
	Task       int               `json:"task"`
	Comment    string            `json:"comment,omitempty"`
	ToStep     string            `json:"to_step,omitempty"` // return target, by step key
	Next       []NextTask        `json:"next,omitempty"`
	OnBehalfOf string            `json:"on_behalf_of,omitempty"`
	Fields     map[string]string `json:"fields,omitempty"`
	// Step, when set, is the key of the step the task must be on: a request
	// made for one step's operation (批量签收 names "sign_for") is refused on
	// a task of any other, so that it cannot be used to do another's work.
	Step string `json:"step,omitempty"`
}

// Refusal is an operation refused by the rules; Error is in Chinese for the user.
// A refusal that names an assignee keeps it, so that the edge that knows the
// units and people can name them (Name) instead of showing their IDs.
type Refusal struct {
	Msg    string
	format string
	args   []any
}

func (r *Refusal) Error() string { return r.Msg }

func refuse(format string, a ...any) error {
	return &Refusal{Msg: fmt.Sprintf(format, a...), format: format, args: a}
}

// Assignees are the assignees the message names.
func (r *Refusal) Assignees() []Assignee {
	var out []Assignee
	for _, a := range r.args {
		if as, ok := a.(Assignee); ok {
			out = append(out, as)
		}
	}
	return out
}

// Name rewrites the message with each assignee it names said by name(a),
// e.g. "区财政局负责人" for the leader of a unit given by its ID.
func (r *Refusal) Name(name func(Assignee) string) {
	if len(r.Assignees()) == 0 || name == nil {
		return
	}
	args := make([]any, len(r.args))
	for i, a := range r.args {
		if as, ok := a.(Assignee); ok {
			args[i] = name(as)
		} else {
			args[i] = a
		}
	}
	r.Msg = fmt.Sprintf(r.format, args...)
}

// Engine applies operations. It holds the calendar for due times and nothing else.
type Engine struct {
	Calendar *calendar.Calendar
}

// DefaultAckLimit applies when neither the step nor the template sets a
// handover limit: one working day.
func DefaultAckLimit() calendar.Limit { return calendar.Days(1) }

// StartOptions are an instance's starting parameters.
type StartOptions struct {
	ID      string
	Starter string
	Scope   map[string]string
	// First overrides the first step's assignees (e.g. the receiving unit of an
	// incoming item) and its limit (e.g. the sign-for limit by urgency).
	First []NextTask
}

// AssignScope is the scope key that gives one instance's task at a step to
// one person (Scope[AssignScope("sign_off")] = a person's ID) in place of the
// template's actors: a module's rules decide it when the route starts (the
// 签发 leader by the 条例), while the template stays the office's.
func AssignScope(step string) string { return "assign." + step }

// Start creates an instance at its first step.
func (e Engine) Start(t Template, opt StartOptions, now time.Time) (Instance, []Event, error) {
	if err := t.Validate(); err != nil {
		return Instance{}, nil, err
	}
	if opt.Starter == "" {
		return Instance{}, nil, refuse("未指定发起人")
	}
	in := Instance{
		ID: opt.ID, Starter: opt.Starter, Template: t, Status: Active,
		Scope: map[string]string{}, Data: map[string]string{},
		StartedAt: now, UpdatedAt: now,
	}
	for k, v := range opt.Scope {
		in.Scope[k] = v
	}
	tx := in.begin(now)
	tx.emit(Event{Type: EvStart, Actor: opt.Starter, Step: t.Steps[0].Key, StepName: t.Steps[0].Name})
	if err := e.enter(tx, 0, opt.First, 0, opt.Starter); err != nil {
		return Instance{}, nil, err
	}
	return tx.in, tx.events, nil
}

// txn collects one operation's changes and events.
type txn struct {
	in     Instance
	events []Event
	now    time.Time
}

func (in Instance) begin(now time.Time) *txn {
	c := in.clone()
	c.Txn++
	c.UpdatedAt = now
	return &txn{in: c, now: now}
}

func (tx *txn) emit(ev Event) {
	tx.in.Seq++
	ev.Seq, ev.Txn, ev.At = tx.in.Seq, tx.in.Txn, tx.now
	tx.events = append(tx.events, ev)
}

func (tx *txn) task(id int) *Task {
	if i := tx.in.taskIndex(id); i >= 0 {
		return &tx.in.Tasks[i]
	}
	return nil
}

// resolve fills scope placeholders and the starter.
func (in Instance) resolve(a Assignee) (Assignee, error) {
	if a.Kind == Starter {
		return Assignee{Kind: Person, Person: in.Starter}, nil
	}
	if strings.HasPrefix(a.Unit, "{") && strings.HasSuffix(a.Unit, "}") {
		u, ok := in.Scope[strings.Trim(a.Unit, "{}")]
		if !ok || u == "" {
			return a, refuse("流程范围缺少“%s”，无法确定办理单位", a.Unit)
		}
		a.Unit = u
	}
	return a, a.validate()
}

// enter moves the instance to step idx and hands it over to its assignees.
func (e Engine) enter(tx *txn, idx int, chosen []NextTask, from int, fromActor string) error {
	st := tx.in.Template.Steps[idx]
	next := chosen
	if len(next) == 0 {
		switch p := tx.in.Scope[AssignScope(st.Key)]; {
		case st.Chosen:
			return refuse("请选择下一环节“%s”的办理人", st.Name)
		case p != "":
			next = []NextTask{{Assignee: Assignee{Kind: Person, Person: p}}}
		default:
			for _, a := range st.Actors {
				next = append(next, NextTask{Assignee: a})
			}
		}
	}
	if !st.Parallel && len(next) != 1 {
		return refuse("“%s”是串行环节，只能有一名办理人", st.Name)
	}
	if st.Lead {
		leads := 0
		for _, n := range next {
			if n.Lead {
				leads++
			}
		}
		if leads != 1 {
			return refuse("“%s”须指定且只能指定一个主办", st.Name)
		}
	}
	tx.in.Current = idx
	seen := map[Assignee]bool{}
	for _, n := range next {
		a, err := tx.in.resolve(n.Assignee)
		if err != nil {
			return err
		}
		if seen[a] {
			return refuse("“%s”的办理人 %s 重复", st.Name, a)
		}
		seen[a] = true
		tx.in.Branches++
		if err := e.open(tx, idx, tx.in.Branches, a, n, from, fromActor); err != nil {
			return err
		}
	}
	return nil
}

// open creates a task (a handover) at step idx in branch.
func (e Engine) open(tx *txn, idx, branch int, a Assignee, n NextTask, from int, fromActor string) error {
	st := tx.in.Template.Steps[idx]
	t := Task{
		ID: len(tx.in.Tasks) + 1, Step: idx, Branch: branch, Assignee: a, Lead: n.Lead,
		Status: Open, From: from, FromActor: fromActor, HandedAt: tx.now, OpenTxn: tx.in.Txn,
	}
	limit := st.Limit
	if !n.Limit.IsZero() {
		limit = n.Limit
	}
	if e.Calendar != nil {
		due, _, err := e.Calendar.Due(tx.now, limit)
		if err != nil {
			return refuse("“%s”的时限无效：%v", st.Name, err)
		}
		t.Due = due
		ack := st.AckLimit
		if ack.IsZero() {
			ack = tx.in.Template.AckLimit
		}
		if ack.IsZero() {
			// Nothing may sit unacknowledged between two people for ever.
			ack = DefaultAckLimit()
		}
		if t.AckDue, _, err = e.Calendar.Due(tx.now, ack); err != nil {
			return refuse("“%s”的交接时限无效：%v", st.Name, err)
		}
	}
	// Handing work to oneself needs no acknowledgement.
	if a.Kind == Person && a.Person == fromActor {
		t.AckedBy, t.AckedAt = fromActor, tx.now
	}
	tx.in.Tasks = append(tx.in.Tasks, t)
	to := a
	tx.emit(Event{Type: EvHandover, Actor: fromActor, Task: t.ID, Step: st.Key, StepName: st.Name, To: &to})
	return nil
}
