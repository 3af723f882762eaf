package access

import (
	"slices"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// Duty (值班): an office keeps its unit's rosters, and those on them keep
// their shifts' logs and handovers (the duty package's rules say which
// shift is whose).
const (
	// ManageDuty: generate, edit, publish a roster; approve swaps. The
	// office's director and clerks (文秘), of the office or of one of its
	// sections (秘书科, 值班室…).
	ManageDuty Action = "duty.manage"
	// ReadDuty: see a roster, its logs and handovers. Whoever works in the
	// office or its sections, and whoever is on the roster.
	ReadDuty Action = "duty.read"
)

// DutyObject is a roster as the duty decisions see it.
type DutyObject struct {
	UnitID       string   // the office that keeps the duty
	Sections     []string // its sections
	Participants []string // people on the roster's shifts
}

// DecideDuty decides ManageDuty and ReadDuty on a roster. Decide answers
// them too, for an Object without sections.
func DecideDuty(s Subject, a Action, o DutyObject) Decision {
	if s.PersonID == "" {
		return deny("未登录")
	}
	if !s.business() {
		return deny("三员账户不能办理值班业务")
	}
	units := append([]string{o.UnitID}, o.Sections...)
	keeps := false
	for _, u := range units {
		if u != "" && (s.holds(org.RoleOfficeDirector, u) || s.holds(org.RoleClerk, u)) {
			keeps = true
		}
	}
	switch a {
	case ManageDuty:
		if keeps {
			return allow("本办公室值班管理人员")
		}
		return deny("值班排班只能由本办公室主任或文秘管理")
	case ReadDuty:
		switch {
		case keeps:
			return allow("本办公室值班管理人员")
		case slices.Contains(o.Participants, s.PersonID):
			return allow("值班人员")
		case slices.ContainsFunc(units, func(u string) bool { return u != "" && s.inUnit(u) }):
			return allow("本办公室人员")
		}
		return deny("不是本办公室人员，也不在值班表上")
	}
	return deny("未定义的操作，默认拒绝")
}
