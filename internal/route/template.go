// Package route is Shuniu's one route engine. Documents, supervision items,
// meeting notices and seal/car requests all move through steps with people,
// deadlines and handovers; templates are data, an instance's state is a plain
// value, and every operation is a pure function
//
//	(state, actor, request, now) -> (new state, events, error)
//
// with Chinese refusals. The caller passes in who the actor is (id, units,
// roles, led units, delegations) as plain data; the engine imports neither
// storage nor web.
package route

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// AssigneeKind says how an assignee is matched against an actor.
type AssigneeKind string

const (
	// Person is one named person.
	Person AssigneeKind = "person"
	// Role is anyone holding Role in Unit (e.g. the office's 核稿 clerk).
	Role AssigneeKind = "role"
	// Leader is the leader of Unit.
	Leader AssigneeKind = "leader"
	// Unit is the unit as a whole: any member may receive and act for it.
	Unit AssigneeKind = "unit"
	// Starter is the person who started the instance (templates only; resolved at entry).
	Starter AssigneeKind = "starter"
)

// Assignee is who a task is for. In templates, Unit may be a scope
// placeholder such as "{unit}" or "{office}", filled from the instance's Scope.
type Assignee struct {
	Kind   AssigneeKind `json:"kind"`
	Person string       `json:"person,omitempty"`
	Role   string       `json:"role,omitempty"`
	Unit   string       `json:"unit,omitempty"`
}

// String describes the assignee in Chinese for messages.
func (a Assignee) String() string {
	switch a.Kind {
	case Person:
		return "人员 " + a.Person
	case Role:
		return fmt.Sprintf("%s 的 %s 岗", a.Unit, a.Role)
	case Leader:
		return a.Unit + " 的负责人"
	case Unit:
		return "单位 " + a.Unit
	case Starter:
		return "发起人"
	}
	return "未知办理人"
}

// Describe says who the assignee is in Chinese with the units and people
// named by unit and person (which return names for IDs): "区财政局负责人",
// "政府办文书", "张三". Messages for users use it, never String.
func (a Assignee) Describe(unit, person func(id string) string) string {
	switch a.Kind {
	case Person:
		return person(a.Person)
	case Role:
		return unit(a.Unit) + RoleLabel(a.Role)
	case Leader:
		return unit(a.Unit) + "负责人"
	case Unit:
		return unit(a.Unit)
	case Starter:
		if a.Person != "" {
			return person(a.Person)
		}
		return "发起人"
	}
	return "未知办理人"
}

func (a Assignee) validate() error {
	switch a.Kind {
	case Person:
		if a.Person == "" {
			return fmt.Errorf("办理人未指定人员")
		}
	case Role:
		if a.Role == "" || a.Unit == "" {
			return fmt.Errorf("按岗位指定的办理人须写明单位和岗位")
		}
	case Leader, Unit:
		if a.Unit == "" {
			return fmt.Errorf("办理人未指定单位")
		}
	case Starter:
	default:
		return fmt.Errorf("办理人类型“%s”无效", a.Kind)
	}
	return nil
}

// Op is an operation on an instance.
type Op string

const (
	Acknowledge Op = "acknowledge"  // 签收交接
	Approve     Op = "approve"      // 同意 / 办理 / 已阅
	Disagree    Op = "disagree"     // 不同意（须填意见），会签用
	Return      Op = "return"       // 退回
	Withdraw    Op = "withdraw"     // 撤回
	Forward     Op = "forward"      // 转办
	Delegate    Op = "delegate"     // 委托：允许受托人代领导办理（在模板中作为许可）
	AddReviewer Op = "add_reviewer" // 加签
	Urge        Op = "urge"         // 催办
)

// Label is the operation's Chinese name.
func (o Op) Label() string {
	switch o {
	case Acknowledge:
		return "签收"
	case Approve:
		return "同意"
	case Disagree:
		return "不同意"
	case Return:
		return "退回"
	case Withdraw:
		return "撤回"
	case Forward:
		return "转办"
	case Delegate:
		return "委托办理"
	case AddReviewer:
		return "加签"
	case Urge:
		return "催办"
	}
	return string(o)
}

// Completion says when a step with several tasks is finished.
type Completion string

const (
	All Completion = "all" // every task must finish (会签, 传阅)
	Any Completion = "any" // the first to finish closes the step
)

// Field is a value recorded at a step, e.g. 印发日期 and 份数 at 印发.
type Field struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Required bool   `json:"required,omitempty"`
}

// Step is one step of a template.
type Step struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// Actors are the assignees fixed by the template; empty when Chosen.
	Actors []Assignee `json:"actors,omitempty"`
	// Chosen means the actor finishing the previous step names the assignees.
	Chosen bool `json:"chosen,omitempty"`
	// Optional: the previous step's actor may name nobody for this chosen
	// step, which is then passed over (a 会签 where no other unit is
	// concerned, a 传阅 nobody needs).
	Optional bool `json:"optional,omitempty"`
	// Parallel allows several tasks at once (one branch each); a serial step has exactly one.
	Parallel   bool       `json:"parallel,omitempty"`
	Completion Completion `json:"completion,omitempty"`
	// Lead means exactly one of the chosen assignees is the lead (承办: 主办 and 协办).
	Lead bool `json:"lead,omitempty"`
	// Circulate marks a reading step: finishing a task means "已阅".
	Circulate bool `json:"circulate,omitempty"`
	// CommentRequired: the step's action must carry an opinion (签发意见, 批示).
	CommentRequired bool           `json:"comment_required,omitempty"`
	Limit           calendar.Limit `json:"limit,omitzero"`
	// AckLimit is the time within which a handover must be acknowledged; zero uses the template's.
	AckLimit calendar.Limit `json:"ack_limit,omitzero"`
	Ops      []Op           `json:"ops,omitempty"`
	Fields   []Field        `json:"fields,omitempty"`
}

// Allows reports whether the step permits op. Acknowledge and Approve are always permitted.
func (s Step) Allows(op Op) bool {
	if op == Acknowledge || op == Approve {
		return true
	}
	for _, o := range s.Ops {
		if o == op {
			return true
		}
	}
	return false
}

// Template is a route as data. A unit's office can edit it; instances keep
// the copy they started with.
type Template struct {
	Kind    string `json:"kind"` // outgoing, incoming, supervision, …
	Name    string `json:"name"`
	Version int    `json:"version"`
	Steps   []Step `json:"steps"`
	// AckLimit is the default time to acknowledge a handover.
	AckLimit calendar.Limit `json:"ack_limit,omitzero"`
	// UrgeRoles may urge any open task (e.g. the office's 督办 clerk); starters and
	// everyone who has acted on the instance may urge too.
	UrgeRoles []string `json:"urge_roles,omitempty"`
}

// Validate checks a template the office has edited, with Chinese messages.
func (t Template) Validate() error {
	if strings.TrimSpace(t.Kind) == "" {
		return fmt.Errorf("流程模板未指定类别")
	}
	if len(t.Steps) == 0 {
		return fmt.Errorf("流程模板“%s”没有环节", t.Name)
	}
	if err := t.AckLimit.Validate(); err != nil {
		return fmt.Errorf("交接时限：%w", err)
	}
	keys := map[string]bool{}
	for i, s := range t.Steps {
		where := fmt.Sprintf("第 %d 个环节“%s”", i+1, s.Name)
		if s.Key == "" || s.Name == "" {
			return fmt.Errorf("%s缺少标识或名称", where)
		}
		if keys[s.Key] {
			return fmt.Errorf("%s的标识“%s”重复", where, s.Key)
		}
		keys[s.Key] = true
		if s.Chosen == (len(s.Actors) > 0) {
			return fmt.Errorf("%s须在“模板指定办理人”和“由上一环节选择”中二选一", where)
		}
		if i == 0 && s.Chosen {
			return fmt.Errorf("第一个环节的办理人不能由上一环节选择")
		}
		if s.Optional && !s.Chosen {
			return fmt.Errorf("%s只有由上一环节选择办理人时才可不选", where)
		}
		if !s.Parallel && len(s.Actors) > 1 {
			return fmt.Errorf("%s是串行环节，只能指定一个办理人", where)
		}
		if s.Completion != "" && s.Completion != All && s.Completion != Any {
			return fmt.Errorf("%s的完成方式“%s”无效", where, s.Completion)
		}
		if s.Lead && !(s.Chosen && s.Parallel) {
			return fmt.Errorf("%s设主办时须为由上一环节选择的并行环节", where)
		}
		for _, a := range s.Actors {
			if err := a.validate(); err != nil {
				return fmt.Errorf("%s：%w", where, err)
			}
		}
		if err := s.Limit.Validate(); err != nil {
			return fmt.Errorf("%s的时限：%w", where, err)
		}
		if err := s.AckLimit.Validate(); err != nil {
			return fmt.Errorf("%s的交接时限：%w", where, err)
		}
		for _, op := range s.Ops {
			if op.Label() == string(op) {
				return fmt.Errorf("%s的操作“%s”无效", where, op)
			}
		}
	}
	return nil
}

// Clone deep-copies the template, so that a copy shared by many instances
// (a store's cache) cannot be changed through one of them.
func (t Template) Clone() Template {
	out := t
	out.UrgeRoles = append([]string(nil), t.UrgeRoles...)
	if t.Steps == nil {
		return out
	}
	out.Steps = make([]Step, len(t.Steps))
	for i, s := range t.Steps {
		s.Actors = append([]Assignee(nil), s.Actors...)
		s.Ops = append([]Op(nil), s.Ops...)
		s.Fields = append([]Field(nil), s.Fields...)
		out.Steps[i] = s
	}
	return out
}

// From is the template from step key on, for an item whose earlier steps
// happened elsewhere: an information issue, compiled and approved by its
// editors, goes out as a document starting at 分发. It is still the
// office's template (its later steps, actors and limits unchanged).
func (t Template) From(key string) (Template, error) {
	i := t.StepIndex(key)
	if i < 0 {
		return Template{}, refuse("流程模板“%s”没有环节“%s”", t.Name, key)
	}
	t.Steps = slices.Clone(t.Steps[i:])
	if t.Steps[0].Chosen {
		return Template{}, refuse("环节“%s”的办理人由上一环节选择，不能从它开始", t.Steps[0].Name)
	}
	return t, nil
}

// StepIndex returns the index of the step with the key, or -1.
func (t Template) StepIndex(key string) int {
	for i, s := range t.Steps {
		if s.Key == key {
			return i
		}
	}
	return -1
}
