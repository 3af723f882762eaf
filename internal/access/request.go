package access

import (
	"slices"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// Requests (办事: 用印, 用车): an office keeps its seals, cars and drivers and
// the 用印登记簿; a request is seen by the people on its route and by the
// office that handles it.
const (
	// ManageRequests: register the office's seals, vehicles and drivers;
	// read its 用印登记簿 and monthly statistics. The office's director,
	// clerks (文秘) and confidential clerks (机要员).
	ManageRequests Action = "request.manage"
	// ReadRequest: open a request. Its requester and everyone on its route,
	// and the office handling it.
	ReadRequest Action = "request.read"
)

// RequestObject is a request (or, for ManageRequests, an office) as the
// request decisions see it.
type RequestObject struct {
	OfficeID     string   // the office keeping the seal / dispatching the cars
	Participants []string // the requester and the people on its route
}

// DecideRequest decides ManageRequests and ReadRequest. Decide answers them
// too (Object.UnitID the office).
func DecideRequest(s Subject, a Action, o RequestObject) Decision {
	if s.PersonID == "" {
		return deny("未登录")
	}
	if !s.business() {
		return deny("三员账户不能办理用印、用车")
	}
	keeps := o.OfficeID != "" && (s.holds(org.RoleOfficeDirector, o.OfficeID) || s.holds(org.RoleClerk, o.OfficeID) ||
		s.holds(org.RoleConfidentialClerk, o.OfficeID))
	switch a {
	case ManageRequests:
		if keeps {
			return allow("本办公室办事管理人员")
		}
		return deny("印章、车辆和登记簿由本办公室主任、文秘或机要员管理")
	case ReadRequest:
		switch {
		case slices.Contains(o.Participants, s.PersonID):
			return allow("申请人或办理人员")
		case keeps:
			return allow("本办公室办事管理人员")
		}
		return deny("不是申请人或办理人员，也不是办理该申请的办公室人员")
	}
	return deny("未定义的操作，默认拒绝")
}
