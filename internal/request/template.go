package request

import (
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// Step keys of the request routes. StepApply, StepStamp, StepDispatch and
// StepReturn are system steps: their finishing records something beyond the
// route, so an office may rename them and change who acts, not remove them.
const (
	StepApply    = "apply"       // 申请
	StepUnit     = "unit_review" // 科室（单位）负责人审核
	StepApprove  = "approve"     // 办公室审批
	StepStamp    = "stamp"       // 用印（监印人登记）
	StepDispatch = "dispatch"    // 派车
	StepReturn   = "return"      // 还车登记
)

// SystemSteps are the steps of a kind's route that may not be removed.
func SystemSteps(k Kind) []string {
	switch k {
	case SealUse:
		return []string{StepApply, StepStamp}
	case CarUse:
		return []string{StepApply, StepDispatch, StepReturn}
	}
	return nil
}

// Template is the default route of a kind.
func Template(k Kind) (route.Template, bool) {
	switch k {
	case SealUse:
		return SealTemplate(), true
	case CarUse:
		return CarTemplate(), true
	}
	return route.Template{}, false
}

func scope(key string) string { return "{" + key + "}" }

// SealTemplate is the default 用印 route: 申请 → 科室负责人审核 → 办公室审批 →
// 用印 (the seal keeper stamps and records it in the 用印登记簿). The 用印 step
// goes to the seal's keeper when it has one (route.AssignScope), else to the
// keeping office's 文书.
func SealTemplate() route.Template {
	return route.Template{
		Kind: string(SealUse), Name: "用印", Version: 1,
		AckLimit:  calendar.Hours(4),
		UrgeRoles: []string{route.RoleOfficeHead},
		Steps: []route.Step{
			{Key: StepApply, Name: "申请", Actors: []route.Assignee{{Kind: route.Starter}}, Ops: []route.Op{route.Urge}},
			{Key: StepUnit, Name: "科室负责人审核", Actors: []route.Assignee{{Kind: route.Leader, Unit: scope(route.ScopeUnit)}},
				Limit: calendar.Days(1), Ops: []route.Op{route.Return, route.Delegate, route.Urge}},
			{Key: StepApprove, Name: "办公室审批", Actors: []route.Assignee{{Kind: route.Role, Role: route.RoleOfficeHead, Unit: scope(route.ScopeOffice)}},
				Limit: calendar.Days(1), Ops: []route.Op{route.Return, route.Delegate, route.Urge}},
			{Key: StepStamp, Name: "用印", Actors: []route.Assignee{{Kind: route.Role, Role: route.RoleOfficeClerk, Unit: scope(route.ScopeOffice)}},
				Limit: calendar.Days(1), Ops: []route.Op{route.Return, route.Urge}},
		},
	}
}

// CarTemplate is the default 用车 route: 申请 → 科室负责人审核 → 办公室审批 →
// 派车 (vehicle and driver, checked for conflicts) → 还车登记 (mileage).
func CarTemplate() route.Template {
	return route.Template{
		Kind: string(CarUse), Name: "用车", Version: 1,
		AckLimit:  calendar.Hours(2),
		UrgeRoles: []string{route.RoleOfficeHead},
		Steps: []route.Step{
			{Key: StepApply, Name: "申请", Actors: []route.Assignee{{Kind: route.Starter}}, Ops: []route.Op{route.Urge}},
			{Key: StepUnit, Name: "科室负责人审核", Actors: []route.Assignee{{Kind: route.Leader, Unit: scope(route.ScopeUnit)}},
				Limit: calendar.Hours(4), Ops: []route.Op{route.Return, route.Delegate, route.Urge}},
			{Key: StepApprove, Name: "办公室审批", Actors: []route.Assignee{{Kind: route.Role, Role: route.RoleOfficeHead, Unit: scope(route.ScopeOffice)}},
				Limit: calendar.Hours(4), Ops: []route.Op{route.Return, route.Delegate, route.Urge}},
			{Key: StepDispatch, Name: "派车", Actors: []route.Assignee{{Kind: route.Role, Role: route.RoleOfficeClerk, Unit: scope(route.ScopeOffice)}},
				Limit: calendar.Hours(4), Ops: []route.Op{route.Return, route.Urge}},
			{Key: StepReturn, Name: "还车登记", Actors: []route.Assignee{{Kind: route.Role, Role: route.RoleOfficeClerk, Unit: scope(route.ScopeOffice)}},
				Ops: []route.Op{route.Urge}},
		},
	}
}
