package access

import "github.com/shuniu-oa/shuniu/internal/org"

// Study and training (学习培训): the office's director and 文秘 keep the
// plans, sessions and library; every business user reads the shared library
// and their own plans and sessions, and signs in.
const (
	// ManageStudy: plans, sessions (and their attendance), library entries
	// (object: UnitID the office).
	ManageStudy Action = "study.manage"
	// ReadStudy: the library, one's own plans and sessions (object:
	// Participants the people a plan or session names; none for the
	// library).
	ReadStudy Action = "study.read"
)

// StudyObject is a plan, session or library (or an office) as the decisions see it.
type StudyObject struct {
	OfficeID string
	People   []string // named by the plan or session; nil for the library
	Library  bool
}

// DecideStudy decides the study actions.
func DecideStudy(s Subject, a Action, o StudyObject) Decision {
	if s.PersonID == "" {
		return deny("未登录")
	}
	if !s.business() {
		return deny("三员账户不参加学习培训管理")
	}
	staff := o.OfficeID != "" && (s.holds(org.RoleOfficeDirector, o.OfficeID) || s.holds(org.RoleClerk, o.OfficeID))
	switch a {
	case ManageStudy:
		if staff {
			return allow("本办公室学习培训管理人员")
		}
		return deny("学习计划、培训和范文库由办公室主任或文秘管理")
	case ReadStudy:
		switch {
		case o.Library:
			return allow("范文库对全体业务人员开放")
		case staff:
			return allow("本办公室学习培训管理人员")
		}
		for _, p := range o.People {
			if p == s.PersonID {
				return allow("参学、参训人员")
			}
		}
		return deny("不在该学习计划或培训的名单中")
	}
	return deny("未定义的操作，默认拒绝")
}
