package access

import (
	"fmt"
	"slices"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// Information reports (信息报送): units submit to the district office; the
// office's editors (its director and 文秘, of the office or of one of its
// sections such as 信息科) edit, adopt, compile and score them; its 督查室
// turns a leader's 批示 into a supervision item.
const (
	// SubmitInfo: submit a report for a unit (object: UnitID the unit,
	// Level its 密级). A business user working in the unit, cleared for it.
	SubmitInfo Action = "info.submit"
	// ReadInfo: open a report. The people credited with it and their
	// units' colleagues (非密 only), and the receiving office's editors and
	// 督查室 — a classified report only within their clearance, as documents.
	ReadInfo Action = "info.read"
	// EditInfo: the receiving office's editing work — edit, adopt, decline,
	// return, merge, record adoptions and 批示, 约稿, publications, scoring
	// rules (object: the office, Level the report's 密级).
	EditInfo Action = "info.edit"
	// SuperviseInfo: turn a 批示 into a supervision item: the office's 督查室.
	SuperviseInfo Action = "info.supervise"
)

// InfoObject is a report (or, without one, an office) as the decisions see it.
type InfoObject struct {
	OfficeID string   // the office the report is submitted to
	Sections []string // the office's sections (信息科…)
	Units    []string // the units credited with the report
	Persons  []string // the people who submitted it
	Level    org.Classification
}

// InfoEditor reports whether s edits for the office (director or 文秘 there
// or in one of its sections).
func InfoEditor(s Subject, o InfoObject) bool {
	for _, u := range append([]string{o.OfficeID}, o.Sections...) {
		if u != "" && (s.holds(org.RoleOfficeDirector, u) || s.holds(org.RoleClerk, u)) {
			return true
		}
	}
	return false
}

func infoSupervisor(s Subject, o InfoObject) bool {
	for _, u := range append([]string{o.OfficeID}, o.Sections...) {
		if u != "" && s.holds(org.RoleSupervisor, u) {
			return true
		}
	}
	return false
}

// DecideInfo decides the information-report actions.
func DecideInfo(s Subject, a Action, o InfoObject) Decision {
	if s.PersonID == "" {
		return deny("未登录")
	}
	if !s.business() {
		return deny("三员账户不能办理信息报送")
	}
	if !o.Level.Valid() {
		return deny("无效密级")
	}
	if o.Level > s.Clearance {
		return deny(fmt.Sprintf("您的涉密等级（%s）低于该信息的密级（%s）", s.Clearance.Label(), o.Level.Label()))
	}
	switch a {
	case SubmitInfo:
		if len(o.Units) == 1 && s.inUnit(o.Units[0]) {
			return allow("本单位业务人员")
		}
		return deny("只能以本人任职的单位报送信息")
	case EditInfo:
		if InfoEditor(s, o) {
			return allow("本办公室信息编辑人员")
		}
		return deny("信息编辑、采用和编发只能由收信办公室的主任或文秘办理")
	case SuperviseInfo:
		if infoSupervisor(s, o) {
			return allow("本办公室督查人员")
		}
		return deny("批示转督办只能由收信办公室的督查人员办理")
	case ReadInfo:
		switch {
		case slices.Contains(o.Persons, s.PersonID):
			return allow("报送人")
		case InfoEditor(s, o):
			return allow("本办公室信息编辑人员")
		case infoSupervisor(s, o):
			return allow("本办公室督查人员")
		case o.Level > org.Unclassified:
			return deny("涉密信息仅限报送人和收信办公室编辑人员知悉")
		case slices.ContainsFunc(o.Units, s.inUnit):
			return allow("本单位报送的信息")
		}
		return deny("不是本单位报送的信息，也不是收信办公室的编辑人员")
	}
	return deny("未定义的操作，默认拒绝")
}
