// Package access is the one place that decides whether a person may perform an
// action on an object. Decide is pure and denies by default; every HTTP and API
// path calls it, and refusals are audited by the caller.
package access

import (
	"fmt"
	"slices"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// Action is something a person asks to do.
type Action string

const (
	ViewWorkbench  Action = "workbench.view"  // 工作台: 待办/待阅/已办
	ViewDirectory  Action = "directory.view"  // the unit tree and the people in it
	ChangePassword Action = "password.change" // one's own password

	ManageAccounts Action = "account.manage"  // create, reset, lock/unlock accounts (object: the person, or none for the list)
	ManageUnits    Action = "unit.manage"     // the unit tree
	ManagePeople   Action = "person.manage"   // people and positions, 分管
	AssignRoles    Action = "role.assign"     // business roles
	ManageSettings Action = "settings.manage" // system settings, calendar
	IssueAPIToken  Action = "token.issue"     // one's own API tokens, from a browser session
	Delegate       Action = "delegation.set"  // 委托: who acts for a person while away (object: the person, UnitID the office serving them)
	ManageRoutes   Action = "route.manage"    // a unit's route templates (object: the organ)
	EditWordLists  Action = "proofread.lists" // the proofreader's word lists: organ names, leaders, banned phrases

	GrantClearance Action = "clearance.grant" // a person's clearance level
	ManageGrants   Action = "grant.manage"    // explicit access grants on objects
	ManagePolicy   Action = "policy.manage"   // password and session policy
	ManageSeals    Action = "seal.manage"     // register and revoke the organs' electronic seals (电子印章)

	ReadAudit   Action = "audit.read"
	VerifyAudit Action = "audit.verify"

	ReadObject   Action = "object.read"   // open a business object (document, item…)
	CreateObject Action = "object.create" // create a business object in a unit

	// Classify is 定密, 变更密级 and 解密: setting a document's 密级 and
	// 保密期限, as an operation of its own. Object: the document (UnitID its
	// organ, Level its current level, NewLevel the level asked for).
	Classify Action = "document.classify"
)

// AllActions lists every action, for tables and tests.
func AllActions() []Action {
	return []Action{ViewWorkbench, ViewDirectory, ChangePassword, ManageAccounts, ManageUnits, ManagePeople,
		AssignRoles, ManageSettings, IssueAPIToken, Delegate, ManageRoutes, EditWordLists, GrantClearance, ManageGrants, ManagePolicy, ManageSeals, ReadAudit,
		VerifyAudit, ReadObject, CreateObject, Classify, ViewSchedule, KeepSchedule, EditProgramme, ApproveProgramme,
		BookMeeting, ReadMaterial, AddMaterial, ManageDuty, ReadDuty, ManageRequests, ReadRequest, SubmitInfo, ReadInfo, EditInfo, SuperviseInfo, ManageResearch, ReportResearch, ReadResearch, ManageStudy, ReadStudy,
		ViewEvaluation, ManageEvaluation}
}

// Subject is the person asking, with what the decision needs to know about them.
type Subject struct {
	PersonID  string
	Roles     []org.RoleAssignment
	Clearance org.Classification
	// Bearer: the request is signed with an API token, not a browser
	// session. A token acts for its holder but cannot make more tokens or
	// change the password, so a leaked token cannot outlive its revocation.
	Bearer bool
}

// Object is what the action is on. For actions that are not about one object
// (e.g. ManageUnits) the zero Object is passed.
type Object struct {
	Kind         string
	ID           string
	UnitID       string             // the unit that owns it
	Level        org.Classification // its 密级
	Participants []string           // people on its route
	Grants       []string           // people explicitly granted access
	NewLevel     org.Classification // Classify: the 密级 it is to have

	// Admin: a person object that holds one of the three administrators'
	// roles. Their accounts are reset and locked only from the command line.
	Admin bool
	// Delegates: for a person object, who acts for the person now under a
	// delegation in force (委托); they keep the person's schedule.
	Delegates []string
	// DirectorDelegates: for Delegate, the deployment lets the office
	// director of UnitID (the office serving the person) set the person's
	// delegations for them (account.Policy.DirectorDelegates).
	DirectorDelegates bool
}

// Decision is the answer, with a reason fit to show a user and to audit.
type Decision struct {
	Allow  bool
	Reason string
}

func allow(reason string) Decision { return Decision{Allow: true, Reason: reason} }
func deny(reason string) Decision  { return Decision{Allow: false, Reason: reason} }

// adminOnly maps the administrators' actions to the one role that may perform them.
var adminOnly = map[Action]org.Role{
	ManageAccounts: org.RoleSysAdmin,
	ManageUnits:    org.RoleSysAdmin,
	ManagePeople:   org.RoleSysAdmin,
	AssignRoles:    org.RoleSysAdmin,
	ManageSettings: org.RoleSysAdmin,
	GrantClearance: org.RoleSecurityOfficer,
	ManageGrants:   org.RoleSecurityOfficer,
	ManagePolicy:   org.RoleSecurityOfficer,
	// Seals are security objects, kept like the physical seals' register by
	// the security officer, not by whoever issues documents.
	ManageSeals: org.RoleSecurityOfficer,
	ReadAudit:   org.RoleAuditor,
	VerifyAudit: org.RoleAuditor,
}

// Decide returns whether s may do a on o. Anything not explicitly allowed is denied.
func Decide(s Subject, a Action, o Object) Decision {
	if s.PersonID == "" {
		return deny("未登录")
	}
	if a == ManageAccounts && o.Admin {
		// Otherwise the system administrator could reset the auditor's
		// password, sign in as the auditor and read the audit log.
		return deny("三员账户的密码和停用只能由运维人员在命令行设置（shuniu user passwd / lock / unlock），或由本人修改密码")
	}
	if role, ok := adminOnly[a]; ok {
		if s.has(role) {
			return allow("由" + role.Label() + "负责")
		}
		return deny("此操作仅限" + role.Label())
	}
	switch a {
	case ViewDirectory:
		return allow("所有登录用户")
	case ChangePassword:
		if s.Bearer {
			return deny("接口令牌不能修改密码，请在浏览器中登录后修改")
		}
		return allow("所有登录用户")
	case IssueAPIToken:
		switch {
		case s.Bearer:
			return deny("接口令牌不能申请或撤销令牌，请在浏览器中登录后操作")
		case len(s.Roles) == 0:
			return deny("没有任何角色的账户不能申请接口令牌")
		}
		return allow("本人令牌")
	case Delegate:
		// Who acts for a leader holds the leader's 批办: the leader decides
		// it, never an administrator.
		switch {
		case o.ID == "" || o.Admin:
			return deny("三员账户没有业务委托")
		case s.business() && o.ID == s.PersonID:
			return allow("本人委托")
		case o.DirectorDelegates && o.UnitID != "" && s.holds(org.RoleOfficeDirector, o.UnitID):
			return allow("本部署允许办公室主任代为设置委托")
		case o.DirectorDelegates:
			return deny("委托只能由本人或为其服务的办公室主任设置")
		}
		return deny("委托只能由本人设置")
	case ManageRoutes:
		switch {
		case s.has(org.RoleSysAdmin):
			return allow("由系统管理员设置")
		case o.UnitID != "" && s.holds(org.RoleOfficeDirector, o.UnitID):
			return allow("本单位办公室负责调整流程")
		}
		return deny("流程模板只能由本单位办公室主任或系统管理员调整")
	case EditWordLists:
		// The lists are the office's content (its organs' names, its leaders,
		// the phrases it avoids), kept by the office that answers for what the
		// organs publish, like its route templates; the system administrator
		// keeps the proofreader's rule switches (ManageSettings).
		if s.has(org.RoleOfficeDirector) {
			return allow("由办公室主任维护校对词表")
		}
		return deny("校对词表只能由办公室主任维护")
	case ViewWorkbench:
		if s.business() {
			return allow("业务用户")
		}
		return deny("三员账户没有业务工作台")
	case CreateObject:
		if !s.business() {
			return deny("三员账户不能办理业务")
		}
		if o.Level > s.Clearance {
			return deny(fmt.Sprintf("您的涉密等级（%s）低于该事项的密级（%s）", s.Clearance.Label(), o.Level.Label()))
		}
		if o.UnitID == "" || !s.inUnit(o.UnitID) {
			return deny("只能在本人任职的单位创建")
		}
		return allow("本单位业务人员")
	case ReadObject:
		return decideRead(s, o)
	case Classify:
		return decideClassify(s, o)
	case ManageRequests, ReadRequest:
		return DecideRequest(s, a, RequestObject{OfficeID: o.UnitID, Participants: o.Participants})
	case ViewEvaluation, ManageEvaluation:
		return DecideEvaluation(s, a)
	case BookMeeting:
		return DecideBookMeeting(s, MeetingOffice{UnitID: o.UnitID, Level: int(o.Level)})
	case ReadMaterial, AddMaterial:
		return DecideMaterial(s, a, MeetingMaterial{Office: MeetingOffice{UnitID: o.UnitID, Level: int(o.Level)}, Attendees: o.Participants})
	case ManageDuty, ReadDuty:
		return DecideDuty(s, a, DutyObject{UnitID: o.UnitID, Participants: o.Participants})
	case ManageResearch, ReportResearch, ReadResearch:
		return DecideResearch(s, a, ResearchObject{OfficeID: o.UnitID, Units: o.Grants, People: o.Participants})
	case ManageStudy, ReadStudy:
		return DecideStudy(s, a, StudyObject{OfficeID: o.UnitID, People: o.Participants, Library: o.Kind == "study_library"})
	case ViewSchedule, KeepSchedule, EditProgramme, ApproveProgramme:
		return decidePlanner(s, a, o)
	case SubmitInfo, ReadInfo, EditInfo, SuperviseInfo:
		return DecideInfo(s, a, InfoObject{OfficeID: o.UnitID, Units: []string{o.UnitID}, Persons: o.Participants, Level: o.Level})
	}
	return deny("未定义的操作，默认拒绝")
}

// decideClassify: the 保守国家秘密法 makes an organ's head and the people the
// head names its 定密责任人, who classify, change and declassify its own
// documents. Here they are the organ's leaders and its office director —
// whoever answers for what the organ issues — and only within their own
// clearance: nobody sets or lifts a level they could not read.
func decideClassify(s Subject, o Object) Decision {
	if !s.business() {
		return deny("三员账户不能定密")
	}
	if !o.Level.Valid() || !o.NewLevel.Valid() {
		return deny("无效密级")
	}
	if o.UnitID == "" || !(s.holds(org.RoleLeader, o.UnitID) || s.holds(org.RoleOfficeDirector, o.UnitID)) {
		return deny("定密和变更密级由本机关定密责任人（机关负责人、办公室主任）办理")
	}
	if top := max(o.Level, o.NewLevel); top > s.Clearance {
		return deny(fmt.Sprintf("您的涉密等级（%s）低于%s，不能办理", s.Clearance.Label(), top.Label()))
	}
	return allow("本机关定密责任人")
}

func decideRead(s Subject, o Object) Decision {
	if !s.business() {
		return deny("三员账户不能查看业务内容")
	}
	if !o.Level.Valid() {
		return deny("无效密级")
	}
	if o.Level > s.Clearance {
		return deny(fmt.Sprintf("您的涉密等级（%s）低于该事项的密级（%s）", s.Clearance.Label(), o.Level.Label()))
	}
	switch {
	case slices.Contains(o.Participants, s.PersonID):
		return allow("办理人员")
	case slices.Contains(o.Grants, s.PersonID):
		return allow("经授权")
	case o.Level > org.Unclassified:
		// A classified object is known only to those on its route or granted it.
		return deny("涉密事项仅限办理人员和经授权人员知悉")
	case o.UnitID != "" && s.inUnit(o.UnitID):
		return allow("本单位非密事项")
	}
	return deny("不是本单位事项，也未参与办理")
}

func (s Subject) has(r org.Role) bool {
	for _, a := range s.Roles {
		if a.Role == r {
			return true
		}
	}
	return false
}

func (s Subject) holds(r org.Role, unitID string) bool {
	for _, a := range s.Roles {
		if a.Role == r && a.UnitID == unitID {
			return true
		}
	}
	return false
}

func (s Subject) business() bool {
	for _, a := range s.Roles {
		if !a.Role.Admin() {
			return true
		}
	}
	return false
}

func (s Subject) inUnit(unitID string) bool {
	for _, a := range s.Roles {
		if !a.Role.Admin() && a.UnitID == unitID {
			return true
		}
	}
	return false
}
