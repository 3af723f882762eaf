package supervise

import (
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// Step keys of the supervision route.
const (
	StepAssign = "assign" // 交办
	StepHandle = "handle" // 办理（签收 is the handover's acknowledgement）
	StepReview = "review" // 审核
)

// ScopeOffice is the route scope key for the supervising office (督查室).
const ScopeOffice = route.ScopeOffice

// Template is the supervision item's route: 交办 by the 督查室 (立项 starts the
// route there) → 办理 by the lead unit and co-units in parallel, each signing
// for its handover → 审核 by the 督查室 (办结, or 退回 to 办理).
//
// The 办理 step finishes when its first task finishes ("any"): only the lead
// unit may finish it, by applying to close; that releases the co-units, and a
// 退回 therefore goes back to the lead unit alone.
func Template() route.Template {
	office := "{" + ScopeOffice + "}"
	return route.Template{
		Kind: "supervision", Name: "督查督办", Version: 1,
		AckLimit:  calendar.Days(1),
		UrgeRoles: []string{route.RoleSupervisor},
		Steps: []route.Step{
			{Key: StepAssign, Name: "交办", Actors: []route.Assignee{{Kind: route.Starter}},
				Ops: []route.Op{route.Urge}},
			{Key: StepHandle, Name: "办理", Chosen: true, Parallel: true, Completion: route.Any, Lead: true,
				Ops: []route.Op{route.Urge}},
			{Key: StepReview, Name: "审核", Actors: []route.Assignee{{Kind: route.Role, Role: route.RoleSupervisor, Unit: office}},
				Limit: calendar.Days(3), Ops: []route.Op{route.Return, route.Urge}},
		},
	}
}
