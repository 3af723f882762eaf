package route

import "github.com/shuniu-oa/shuniu/internal/calendar"

// Role keys used by the default templates; the org package grants them.
const (
	RoleOfficeReviewer = "office_reviewer" // 办公室核稿人
	RoleOfficeClerk    = "office_clerk"    // 办公室文书（收发、登记、编号、印发、分发）
	RoleOfficeHead     = "office_head"     // 办公室主任（拟办）
	RoleArchivist      = "archivist"       // 档案员
	RoleSupervisor     = "supervisor"      // 督办人员（可催办任何待办）
)

var roleLabels = map[string]string{
	RoleOfficeReviewer: "核稿人", RoleOfficeClerk: "文书", RoleOfficeHead: "办公室主任",
	RoleArchivist: "档案员", RoleSupervisor: "督办人员",
}

// RoleLabel is a route role's Chinese name (the key itself if unknown).
func RoleLabel(role string) string {
	if l, ok := roleLabels[role]; ok {
		return l
	}
	return role
}

// Scope keys the default templates need.
const (
	ScopeUnit   = "unit"   // the drafting (or receiving) unit, e.g. a 科室 or a town
	ScopeOffice = "office" // the organ's office (办公室), which reviews, numbers and issues
	ScopeOrgan  = "organ"  // the organ whose leader signs off
)

func inScope(key string) string { return "{" + key + "}" }

// Outgoing is the default 发文 route of the 条例: 起草 → 处室/部门负责人审核 →
// 办公室核稿 → 会签 → 领导签发 → 编号 → 复核 → 印发 → 分发 → 归档.
func Outgoing() Template {
	all := []Op{Return, Withdraw, Forward, Delegate, AddReviewer, Urge}
	return Template{
		Kind: "outgoing", Name: "发文", Version: 1,
		AckLimit:  calendar.Hours(4),
		UrgeRoles: []string{RoleSupervisor},
		Steps: []Step{
			{Key: "draft", Name: "起草", Actors: []Assignee{{Kind: Starter}}, Ops: []Op{Withdraw, Forward, Urge}},
			{Key: "unit_review", Name: "处室/部门负责人审核", Actors: []Assignee{{Kind: Leader, Unit: inScope(ScopeUnit)}},
				Limit: calendar.Days(1), Ops: all},
			{Key: "review", Name: "办公室核稿", Actors: []Assignee{{Kind: Role, Role: RoleOfficeReviewer, Unit: inScope(ScopeOffice)}},
				Limit: calendar.Days(1), Ops: all},
			// The reviewer picks the co-signing units, or none where no other
			// unit is concerned; each agrees or disagrees with a comment; all must finish.
			{Key: "countersign", Name: "会签", Chosen: true, Optional: true, Parallel: true, Completion: All,
				Limit: calendar.Days(2), Ops: []Op{Disagree, Return, Withdraw, Forward, Delegate, Urge}},
			{Key: "sign_off", Name: "领导签发", Actors: []Assignee{{Kind: Leader, Unit: inScope(ScopeOrgan)}},
				CommentRequired: true, Limit: calendar.Days(1), Ops: all},
			{Key: "number", Name: "编号", Actors: []Assignee{{Kind: Role, Role: RoleOfficeClerk, Unit: inScope(ScopeOffice)}},
				Fields: []Field{{Key: "doc_number", Label: "发文字号"}, {Key: "series", Label: "文号系列"}}, Limit: calendar.Hours(4), Ops: []Op{Return, Withdraw, Urge}},
			{Key: "recheck", Name: "复核", Actors: []Assignee{{Kind: Role, Role: RoleOfficeReviewer, Unit: inScope(ScopeOffice)}},
				Limit: calendar.Hours(4), Ops: []Op{Return, Withdraw, Forward, Urge}},
			{Key: "print_issue", Name: "印发", Actors: []Assignee{{Kind: Role, Role: RoleOfficeClerk, Unit: inScope(ScopeOffice)}},
				Fields: []Field{{Key: "print_date", Label: "印发日期", Required: true}, {Key: "copies", Label: "份数", Required: true}},
				Limit:  calendar.Days(1), Ops: []Op{Return, Withdraw, Urge}},
			{Key: "distribute", Name: "分发", Actors: []Assignee{{Kind: Role, Role: RoleOfficeClerk, Unit: inScope(ScopeOffice)}},
				Limit: calendar.Hours(4), Ops: []Op{Withdraw, Urge}},
			{Key: "archive", Name: "归档", Actors: []Assignee{{Kind: Role, Role: RoleArchivist, Unit: inScope(ScopeOffice)}},
				Fields: archiveFields(), Limit: calendar.Days(5), Ops: []Op{Urge}},
		},
	}
}

// Incoming is the default 收文 route: 签收 → 登记 → 拟办 → 批办 → 承办 → 传阅 →
// 答复/办结 → 归档. The sign-for limit depends on urgency and is passed in
// StartOptions.First by the document package.
func Incoming() Template {
	return Template{
		Kind: "incoming", Name: "收文", Version: 1,
		AckLimit:  calendar.Hours(4),
		UrgeRoles: []string{RoleSupervisor},
		Steps: []Step{
			{Key: "sign_for", Name: "签收", Actors: []Assignee{{Kind: Role, Role: RoleOfficeClerk, Unit: inScope(ScopeUnit)}},
				Limit: calendar.Days(1), Ops: []Op{Urge}},
			{Key: "register", Name: "登记", Actors: []Assignee{{Kind: Role, Role: RoleOfficeClerk, Unit: inScope(ScopeUnit)}},
				Fields: []Field{{Key: "incoming_number", Label: "收文编号"}}, Limit: calendar.Hours(4), Ops: []Op{Withdraw, Urge}},
			{Key: "propose", Name: "拟办", Actors: []Assignee{{Kind: Role, Role: RoleOfficeHead, Unit: inScope(ScopeUnit)}},
				CommentRequired: true, Limit: calendar.Days(1), Ops: []Op{Return, Withdraw, Forward, Delegate, Urge}},
			// The office proposes the leader; the instruction is kept verbatim.
			{Key: "instruct", Name: "批办", Chosen: true, CommentRequired: true,
				Limit: calendar.Days(1), Ops: []Op{Return, Withdraw, Forward, Delegate, AddReviewer, Urge}},
			{Key: "handle", Name: "承办", Chosen: true, Parallel: true, Completion: All, Lead: true,
				Limit: calendar.Days(5), Ops: []Op{Return, Withdraw, Forward, Delegate, AddReviewer, Urge}},
			{Key: "circulate", Name: "传阅", Chosen: true, Optional: true, Parallel: true, Completion: All, Circulate: true,
				Limit: calendar.Days(2), Ops: []Op{Forward, Delegate, AddReviewer, Urge}},
			{Key: "close", Name: "答复/办结", Actors: []Assignee{{Kind: Role, Role: RoleOfficeClerk, Unit: inScope(ScopeUnit)}},
				Limit: calendar.Days(1), Ops: []Op{Return, Withdraw, Urge}},
			{Key: "archive", Name: "归档", Actors: []Assignee{{Kind: Role, Role: RoleArchivist, Unit: inScope(ScopeUnit)}},
				Fields: archiveFields(), Limit: calendar.Days(5), Ops: []Op{Urge}},
		},
	}
}

// archiveFields are recorded at 归档: the 保管期限 (the archive package's
// table gives the default) and the 页数 as filed.
func archiveFields() []Field {
	return []Field{{Key: "retention", Label: "保管期限"}, {Key: "pages", Label: "页数"}}
}
