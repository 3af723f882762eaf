package meeting

import (
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Step keys of the agenda's route.
const (
	StepSubmit  = "submit"  // 提交议题
	StepReview  = "review"  // 办公室审核
	StepApprove = "approve" // 领导审定
)

// AgendaKind is the route kind of an agenda's approval.
const AgendaKind = "meeting_agenda"

// AgendaTemplate is the route an agenda is approved by (议题审定): the
// organizer submits it, the office's director reviews it, the organ's
// leader (or whoever acts for them) approves it. It is the one route
// engine's template, data like the others.
func AgendaTemplate() route.Template {
	return route.Template{
		Kind: AgendaKind, Name: "议题审定", Version: 1,
		AckLimit:  calendar.Hours(4),
		UrgeRoles: []string{route.RoleSupervisor},
		Steps: []route.Step{
			{Key: StepSubmit, Name: "提交议题", Actors: []route.Assignee{{Kind: route.Starter}}, Ops: []route.Op{route.Withdraw}},
			{Key: StepReview, Name: "办公室审核", Actors: []route.Assignee{{Kind: route.Role, Role: route.RoleOfficeHead, Unit: "{" + route.ScopeOffice + "}"}},
				Limit: calendar.Days(1), Ops: []route.Op{route.Return, route.Withdraw, route.Delegate, route.Urge}},
			{Key: StepApprove, Name: "领导审定", Actors: []route.Assignee{{Kind: route.Leader, Unit: "{" + route.ScopeOrgan + "}"}},
				Limit: calendar.Days(1), Ops: []route.Op{route.Return, route.Delegate, route.Urge}},
		},
	}
}

// NewAgendaItem is a 议题 as the organizer enters it.
type NewAgendaItem struct {
	Title     string
	UnitID    string
	Presenter string
	Due       time.Time
}

// editable refuses changes to the agenda once it is submitted.
func (m *Meeting) agendaEditable(a route.Actor) error {
	switch {
	case !m.Organizes(a):
		return refuse("只有办会单位可以编排议题")
	case m.Status == Cancelled:
		return refuse("会议已取消")
	case m.Route != nil && m.Route.Status == route.Active && m.Route.Current > 0:
		return refuse("议题正在审定中，不能修改")
	case m.Route != nil && m.Route.Status == route.Done:
		return refuse("议题已经审定，不能修改")
	}
	return nil
}

// AddAgendaItem adds a 议题 to the meeting.
func (m *Meeting) AddAgendaItem(a route.Actor, n NewAgendaItem, now time.Time) (AgendaItem, error) {
	if err := m.agendaEditable(a); err != nil {
		return AgendaItem{}, err
	}
	title := strings.TrimSpace(n.Title)
	switch {
	case title == "":
		return AgendaItem{}, refuse("请填写议题名称")
	case n.UnitID == "":
		return AgendaItem{}, refuse("请选择汇报单位")
	case len(m.Agenda) >= MaxAgenda:
		return AgendaItem{}, refuse("一次会议最多 %d 个议题", MaxAgenda)
	case !n.Due.IsZero() && n.Due.After(m.Start):
		return AgendaItem{}, refuse("材料报送时间须早于会议开始")
	case n.Presenter != "" && !slices.ContainsFunc(m.Invitees, func(iv Invitee) bool { return iv.PersonID == n.Presenter }):
		// The leader who presents a 议题 sits in the meeting: one who is not
		// invited would get neither the notice nor the material.
		return AgendaItem{}, refuse("汇报人须是本次会议的参会人员")
	}
	if err := textlimit.Text("title", "议题名称", MaxTitle, title); err != nil {
		return AgendaItem{}, err
	}
	seq := 1
	for _, it := range m.Agenda {
		seq = max(seq, it.Seq+1)
	}
	it := AgendaItem{Seq: seq, Title: title, UnitID: n.UnitID, Presenter: n.Presenter, Due: n.Due}
	m.Agenda = append(m.Agenda, it)
	m.UpdatedAt = now
	return it, nil
}

// AddMaterial records a new version of an agenda item's material, from its
// presenter, its reporting unit or the organizer.
func (m *Meeting) AddMaterial(a route.Actor, seq int, mat Material, now time.Time) error {
	i := slices.IndexFunc(m.Agenda, func(x AgendaItem) bool { return x.Seq == seq })
	if i < 0 {
		return refuse("议题不存在")
	}
	it := &m.Agenda[i]
	if !(m.Organizes(a) || a.ID == it.Presenter || slices.Contains(a.Units, it.UnitID)) {
		return refuse("只有汇报单位或办会单位可以报送议题材料")
	}
	if m.Status == Cancelled {
		return refuse("会议已取消")
	}
	if err := m.CheckMaterialName(mat.Name); err != nil {
		return err
	}
	if len(it.Materials) >= MaxMaterialVersions {
		return refuse("一个议题的材料最多 %d 版", MaxMaterialVersions)
	}
	mat.Version = len(it.Materials) + 1
	mat.By, mat.At = a.ID, now
	it.Materials = append(it.Materials, mat)
	m.UpdatedAt = now
	return nil
}

// UrgeMaterial urges the late material (one click): it returns the agenda
// items urged, whose presenters and units are to be told.
func (m *Meeting) UrgeMaterial(a route.Actor, now time.Time) ([]AgendaItem, error) {
	if !m.Organizes(a) {
		return nil, refuse("只有办会单位可以催报材料")
	}
	var out []AgendaItem
	for i := range m.Agenda {
		if m.Agenda[i].Late(now) {
			m.Agenda[i].UrgedAt = now
			out = append(out, m.Agenda[i])
		}
	}
	if len(out) == 0 {
		return nil, refuse("没有逾期未报的议题材料")
	}
	m.UpdatedAt = now
	return out, nil
}

// SubmitAgenda starts the agenda's approval on the route: the organizer
// submits it (the first step, done at once), and it goes to the office.
func (m *Meeting) SubmitAgenda(e route.Engine, a route.Actor, now time.Time) ([]route.Event, error) {
	if err := m.agendaEditable(a); err != nil {
		return nil, err
	}
	if len(m.Agenda) == 0 {
		return nil, refuse("请先编排议题")
	}
	if m.Route != nil && m.Route.Status == route.Active {
		// Returned to the organizer: submitted again from the first step.
		open := m.Route.OpenTasks()
		if len(open) == 0 {
			return nil, refuse("议题已经提交审定")
		}
		in, evs, err := e.Apply(*m.Route, a, route.Request{Op: route.Approve, Task: open[0].ID, Comment: "重新提交议题审定"}, now)
		if err != nil {
			return nil, err
		}
		m.Route, m.UpdatedAt = &in, now
		return evs, nil
	}
	in, evs, err := e.Start(AgendaTemplate(), route.StartOptions{ID: m.ID, Starter: a.ID,
		Scope: map[string]string{route.ScopeOffice: m.OfficeID, route.ScopeOrgan: m.OrganID}}, now)
	if err != nil {
		return nil, err
	}
	task := in.OpenTasks()[0].ID
	in, more, err := e.Apply(in, a, route.Request{Op: route.Approve, Task: task, Comment: "提交议题审定"}, now)
	if err != nil {
		return nil, err
	}
	m.Route, m.UpdatedAt = &in, now
	return append(evs, more...), nil
}

// ActAgenda applies one route operation to the agenda's approval.
func (m *Meeting) ActAgenda(e route.Engine, a route.Actor, req route.Request, now time.Time) ([]route.Event, error) {
	if m.Route == nil {
		return nil, refuse("议题尚未提交审定")
	}
	if m.Status == Cancelled {
		return nil, refuse("会议已取消")
	}
	in, evs, err := e.Apply(*m.Route, a, req, now)
	if err != nil {
		return nil, err
	}
	m.Route, m.UpdatedAt = &in, now
	return evs, nil
}
