package document

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// MaxCoIssuers bounds the organs joining a joint issue: the 发文机关标志 stacks
// them, and a page holds only so many marks and seals.
const MaxCoIssuers = 8

// JointIssue decides the elements of a joint issue (联合发文) of the lead
// organ with the co-issuing organs: the 发文机关标志 names every organ, lead
// first ("甲、乙文件", which the layout stacks), and so does the 署名; the
// number is the lead's, in its series. With no co-issuers it returns the
// lead's own mark and 署名.
func JointIssue(units map[string]org.Unit, lead string, co []string) (mark string, signatures []string, err error) {
	l, ok := units[lead]
	if !ok {
		return "", nil, errors.New("发文机关不存在")
	}
	if len(co) > MaxCoIssuers {
		return "", nil, fmt.Errorf("联合发文的机关不能超过 %d 个（主办机关之外）", MaxCoIssuers)
	}
	names := []string{l.Name}
	seen := map[string]bool{lead: true}
	for _, id := range co {
		u, ok := units[id]
		switch {
		case !ok:
			return "", nil, errors.New("联合发文机关不存在")
		case u.Kind == org.KindSection:
			return "", nil, fmt.Errorf("%s是内设科室，不能作为联合发文机关", u.Name)
		case seen[id]:
			return "", nil, fmt.Errorf("%s重复列为发文机关", u.Name)
		}
		seen[id] = true
		names = append(names, u.Name)
	}
	return strings.Join(names, "、") + "文件", names, nil
}

// JointScope is the route scope key that keeps a joint issue's co-issuing
// organs (comma-separated IDs), for the 会签 they owe.
const JointScope = "joint"

// JointMissing lists, by name, the co-issuing organs the 会签 does not reach:
// every organ joining a joint issue signs it inside that organ — through
// its leader, or its office, or a unit of it —, so the office's 核稿 must send
// the 会签 to each of them.
func JointMissing(units map[string]org.Unit, co []string, countersign []route.Assignee) []string {
	reached := map[string]bool{}
	for _, a := range countersign {
		if a.Kind == route.Leader || a.Kind == route.Role || a.Kind == route.Unit {
			organ := org.OrganOf(units, a.Unit)
			reached[organ] = true
			if u, ok := units[organ]; ok && u.Kind == org.KindOffice {
				reached[u.ParentID] = true // a body's office signs for it
			}
		}
	}
	var missing []string
	for _, id := range co {
		if !reached[id] {
			name := id
			if u, ok := units[id]; ok {
				name = u.Name
			}
			missing = append(missing, name)
		}
	}
	return slices.Clip(missing)
}
