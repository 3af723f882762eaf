package access

import "github.com/shuniu-oa/shuniu/internal/org"

// 考核评比: the scoreboard is computed from records and shown to every
// business user — the figures are the point, so that a unit can see why it
// ranks where it does. The records behind a figure are each shown only to
// whom ReadObject (or the module's own decision) allows; the rest are
// counted, not listed.
const (
	// ViewEvaluation: read scoreboards, trends, candidates and 五不让.
	ViewEvaluation Action = "evaluate.view"
	// ManageEvaluation: add a version of the deployment's rules, record a
	// unit's rename or merge. The system administrator, as for other
	// deployment settings.
	ManageEvaluation Action = "evaluate.manage"
)

// DecideEvaluation decides ViewEvaluation and ManageEvaluation; Decide
// answers them too.
func DecideEvaluation(s Subject, a Action) Decision {
	if s.PersonID == "" {
		return deny("未登录")
	}
	switch a {
	case ViewEvaluation:
		if s.business() {
			return allow("业务用户")
		}
		return deny("三员账户不查看考核评比")
	case ManageEvaluation:
		if s.has(org.RoleSysAdmin) {
			return allow("考核规则由系统管理员按本部署的考核办法设置")
		}
		return deny("考核规则由系统管理员设置")
	}
	return deny("未定义的操作，默认拒绝")
}
