package document

import (
	"slices"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// Issuers are the organs a unit may draft in the name of (以…名义), its own
// first: its own organ, and — when that organ is the office (办公室) of a
// leading body or a town — the organ the office serves, since 政府办 drafts
// 区政府's documents (清政发, 清政函) as well as its own (清政办发).
func Issuers(units map[string]org.Unit, unitID string) []string {
	own := org.OrganOf(units, unitID)
	u, ok := units[own]
	if !ok {
		return nil
	}
	out := []string{own}
	if p, ok := units[u.ParentID]; ok && u.Kind == org.KindOffice && (p.Kind == org.KindLeadingBody || p.Kind == org.KindTown) {
		out = append(out, p.ID)
	}
	return out
}

// principalTypes are the doc types the organ's principal signs whatever
// their direction: the important ones (条例 art. 24: 重要公文和上行文由机关主要
// 负责人签发).
var principalTypes = []DocType{Resolution, Decision, Order, Communique, Motion}

// Signing is what deciding the 签发 leader needs to know.
type Signing struct {
	Doc       Document
	Issuer    string // the organ in whose name it is issued
	Drafting  string // the drafting unit
	To        []string
	Units     map[string]org.Unit
	Positions []org.Position // the issuer's posts: its leaders, the principal marked Head
	Oversight []org.Oversight
}

// SignerFor decides who signs off a document drafted by an office in the
// name of the organ it serves (条例 art. 24): upward and important documents
// go to the organ's principal (区长); the others to the organ's leader who
// oversees (分管) the matter — the first 主送 unit one of them oversees, else
// the drafting office — else to the principal. "" leaves it to the route
// template (an organ drafting its own documents: its leaders take the task).
func SignerFor(s Signing) string {
	if s.Issuer == "" || s.Issuer == org.OrganOf(s.Units, s.Drafting) {
		return ""
	}
	principal := ""
	var leaders []string
	for _, p := range s.Positions {
		if p.UnitID != s.Issuer {
			continue
		}
		if p.Head && principal == "" {
			principal = p.PersonID
		}
		if !slices.Contains(leaders, p.PersonID) {
			leaders = append(leaders, p.PersonID)
		}
	}
	if s.Doc.EffectiveDirection() == Upward || slices.Contains(principalTypes, s.Doc.Type) {
		return principal
	}
	// The leader over a unit or, walking up, over what it belongs to (a
	// town's 分管 副区长 over its 党政办, a bureau's over its sections).
	oversees := func(unit string) string {
		for u, depth := unit, 0; u != "" && depth < 16; u, depth = s.Units[u].ParentID, depth+1 {
			for _, l := range leaders {
				for _, o := range s.Oversight {
					if o.LeaderID == l && o.UnitID == u {
						return l
					}
				}
			}
		}
		return ""
	}
	for _, u := range s.To {
		if l := oversees(u); l != "" {
			return l
		}
	}
	if l := oversees(s.Drafting); l != "" {
		return l
	}
	return principal
}

// UnitTask is who receives work handed to another unit as a whole — a 会签,
// a 承办 or a 转办 to 区城市管理局 —: the head of the office that handles the
// unit's documents (its 办公室主任), who assigns it inside the unit. A
// section's work goes to its organ's office.
func UnitTask(units map[string]org.Unit, unitID string) (route.Assignee, bool) {
	if _, ok := units[unitID]; !ok {
		return route.Assignee{}, false
	}
	office := org.OfficeOf(units, org.OrganOf(units, unitID))
	return route.Assignee{Kind: route.Role, Role: route.RoleOfficeHead, Unit: office}, true
}
