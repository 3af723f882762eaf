package route

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// The cast: a 科室 (sec1) drafts, the office reviews and issues, two units
// countersign, the organ's leader signs off (or his secretary under delegation).
var (
	drafter   = Actor{Principal: Principal{ID: "d1", Units: []string{"sec1"}}}
	secHead   = Actor{Principal: Principal{ID: "l1", Units: []string{"sec1"}, Leads: []string{"sec1"}}}
	reviewer  = Actor{Principal: Principal{ID: "r1", Units: []string{"office"}, Roles: []RoleGrant{{RoleOfficeReviewer, "office"}}}}
	clerk     = Actor{Principal: Principal{ID: "c1", Units: []string{"office"}, Roles: []RoleGrant{{RoleOfficeClerk, "office"}}}}
	archivist = Actor{Principal: Principal{ID: "a1", Units: []string{"office"}, Roles: []RoleGrant{{RoleArchivist, "office"}}}}
	member2   = Actor{Principal: Principal{ID: "m2", Units: []string{"u2"}}}
	member3   = Actor{Principal: Principal{ID: "m3", Units: []string{"u3"}}}
	boss      = Actor{Principal: Principal{ID: "boss", Units: []string{"organ"}, Leads: []string{"organ"}}}
	secretary = Actor{Principal: Principal{ID: "sec", Units: []string{"organ"}}, Delegations: []Principal{boss.Principal}}
	urger     = Actor{Principal: Principal{ID: "s1", Units: []string{"office"}, Roles: []RoleGrant{{RoleSupervisor, "office"}}}}
	stranger  = Actor{Principal: Principal{ID: "x", Units: []string{"elsewhere"}}}
)

var scope = map[string]string{ScopeUnit: "sec1", ScopeOffice: "office", ScopeOrgan: "organ"}

func engine(t testing.TB) Engine {
	t.Helper()
	c, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	return Engine{Calendar: c}
}

func monday(h, m int) time.Time {
	return time.Date(2026, 3, 2, h, m, 0, 0, calendar.Shanghai())
}

// flow drives an instance through a scenario, failing on the first surprise.
type flow struct {
	t      *testing.T
	e      Engine
	in     Instance
	events []Event
	now    time.Time
}

func startOutgoing(t *testing.T) *flow {
	e := engine(t)
	now := monday(9, 0)
	in, evs, err := e.Start(Outgoing(), StartOptions{ID: "doc-1", Starter: "d1", Scope: scope}, now)
	if err != nil {
		t.Fatal(err)
	}
	return &flow{t: t, e: e, in: in, events: evs, now: now}
}

func (f *flow) open(a Actor) Task {
	f.t.Helper()
	for _, t := range f.in.OpenTasks() {
		if _, ok := entitled(a, t.Assignee, true, ""); ok {
			return t
		}
	}
	f.t.Fatalf("%s has no open task at %s", a.ID, f.in.CurrentStep().Name)
	return Task{}
}

func (f *flow) do(a Actor, req Request) {
	f.t.Helper()
	f.now = f.now.Add(10 * time.Minute)
	if req.Task == 0 {
		req.Task = f.open(a).ID
	}
	in, evs, err := f.e.Apply(f.in, a, req, f.now)
	if err != nil {
		f.t.Fatalf("%s %s at %s: %v", a.ID, req.Op, f.in.CurrentStep().Name, err)
	}
	if len(evs) == 0 || evs[0].Seq != f.in.Seq+1 {
		f.t.Fatalf("events not continuing the sequence: %+v", evs)
	}
	f.in, f.events = in, append(f.events, evs...)
}

func (f *flow) refused(a Actor, req Request, want string) {
	f.t.Helper()
	before, _ := json.Marshal(f.in)
	in, evs, err := f.e.Apply(f.in, a, req, f.now)
	var r *Refusal
	if !errors.As(err, &r) || !strings.Contains(err.Error(), want) {
		f.t.Fatalf("%s %s: err = %v, want refusal mentioning %q", a.ID, req.Op, err, want)
	}
	after, _ := json.Marshal(in)
	if evs != nil || string(before) != string(after) {
		f.t.Fatal("a refusal must leave the state unchanged")
	}
}

func (f *flow) at(key string) {
	f.t.Helper()
	if got := f.in.CurrentStep().Key; got != key {
		f.t.Fatalf("at step %s, want %s", got, key)
	}
}

func TestOutgoingEndToEnd(t *testing.T) {
	f := startOutgoing(t)
	f.at("draft")
	f.do(drafter, Request{Op: Approve})
	f.at("unit_review")
	// The section head returns it with a reason; it goes back to the drafter in person.
	f.refused(secHead, Request{Op: Return, Task: f.open(secHead).ID, ToStep: "draft"}, "理由")
	f.do(secHead, Request{Op: Return, ToStep: "draft", Comment: "请补充经费测算"})
	f.at("draft")
	if tk := f.open(drafter); tk.Assignee != (Assignee{Kind: Person, Person: "d1"}) {
		t.Fatalf("returned to %v", tk.Assignee)
	}
	f.do(drafter, Request{Op: Approve, Comment: "已补充"})
	f.do(secHead, Request{Op: Approve})
	f.at("review")
	// The reviewer chooses the co-signing units (choosing none passes the
	// 会签 over: TestOptionalStepPassedOver).
	rv := f.open(reviewer).ID
	f.do(reviewer, Request{Op: Approve, Task: rv, Next: []NextTask{
		{Assignee: Assignee{Kind: Unit, Unit: "u2"}}, {Assignee: Assignee{Kind: Unit, Unit: "u3"}},
	}})
	f.at("countersign")
	// Nobody at u2/u3 has acted yet: the reviewer may withdraw, and then send again.
	f.do(reviewer, Request{Op: Withdraw, Task: rv})
	f.at("review")
	f.do(reviewer, Request{Op: Approve, Next: []NextTask{
		{Assignee: Assignee{Kind: Unit, Unit: "u2"}}, {Assignee: Assignee{Kind: Unit, Unit: "u3"}},
	}})
	f.refused(stranger, Request{Op: Approve, Task: f.open(member2).ID}, "不是")
	f.refused(member2, Request{Op: Disagree, Task: f.open(member2).ID}, "意见")
	f.do(member2, Request{Op: Acknowledge})
	f.do(member2, Request{Op: Disagree, Comment: "第三条与我局职责不符"})
	// Once a co-signer has acted, the reviewer can no longer withdraw.
	f.refused(reviewer, Request{Op: Withdraw, Task: f.in.Tasks[len(f.in.Tasks)-3].ID}, "已办理")
	f.at("countersign")
	f.do(member3, Request{Op: Approve, Comment: "同意"})
	f.at("sign_off")
	// The leader's secretary signs off under delegation; both are recorded.
	f.refused(secretary, Request{Op: Approve, Task: f.open(secretary).ID}, "意见")
	f.do(secretary, Request{Op: Approve, Comment: "同意印发。"})
	signed := f.in.Tasks[len(f.in.Tasks)-2]
	if signed.ActedBy != "sec" || signed.OnBehalfOf != "boss" || signed.Comment != "同意印发。" {
		t.Fatalf("sign-off not recorded with both people: %+v", signed)
	}
	f.at("number")
	f.do(clerk, Request{Op: Approve, Fields: map[string]string{"doc_number": "区政办发〔2026〕12号"}})
	f.do(reviewer, Request{Op: Approve})
	f.at("print_issue")
	f.refused(clerk, Request{Op: Approve, Task: f.open(clerk).ID, Fields: map[string]string{"print_date": "2026-03-03"}}, "份数")
	f.do(clerk, Request{Op: Approve, Fields: map[string]string{"print_date": "2026-03-03", "copies": "50"}})
	if f.in.Data["print_issue.copies"] != "50" {
		t.Fatalf("fields not recorded: %v", f.in.Data)
	}
	f.do(clerk, Request{Op: Approve})
	f.at("archive")
	f.refused(urger, Request{Op: Approve, Task: f.open(archivist).ID}, "不是")
	f.do(urger, Request{Op: Urge, Task: f.open(archivist).ID, Comment: "请尽快归档"})
	if f.open(archivist).Urges != 1 {
		t.Fatal("urge not recorded on the task")
	}
	f.do(archivist, Request{Op: Approve})
	if f.in.Status != Done || len(f.in.OpenTasks()) != 0 {
		t.Fatalf("not done: %s, %d open", f.in.Status, len(f.in.OpenTasks()))
	}
	f.refused(archivist, Request{Op: Approve, Task: 1}, "已办结")

	// The track knows every task and the events tell the whole story.
	var types []EventType
	for _, ev := range f.events {
		types = append(types, ev.Type)
	}
	for _, want := range []EventType{EvReturn, EvWithdraw, EvDisagree, EvUrge, EvComplete} {
		if !containsType(types, want) {
			t.Errorf("no %s event in %v", want, types)
		}
	}
	for i, ev := range f.events {
		if ev.Seq != i+1 {
			t.Fatalf("event %d has seq %d", i, ev.Seq)
		}
	}
	if rows := f.e.Track(f.in, f.now); len(rows) != len(f.in.Tasks) {
		t.Fatal("track misses tasks")
	}
}

func containsType(list []EventType, x EventType) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

func TestIncomingEndToEnd(t *testing.T) {
	e := engine(t)
	townClerk := Actor{Principal: Principal{ID: "tc", Units: []string{"town"}, Roles: []RoleGrant{{RoleOfficeClerk, "town"}}}}
	townHead := Actor{Principal: Principal{ID: "th", Units: []string{"town"}, Roles: []RoleGrant{{RoleOfficeHead, "town"}}}}
	mayor := Actor{Principal: Principal{ID: "mayor", Units: []string{"town"}, Leads: []string{"town"}}}
	h1 := Actor{Principal: Principal{ID: "h1", Units: []string{"sec-a"}}}
	h2 := Actor{Principal: Principal{ID: "h2", Units: []string{"sec-b"}}}
	deputy := Actor{Principal: Principal{ID: "dep", Units: []string{"town"}}}
	townArch := Actor{Principal: Principal{ID: "ta", Units: []string{"town"}, Roles: []RoleGrant{{RoleArchivist, "town"}}}}

	now := time.Date(2026, 3, 6, 16, 0, 0, 0, calendar.Shanghai()) // Friday afternoon
	in, _, err := e.Start(Incoming(), StartOptions{ID: "in-1", Starter: "system", Scope: map[string]string{ScopeUnit: "town"},
		First: []NextTask{{Assignee: Assignee{Kind: Role, Role: RoleOfficeClerk, Unit: "town"}, Limit: calendar.Hours(4)}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	f := &flow{t: t, e: e, in: in, now: now}
	if due := f.in.Tasks[0].Due; !due.Equal(time.Date(2026, 3, 9, 11, 0, 0, 0, calendar.Shanghai())) {
		t.Fatalf("sign-for due %s, want Monday 11:00 (1.5h Friday + 2.5h Monday)", due)
	}
	// Nobody signs for it: by Monday noon it is flagged as an unacknowledged handover and overdue.
	flags := e.Flags(f.in, time.Date(2026, 3, 9, 12, 0, 0, 0, calendar.Shanghai()))
	if len(flags) != 2 || flags[0].Kind != Unacknowledged || flags[1].Kind != Late {
		t.Fatalf("flags = %+v", flags)
	}
	f.do(townClerk, Request{Op: Approve})
	f.do(townClerk, Request{Op: Approve, Fields: map[string]string{"incoming_number": "镇收〔2026〕8号"}})
	f.at("propose")
	f.refused(townHead, Request{Op: Approve, Task: f.open(townHead).ID}, "意见")
	f.do(townHead, Request{Op: Approve, Comment: "拟请张镇长阅示", Next: []NextTask{{Assignee: Assignee{Kind: Leader, Unit: "town"}}}})
	f.at("instruct")
	instruction := "请党政办牵头，经发办配合，  于3月20日前报送方案。\n"
	f.do(mayor, Request{Op: Approve, Comment: instruction, Next: []NextTask{
		{Assignee: Assignee{Kind: Person, Person: "h1"}, Lead: true, Limit: calendar.Days(10)},
		{Assignee: Assignee{Kind: Person, Person: "h2"}, Limit: calendar.Days(5)},
	}})
	if got := f.in.Tasks[len(f.in.Tasks)-3].Comment; got != instruction {
		t.Fatalf("instruction not kept verbatim: %q", got)
	}
	f.at("handle")
	var lead, co Task
	for _, tk := range f.in.OpenTasks() {
		if tk.Lead {
			lead = tk
		} else {
			co = tk
		}
	}
	if lead.Assignee.Person != "h1" || co.Assignee.Person != "h2" || !lead.Due.After(co.Due) {
		t.Fatalf("lead/co-handler limits wrong: %+v %+v", lead, co)
	}
	// h2 forwards to a colleague, who acknowledges and handles it.
	f.do(h2, Request{Op: Forward, Next: []NextTask{{Assignee: Assignee{Kind: Person, Person: "h3"}}}})
	h3 := Actor{Principal: Principal{ID: "h3", Units: []string{"sec-b"}}}
	f.do(h3, Request{Op: Approve, Comment: "配合意见已报牵头单位"})
	f.do(h1, Request{Op: Approve, Comment: "方案已报送", Next: []NextTask{
		{Assignee: Assignee{Kind: Person, Person: "mayor"}}, {Assignee: Assignee{Kind: Person, Person: "dep"}},
	}})
	f.at("circulate")
	f.do(mayor, Request{Op: Approve})
	read, unread := f.in.Circulation("circulate")
	if len(read) != 1 || len(unread) != 1 || unread[0].Assignee.Person != "dep" {
		t.Fatalf("circulation read=%v unread=%v", read, unread)
	}
	f.do(deputy, Request{Op: Approve})
	f.at("close")
	f.do(townClerk, Request{Op: Approve, Comment: "已答复区政府办"})
	f.do(townArch, Request{Op: Approve})
	if f.in.Status != Done {
		t.Fatal("incoming item not closed")
	}
}

func TestRefusals(t *testing.T) {
	f := startOutgoing(t)
	f.do(drafter, Request{Op: Approve})
	task := f.open(secHead).ID
	cases := []struct {
		name  string
		actor Actor
		req   Request
		want  string
	}{
		{"stranger approves", stranger, Request{Op: Approve, Task: task}, "不是"},
		{"unknown task", secHead, Request{Op: Approve, Task: 99}, "不存在"},
		{"return forward in time", secHead, Request{Op: Return, Task: task, ToStep: "archive", Comment: "x"}, "此前"},
		{"return to unknown step", secHead, Request{Op: Return, Task: task, ToStep: "nowhere", Comment: "x"}, "此前"},
		{"disagree outside countersign", secHead, Request{Op: Disagree, Task: task, Comment: "x"}, "不能选择不同意"},
		{"choose fixed next", secHead, Request{Op: Approve, Task: task, Next: []NextTask{{Assignee: Assignee{Kind: Person, Person: "x"}}}}, "不能另选"},
		{"unknown field", secHead, Request{Op: Approve, Task: task, Fields: map[string]string{"copies": "3"}}, "没有"},
		{"urge by stranger", stranger, Request{Op: Urge, Task: task}, "催办"},
		{"urge oneself", secHead, Request{Op: Urge, Task: task}, "可以催办"},
		{"forward nobody", secHead, Request{Op: Forward, Task: task}, "一名"},
		{"withdraw others'", secHead, Request{Op: Withdraw, Task: 1}, "本人"},
		{"delegate op", secHead, Request{Op: Delegate, Task: task}, "委托"},
		{"unknown op", secHead, Request{Op: "jump", Task: task}, "不支持"},
		{"no actor", Actor{}, Request{Op: Approve, Task: task}, "操作人"},
		{"acting for someone who did not delegate", secretary, Request{Op: Approve, Task: task, OnBehalfOf: "l1"}, "不是"},
		// A request made for one step's operation refuses a task of another.
		{"task of another step", secHead, Request{Op: Approve, Task: task, Step: "sign_off"}, "不在“领导签发”环节"},
		{"task of an unknown step", secHead, Request{Op: Approve, Task: task, Step: "sign_for"}, "不能在此办理"},
		{"missing task of a step", secHead, Request{Op: Approve, Task: 99, Step: "review"}, "不存在"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f.t = t
			f.refused(tc.actor, tc.req, tc.want)
		})
	}
	f.t = t
	// Naming the task's own step changes nothing.
	if _, _, err := f.e.Apply(f.in, secHead, Request{Op: Approve, Task: task, Step: f.in.Template.Steps[f.in.Tasks[task-1].Step].Key}, f.now); err != nil {
		t.Errorf("approving with the task's own step: %v", err)
	}
	// The drafter may urge (starter) and withdraw while the head has not acted.
	f.do(drafter, Request{Op: Urge, Task: task, Comment: "领导请审核"})
	f.do(secHead, Request{Op: Acknowledge})
	f.refused(secHead, Request{Op: Acknowledge, Task: task}, "重复")
	f.do(drafter, Request{Op: Withdraw, Task: 1})
	f.at("draft")
}

func TestDelegationNotAllowed(t *testing.T) {
	f := startOutgoing(t)
	// The drafting step does not allow delegation: the secretary cannot act for anyone there.
	del := Actor{Principal: Principal{ID: "p"}, Delegations: []Principal{drafter.Principal}}
	f.refused(del, Request{Op: Approve, Task: 1}, "不是")
	f.refused(del, Request{Op: Approve, Task: 1, OnBehalfOf: "d1"}, "不允许委托")
}

func TestAddReviewerAndAnyCompletion(t *testing.T) {
	e := engine(t)
	tmpl := Template{Kind: "test", Name: "测试", Steps: []Step{
		{Key: "a", Name: "甲", Actors: []Assignee{{Kind: Starter}}, Ops: []Op{AddReviewer}},
		{Key: "b", Name: "乙", Parallel: true, Completion: Any, Actors: []Assignee{{Kind: Person, Person: "p1"}, {Kind: Person, Person: "p2"}}},
		{Key: "c", Name: "丙", Actors: []Assignee{{Kind: Person, Person: "p3"}}},
	}}
	in, _, err := e.Start(tmpl, StartOptions{Starter: "s"}, monday(9, 0))
	if err != nil {
		t.Fatal(err)
	}
	f := &flow{t: t, e: e, in: in, now: monday(9, 0)}
	s := Actor{Principal: Principal{ID: "s"}}
	f.do(s, Request{Op: AddReviewer, Next: []NextTask{{Assignee: Assignee{Kind: Person, Person: "extra"}}}})
	f.refused(s, Request{Op: AddReviewer, Task: 1, Next: []NextTask{{Assignee: Assignee{Kind: Person, Person: "extra"}}}}, "已在")
	f.do(s, Request{Op: Approve})
	f.at("a") // the added reviewer must finish too
	f.do(Actor{Principal: Principal{ID: "extra"}}, Request{Op: Approve})
	f.at("b")
	f.do(Actor{Principal: Principal{ID: "p2"}}, Request{Op: Approve})
	f.at("c") // any-one: p1's task was cancelled
	if len(f.in.OpenTasks()) != 1 {
		t.Fatalf("open tasks: %+v", f.in.OpenTasks())
	}
}

func TestTemplateValidation(t *testing.T) {
	bad := []struct {
		name string
		mut  func(*Template)
		want string
	}{
		{"no steps", func(t *Template) { t.Steps = nil }, "没有环节"},
		{"dup key", func(t *Template) { t.Steps[1].Key = "draft" }, "重复"},
		{"chosen first", func(t *Template) { t.Steps[0] = Step{Key: "x", Name: "x", Chosen: true} }, "第一个"},
		{"both chosen and fixed", func(t *Template) { t.Steps[3].Actors = []Assignee{{Kind: Unit, Unit: "u"}} }, "二选一"},
		{"serial with two", func(t *Template) { t.Steps[1].Actors = append(t.Steps[1].Actors, Assignee{Kind: Person, Person: "p"}) }, "串行"},
		{"bad limit", func(t *Template) { t.Steps[1].Limit = calendar.Limit{Unit: "weeks", N: 1} }, "单位"},
		{"bad op", func(t *Template) { t.Steps[1].Ops = []Op{"teleport"} }, "操作"},
		{"bad assignee", func(t *Template) { t.Steps[1].Actors = []Assignee{{Kind: Role, Role: "x"}} }, "单位和岗位"},
	}
	for _, tc := range bad {
		tmpl := Outgoing()
		tc.mut(&tmpl)
		if err := tmpl.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	for _, tmpl := range []Template{Outgoing(), Incoming()} {
		if err := tmpl.Validate(); err != nil {
			t.Errorf("default %s: %v", tmpl.Name, err)
		}
	}
	if _, _, err := engine(t).Start(Outgoing(), StartOptions{Starter: "d1", Scope: map[string]string{ScopeUnit: "sec1"}}, monday(9, 0)); err != nil {
		t.Fatal(err) // the office is needed only when the route gets there
	}
}

func TestInstanceJSONRoundTrip(t *testing.T) {
	f := startOutgoing(t)
	f.do(drafter, Request{Op: Approve})
	b, err := json.Marshal(f.in)
	if err != nil {
		t.Fatal(err)
	}
	var back Instance
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalise(back), normalise(f.in)) {
		t.Fatalf("round trip differs:\n%+v\n%+v", back, f.in)
	}
	// The loaded state keeps working.
	f.in = back
	f.do(secHead, Request{Op: Approve})
}

// normalise makes times comparable after JSON (monotonic clock, location).
func normalise(in Instance) string {
	b, _ := json.Marshal(in)
	return string(b)
}

// TestAssignScope: an instance whose scope names the 签发 leader hands the
// sign-off to that person alone, not to the organ's leaders; a return to it
// goes back to them; other steps keep the template's actors.
func TestAssignScope(t *testing.T) {
	e := engine(t)
	now := monday(9, 0)
	sc := map[string]string{AssignScope("sign_off"): "deputy"}
	for k, v := range scope {
		sc[k] = v
	}
	in, evs, err := e.Start(Outgoing(), StartOptions{ID: "doc-2", Starter: "d1", Scope: sc}, now)
	if err != nil {
		t.Fatal(err)
	}
	f := &flow{t: t, e: e, in: in, events: evs, now: now}
	deputy := Actor{Principal: Principal{ID: "deputy", Units: []string{"organ"}}}
	f.do(drafter, Request{Op: Approve})
	f.do(secHead, Request{Op: Approve})
	f.do(reviewer, Request{Op: Approve, Next: []NextTask{{Assignee: Assignee{Kind: Unit, Unit: "u2"}}}})
	f.do(member2, Request{Op: Approve, Comment: "同意"})
	f.at("sign_off")
	if tk := f.open(deputy); tk.Assignee != (Assignee{Kind: Person, Person: "deputy"}) {
		t.Fatalf("sign-off went to %v", tk.Assignee)
	}
	f.refused(boss, Request{Op: Approve, Task: f.open(deputy).ID, Comment: "同意"}, "不是")
	f.do(deputy, Request{Op: Approve, Comment: "同意印发。"})
	f.at("number")
	f.do(clerk, Request{Op: Return, ToStep: "sign_off", Comment: "请再审"})
	f.open(deputy)
}

// TestOptionalStepPassedOver: a 会签 nobody is chosen for is passed over —
// the 签发 is next, the event log says so, and the reviewer may still
// withdraw; a chosen step that is not optional (批办) still asks for someone,
// and only a chosen step may be optional.
func TestOptionalStepPassedOver(t *testing.T) {
	f := startOutgoing(t)
	f.do(drafter, Request{Op: Approve})
	f.do(secHead, Request{Op: Approve})
	f.at("review")
	rv := f.open(reviewer).ID
	f.do(reviewer, Request{Op: Approve, Task: rv, Comment: "不涉及其他单位，无需会签"})
	f.at("sign_off")
	skipped := false
	for _, ev := range f.events {
		if ev.Type == EvSkip && ev.Step == "countersign" && ev.Actor == "r1" {
			skipped = true
		}
	}
	if !skipped {
		t.Fatalf("no skip event for the 会签: %+v", f.events)
	}
	if tk := f.open(boss); tk.From != rv {
		t.Errorf("the 签发 task comes from task %d, want the 核稿 %d", tk.From, rv)
	}
	f.do(reviewer, Request{Op: Withdraw, Task: rv})
	f.at("review")

	e := engine(t)
	in, _, err := e.Start(Incoming(), StartOptions{ID: "in-1", Starter: "system", Scope: map[string]string{ScopeUnit: "town"},
		First: []NextTask{{Assignee: Assignee{Kind: Role, Role: RoleOfficeClerk, Unit: "town"}}}}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	g := &flow{t: t, e: e, in: in, now: f.now}
	townClerk := Actor{Principal: Principal{ID: "tc", Units: []string{"town"}, Roles: []RoleGrant{{RoleOfficeClerk, "town"}}}}
	townHead := Actor{Principal: Principal{ID: "th", Units: []string{"town"}, Roles: []RoleGrant{{RoleOfficeHead, "town"}}}}
	g.do(townClerk, Request{Op: Approve})
	g.do(townClerk, Request{Op: Approve})
	g.refused(townHead, Request{Op: Approve, Task: g.open(townHead).ID, Comment: "拟请镇长阅示"}, "请选择下一环节“批办”")

	bad := Outgoing()
	bad.Steps[1].Optional = true
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "才可不选") {
		t.Errorf("an optional step with fixed assignees: %v", err)
	}
}

// TestTemplateFrom: a template from a step on keeps that step and the ones
// after it as they are, does not change the template it came from, and
// refuses a step that is not there or whose actors the step before chooses.
func TestTemplateFrom(t *testing.T) {
	out := Outgoing()
	cases := []struct {
		key   string
		first string
		n     int
		ok    bool
	}{
		{"distribute", "distribute", 2, true},
		{"draft", "draft", len(out.Steps), true},
		{"archive", "archive", 1, true},
		{"countersign", "", 0, false},
		{"nowhere", "", 0, false},
	}
	for _, c := range cases {
		got, err := out.From(c.key)
		if c.ok != (err == nil) {
			t.Fatalf("From(%q): %v", c.key, err)
		}
		if !c.ok {
			continue
		}
		if len(got.Steps) != c.n || got.Steps[0].Key != c.first || got.Kind != out.Kind || got.Validate() != nil {
			t.Errorf("From(%q) = %d steps from %q (%v)", c.key, len(got.Steps), got.Steps[0].Key, got.Validate())
		}
		in, _, err := (Engine{}).Start(got, StartOptions{ID: "d1", Starter: "p1", Scope: map[string]string{ScopeOffice: "office"}}, time.Now())
		if err != nil || len(in.OpenTasks()) != 1 || in.Template.Steps[in.OpenTasks()[0].Step].Key != c.first {
			t.Errorf("From(%q) started at %v (%v)", c.key, in.OpenTasks(), err)
		}
	}
	if len(out.Steps) != len(Outgoing().Steps) || out.Steps[0].Key != "draft" {
		t.Error("From changed its template")
	}
}
