package document

import (
	"strings"

	"github.com/shuniu-oa/shuniu/internal/route"
)

// NoticeText words a route notice (route.Notices) on a document for its
// receiver. what names the document as the receiver may see it: 《title》 when
// they may read it, else only its kind ("一份机密公文"); by is the name of the
// person who acted, unit the unit the document came from (for a copy
// received), both names, never IDs.
func NoticeText(n route.Notice, what, by, from string) (subject, body string) {
	step := n.Step
	opinion := ""
	if c := strings.TrimSpace(n.Comment); c != "" {
		opinion = "意见：" + c
	}
	join := func(parts ...string) string {
		var b []string
		for _, p := range parts {
			if p != "" {
				b = append(b, p)
			}
		}
		return strings.Join(b, "\n")
	}
	switch n.Kind {
	case route.NoticeReturned:
		return "退回：" + step + what, join(by+" 将"+what+"退回到“"+step+"”环节，请重新办理。", opinion)
	case route.NoticeForwarded:
		return "转办：" + step + what, join(by+" 将"+what+"的“"+step+"”转交您办理。", opinion)
	case route.NoticeUrged:
		return "催办：" + step + what, join(by+" 催办"+what+"的“"+step+"”，请尽快办理。", opinion)
	case route.NoticeWithdrawn:
		return "撤回：" + step + what, join(by+" 撤回了"+what+"，您在“"+step+"”环节的待办已取消。", opinion)
	case route.NoticeDisagreed:
		return "不同意：" + step + what, join(by+" 在“"+step+"”环节对"+what+"提出不同意见。", opinion)
	case route.NoticeClosed:
		return "办结：" + what, what + "已办结（最后环节“" + step + "”由 " + by + " 办理）。"
	}
	if from != "" {
		return "待办：" + step + what, join(from+"来文"+what+"，请办理“"+step+"”。", opinion)
	}
	return "待办：" + step + what, join(by+" 请您办理"+what+"的“"+step+"”。", opinion)
}
