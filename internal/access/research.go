package access

import (
	"slices"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// Research (调研): the office (its director and 文秘) and the leaders set
// topics, arrange trips, review reports and record 批示; the assigned units
// plan and report; the 督查室 turns a 批示 into a supervision item (the
// supervision rules check that too).
const (
	// ManageResearch: set topics and trips, review, proofread, record 批示,
	// close (object: UnitID the office). Its director and 文秘, and leaders.
	ManageResearch Action = "research.manage"
	// ReportResearch: plan and report for an assigned unit (object: UnitID
	// the unit, Participants the topic's units' people named). Anyone
	// working in the unit.
	ReportResearch Action = "research.report"
	// ReadResearch: open a topic and its reports (object: UnitID the
	// office, Grants the assigned units). The office, leaders, the assigned
	// units and the people named, and the 督查室 of the office.
	ReadResearch Action = "research.read"
)

// ResearchObject is a topic (or an office) as the decisions see it.
type ResearchObject struct {
	OfficeID string
	Units    []string // assigned units
	People   []string // persons named among the assignees, and the leader who set it
}

func researchStaff(s Subject, office string) bool {
	return office != "" && (s.holds(org.RoleOfficeDirector, office) || s.holds(org.RoleClerk, office))
}

// DecideResearch decides the research actions.
func DecideResearch(s Subject, a Action, o ResearchObject) Decision {
	if s.PersonID == "" {
		return deny("未登录")
	}
	if !s.business() {
		return deny("三员账户不能办理调研")
	}
	switch a {
	case ManageResearch:
		switch {
		case researchStaff(s, o.OfficeID):
			return allow("本办公室调研管理人员")
		case s.has(org.RoleLeader):
			return allow("领导")
		}
		return deny("调研课题由办公室主任、文秘或领导管理")
	case ReportResearch:
		if slices.ContainsFunc(o.Units, s.inUnit) {
			return allow("承担单位人员")
		}
		return deny("只有承担单位的人员可以提交调研方案和报告")
	case ReadResearch:
		switch {
		case researchStaff(s, o.OfficeID):
			return allow("本办公室调研管理人员")
		case s.has(org.RoleLeader):
			return allow("领导")
		case slices.Contains(o.People, s.PersonID):
			return allow("课题承担人或点题领导")
		case slices.ContainsFunc(o.Units, s.inUnit):
			return allow("承担单位人员")
		case o.OfficeID != "" && s.holds(org.RoleSupervisor, o.OfficeID):
			return allow("本办公室督查人员")
		}
		return deny("不是本课题的承担单位，也不是办公室调研管理人员")
	}
	return deny("未定义的操作，默认拒绝")
}
