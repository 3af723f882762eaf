package request

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// Rules applies the operations. It holds the calendar (for the route's due
// times) and nothing else.
type Rules struct {
	Calendar *calendar.Calendar
}

func (r Rules) engine() route.Engine { return route.Engine{Calendar: r.Calendar} }

// errNoCalendar is a wiring mistake, not a rule.
var errNoCalendar = errors.New("request: Rules has no calendar")

// New is what a person fills in to ask for a seal or a car.
type New struct {
	ID       string
	Kind     Kind
	UnitID   string // the requesting unit: one the requester works in
	OfficeID string // the office keeping the seal / dispatching the cars
	Reason   string
	Seal     *SealInfo
	Car      *CarInfo
}

// Validate checks a new request's own fields, with Chinese messages.
// seal is the seal asked for (用印 only).
func (n New) Validate(seal *Seal, now time.Time) error {
	if !n.Kind.Valid() {
		return refuse("未知的申请类别“%s”", n.Kind)
	}
	if n.UnitID == "" || n.OfficeID == "" {
		return refuse("未确定申请单位或办理的办公室")
	}
	if err := checkText("reason", "事由", MaxReason, n.Reason, true); err != nil {
		return err
	}
	switch n.Kind {
	case SealUse:
		s := n.Seal
		if s == nil || seal == nil || s.SealID == "" {
			return refuse("请选择印章")
		}
		if !seal.Active {
			return refuse("印章“%s”已停用，不能申请使用", seal.Name)
		}
		if err := checkText("material", "用印文件或材料", MaxMaterial, s.Material, true); err != nil {
			return err
		}
		if s.Copies < 1 || s.Copies > MaxCopies {
			return refuse("用印份数须在 1 至 %d 份之间", MaxCopies)
		}
	case CarUse:
		c := n.Car
		if c == nil {
			return refuse("请填写用车时间和目的地")
		}
		if c.Start.IsZero() || c.End.IsZero() {
			return refuse("请填写用车的起止时间")
		}
		if !c.End.After(c.Start) {
			return refuse("用车结束时间须晚于开始时间")
		}
		if c.End.Sub(c.Start) > MaxTrip {
			return refuse("一次用车不能超过 %d 天，请分次申请", int(MaxTrip/(24*time.Hour)))
		}
		if c.Start.Before(now.Add(-30 * time.Minute)) {
			return refuse("用车开始时间（%s）已过，请重新填写", Clock(c.Start))
		}
		if err := checkText("destination", "目的地", MaxDestination, c.Destination, true); err != nil {
			return err
		}
		if c.Passengers < 1 || c.Passengers > MaxPassengerN {
			return refuse("乘车人数须在 1 至 %d 人之间", MaxPassengerN)
		}
		if err := checkText("names", "乘车人员", MaxPassengers, c.Names, false); err != nil {
			return err
		}
	}
	return nil
}

// Create registers a request and submits it (申请 is finished at once): the
// route starts on the kind's template (the office's own, passed in) and goes
// to its first approver. A 用印 request's 用印 step goes to the seal's keeper.
func (r Rules) Create(t route.Template, n New, seal *Seal, actor route.Actor, now time.Time) (Request, []route.Event, error) {
	if r.Calendar == nil {
		return Request{}, nil, errNoCalendar
	}
	if t.Kind != string(n.Kind) {
		return Request{}, nil, refuse("流程模板“%s”不是%s流程", t.Name, n.Kind.Label())
	}
	if err := n.Validate(seal, now); err != nil {
		return Request{}, nil, err
	}
	if !actor.Matches(route.Assignee{Kind: route.Unit, Unit: n.UnitID}) {
		return Request{}, nil, refuse("只能以本人所在单位的名义申请")
	}
	sc := map[string]string{route.ScopeUnit: n.UnitID, route.ScopeOffice: n.OfficeID}
	if n.Kind == SealUse && seal.KeeperID != "" {
		sc[route.AssignScope(StepStamp)] = seal.KeeperID
	}
	in, evs, err := r.engine().Start(t, route.StartOptions{ID: n.ID, Starter: actor.ID, Scope: sc}, now)
	if err != nil {
		return Request{}, nil, fromRoute(err)
	}
	req := Request{ID: n.ID, Kind: n.Kind, UnitID: n.UnitID, OfficeID: n.OfficeID, Requester: actor.ID,
		Reason: strings.TrimSpace(n.Reason), Route: in, CreatedAt: now, UpdatedAt: now}
	if n.Seal != nil && n.Kind == SealUse {
		s := SealInfo{SealID: n.Seal.SealID, Material: strings.TrimSpace(n.Seal.Material), DocID: n.Seal.DocID, Copies: n.Seal.Copies}
		req.Seal = &s
	}
	if n.Car != nil && n.Kind == CarUse {
		c := CarInfo{Start: n.Car.Start, End: n.Car.End, Destination: strings.TrimSpace(n.Car.Destination),
			Passengers: n.Car.Passengers, Names: strings.TrimSpace(n.Car.Names)}
		req.Car = &c
	}
	// Submit: the requester's 申请 task is theirs and finishes now.
	task := openTask(in, StepApply)
	next, more, err := r.engine().Apply(in, actor, route.Request{Op: route.Approve, Task: task.ID, Step: StepApply}, now)
	if err != nil {
		return Request{}, nil, fromRoute(err)
	}
	req.Route = next
	req.Status = statusOf(req)
	return req, append(evs, more...), nil
}

// openTask is the first open task at the step with the key (zero if none).
func openTask(in route.Instance, key string) route.Task {
	for _, t := range in.OpenTasks() {
		if t.Step < len(in.Template.Steps) && in.Template.Steps[t.Step].Key == key {
			return t
		}
	}
	return route.Task{}
}

// recordSteps are the steps finished only by their own operation, which
// records what was done: 用印, 派车, 还车.
var recordSteps = map[string]string{StepStamp: "用印登记", StepDispatch: "派车", StepReturn: "还车登记"}

// Act applies a route operation (同意, 退回, 催办, 签收, 撤回, 重新提交) to a
// request. Finishing 用印, 派车 or 还车 goes through Stamp, Dispatch and
// Return, which record what the route alone does not.
func (r Rules) Act(req Request, actor route.Actor, op route.Request, now time.Time) (Request, []route.Event, error) {
	if req.Status == Cancelled {
		return req, nil, refuse("该申请已撤销")
	}
	if op.Op == route.Approve || op.Op == route.Disagree {
		if t, ok := req.Route.Task(op.Task); ok && t.Step < len(req.Route.Template.Steps) {
			if what, ok := recordSteps[req.Route.Template.Steps[t.Step].Key]; ok {
				return req, nil, refuse("“%s”环节请通过“%s”办理", req.Route.Template.Steps[t.Step].Name, what)
			}
		}
	}
	return r.apply(req, actor, op, now)
}

func (r Rules) apply(req Request, actor route.Actor, op route.Request, now time.Time) (Request, []route.Event, error) {
	next, evs, err := r.engine().Apply(req.Route, actor, op, now)
	if err != nil {
		return req, nil, fromRoute(err)
	}
	out := req.clone()
	out.Route = next
	out.UpdatedAt = now
	out.Status = statusOf(out)
	if out.Status == Finished && out.ClosedAt.IsZero() {
		out.ClosedAt = now
	}
	return out, evs, nil
}

func (req Request) clone() Request {
	out := req
	if req.Seal != nil {
		s := *req.Seal
		out.Seal = &s
	}
	if req.Car != nil {
		c := *req.Car
		out.Car = &c
	}
	return out
}

// finishAt finishes the actor's open task at step key.
func (r Rules) finishAt(req Request, actor route.Actor, key, comment string, now time.Time) (Request, []route.Event, error) {
	if req.Status == Cancelled {
		return req, nil, refuse("该申请已撤销")
	}
	if req.Step() != key {
		t, _ := Template(req.Kind)
		name := key
		if i := t.StepIndex(key); i >= 0 {
			name = t.Steps[i].Name
		}
		if i := req.Route.Template.StepIndex(key); i >= 0 {
			name = req.Route.Template.Steps[i].Name
		}
		return req, nil, refuse("该申请不在“%s”环节（当前：%s）", name, req.Status.Label(req.Kind))
	}
	task := route.Task{}
	for _, t := range req.Route.OpenTasks() {
		if req.Route.Template.Steps[t.Step].Key == key && actor.Matches(t.Assignee) {
			task = t
			break
		}
	}
	if task.ID == 0 {
		task = openTask(req.Route, key) // the engine names who should act
	}
	return r.apply(req, actor, route.Request{Op: route.Approve, Task: task.ID, Step: key, Comment: comment}, now)
}

// Stamp is the seal keeper's 用印: the seal is applied to usedCopies copies
// (no more than approved) and the use enters the 用印登记簿.
func (r Rules) Stamp(req Request, actor route.Actor, usedCopies int, comment string, now time.Time) (Request, []route.Event, error) {
	if req.Kind != SealUse || req.Seal == nil {
		return req, nil, refuse("这不是用印申请")
	}
	if usedCopies < 1 {
		return req, nil, refuse("请填写实际用印份数")
	}
	if usedCopies > req.Seal.Copies {
		return req, nil, refuse("实际用印份数（%d 份）超过批准的份数（%d 份）", usedCopies, req.Seal.Copies)
	}
	out, evs, err := r.finishAt(req, actor, StepStamp, comment, now)
	if err != nil {
		return req, nil, err
	}
	out.Seal.UsedCopies, out.Seal.UsedAt, out.Seal.UsedBy = usedCopies, now, actor.ID
	return out, evs, nil
}

// Dispatch is 派车: the vehicle and driver (of the request's office, active,
// with seats for the passengers) are checked against the other bookings, and
// the first conflict refuses with every conflict named (ConflictError).
// others are the office's bookings overlapping the trip (any others are
// ignored); names says how a booking is described in the message.
func (r Rules) Dispatch(req Request, actor route.Actor, v Vehicle, d Driver, others []Booking, names Namer, now time.Time) (Request, []route.Event, error) {
	if req.Kind != CarUse || req.Car == nil {
		return req, nil, refuse("这不是用车申请")
	}
	if v.UnitID != req.OfficeID || d.UnitID != req.OfficeID {
		return req, nil, refuse("只能派本办公室的车辆和驾驶员")
	}
	if !v.Active {
		return req, nil, refuse("车辆 %s 已停用", v.Plate)
	}
	if !d.Active {
		return req, nil, refuse("驾驶员 %s 已停用", d.Name)
	}
	if v.Seats > 0 && req.Car.Passengers > v.Seats-1 {
		return req, nil, refuse("车辆 %s 有 %d 个座位，除驾驶员外只能乘坐 %d 人，本次 %d 人", v.Plate, v.Seats, v.Seats-1, req.Car.Passengers)
	}
	b := Booking{RequestID: req.ID, VehicleID: v.ID, DriverID: d.ID, Start: req.Car.Start, End: req.Car.End}
	if cs := Conflicts(b, others); len(cs) > 0 {
		return req, nil, &ConflictError{Conflicts: cs, Msg: ConflictMessage(b, cs, names)}
	}
	out, evs, err := r.finishAt(req, actor, StepDispatch, "", now)
	if err != nil {
		return req, nil, err
	}
	out.Car.VehicleID, out.Car.DriverID, out.Car.DispatchedAt, out.Car.DispatchedBy = v.ID, d.ID, now, actor.ID
	return out, evs, nil
}

// Return is 还车登记: the odometer readings at departure and return, checked
// by CheckMileage against the vehicle's last reading; the route closes.
func (r Rules) Return(req Request, actor route.Actor, v Vehicle, odoStart, odoEnd int, now time.Time) (Request, []route.Event, error) {
	if req.Kind != CarUse || req.Car == nil {
		return req, nil, refuse("这不是用车申请")
	}
	if req.Car.VehicleID != v.ID {
		return req, nil, refuse("还车的车辆与派出的车辆不符")
	}
	if err := CheckMileage(v, odoStart, odoEnd, req.Car.Start, now); err != nil {
		return req, nil, err
	}
	out, evs, err := r.finishAt(req, actor, StepReturn, "", now)
	if err != nil {
		return req, nil, err
	}
	out.Car.OdoStart, out.Car.OdoEnd, out.Car.ReturnedAt, out.Car.ReturnedBy = odoStart, odoEnd, now, actor.ID
	return out, evs, nil
}

// Cancel is the requester's 撤销 of a request not yet done: a seal not yet
// applied, a car not yet out.
func (r Rules) Cancel(req Request, actor route.Actor, now time.Time) (Request, error) {
	if actor.ID != req.Requester {
		return req, refuse("只有申请人可以撤销申请")
	}
	switch req.Status {
	case Cancelled:
		return req, refuse("该申请已撤销")
	case Finished:
		return req, refuse("该申请已办结，不能撤销")
	case Dispatched:
		return req, refuse("车辆已派出，不能撤销，请在还车后登记")
	}
	out := req.clone()
	out.Status, out.UpdatedAt, out.ClosedAt = Cancelled, now, now
	return out, nil
}

// Told narrows who of people, the assignees of a route notice on the
// request, are told of it. Once a car is out its 还车登记 is the
// dispatcher's business: the other clerks of the office hold the step's role
// and may still register the return from their 待办, but they are not told
// of a trip they did not send (the requester has the dispatch note; the
// driver has no account and is told by the dispatcher). If the dispatcher no
// longer holds the step, everyone who does is told.
func (r Request) Told(n route.Notice, people []string) []string {
	if r.Car == nil || r.Car.DispatchedBy == "" {
		return people
	}
	t, ok := r.Route.Task(n.Task)
	if !ok || t.Step >= len(r.Route.Template.Steps) || r.Route.Template.Steps[t.Step].Key != StepReturn {
		return people
	}
	if slices.Contains(people, r.Car.DispatchedBy) {
		return []string{r.Car.DispatchedBy}
	}
	return people
}
