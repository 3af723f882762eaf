package access

import (
	"slices"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
)

// Leaders' schedules (领导日程) and the week programme (一周工作安排).
//
// A person's calendar is kept (KeepSchedule) by the person, by the clerks
// (文秘) and the director of the office serving them — a 副区长's by 政府办 —
// and by whoever acts for them under a delegation in force (委托). Everyone
// with a business role may open a calendar (ViewSchedule), but sees of each
// entry only what its visibility allows (ScheduleReachOf): keepers see
// everything; a leader sees entries public in the organ and those for
// leaders; anyone else sees the public ones, and the rest only as "忙".
//
// The organ's week programme is drafted and published by its office's
// clerks and director (EditProgramme) and approved by the office director
// (ApproveProgramme); published, every business user reads it.

const (
	ViewSchedule     Action = "schedule.view"     // open a person's calendar (object: the person)
	KeepSchedule     Action = "schedule.keep"     // add, change and remove a person's entries; their feed (object: the person)
	EditProgramme    Action = "programme.edit"    // draft, edit, submit and publish the week programme (object: the organ, UnitID its office)
	ApproveProgramme Action = "programme.approve" // approve or return it (object: the organ, UnitID its office)
)

// PlannerActions lists the planner's actions, for tables and tests.
func PlannerActions() []Action {
	return []Action{ViewSchedule, KeepSchedule, EditProgramme, ApproveProgramme}
}

// Reach is how much of a person's schedule a viewer sees.
type Reach int

const (
	ReachNone    Reach = iota // nothing
	ReachOrgan                // entries public in the organ; the others as 忙
	ReachLeaders              // and the entries for leaders
	ReachAll                  // everything: the person and their keepers
)

// Sees reports whether an entry of visibility v shows in full at this
// reach; an entry not shown in full shows as 忙 (planner.Busy.Redacted).
func (r Reach) Sees(v planner.Visibility) bool {
	switch v {
	case planner.Organ:
		return r >= ReachOrgan
	case planner.Leaders:
		return r >= ReachLeaders
	case planner.Private:
		return r >= ReachAll
	}
	return false
}

// ScheduleReachOf is how much of the person o's schedule s sees.
func ScheduleReachOf(s Subject, o Object) Reach {
	switch {
	case !s.business() || o.Admin:
		return ReachNone
	case keepsSchedule(s, o):
		return ReachAll
	case s.has(org.RoleLeader):
		return ReachLeaders
	}
	return ReachOrgan
}

func keepsSchedule(s Subject, o Object) bool {
	switch {
	case o.ID != "" && o.ID == s.PersonID:
		return true
	case o.UnitID != "" && (s.holds(org.RoleClerk, o.UnitID) || s.holds(org.RoleOfficeDirector, o.UnitID)):
		return true
	case o.ID != "" && slices.Contains(o.Delegates, s.PersonID):
		return true
	}
	return false
}

func decidePlanner(s Subject, a Action, o Object) Decision {
	if !s.business() {
		return deny("三员账户没有日程业务")
	}
	switch a {
	case ViewSchedule:
		if o.Admin {
			return deny("三员账户没有日程")
		}
		return allow("业务用户（按可见范围显示）")
	case KeepSchedule:
		switch {
		case o.Admin || o.ID == "":
			return deny("三员账户没有日程")
		case o.ID == s.PersonID:
			return allow("本人日程")
		case keepsSchedule(s, o) && slices.Contains(o.Delegates, s.PersonID):
			return allow("受托人")
		case keepsSchedule(s, o):
			return allow("为其服务的办公室")
		}
		return deny("日程只能由本人、为其服务的办公室文秘和主任或其受托人维护")
	case EditProgramme:
		if o.UnitID != "" && (s.holds(org.RoleClerk, o.UnitID) || s.holds(org.RoleOfficeDirector, o.UnitID)) {
			return allow("本机关办公室")
		}
		return deny("一周工作安排由本机关办公室文秘和主任编排")
	case ApproveProgramme:
		if o.UnitID != "" && s.holds(org.RoleOfficeDirector, o.UnitID) {
			return allow("本机关办公室主任")
		}
		return deny("一周工作安排由本机关办公室主任审定")
	}
	return deny("未定义的操作，默认拒绝")
}
