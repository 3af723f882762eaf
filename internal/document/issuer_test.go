package document

import (
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
)

var issuerUnits = map[string]org.Unit{
	"gov":       {ID: "gov", Name: "区政府", Kind: org.KindLeadingBody},
	"office":    {ID: "office", ParentID: "gov", Name: "政府办", Kind: org.KindOffice},
	"secretary": {ID: "secretary", ParentID: "office", Name: "秘书科", Kind: org.KindSection},
	"town":      {ID: "town", Name: "石桥镇", Kind: org.KindTown},
	"tpo":       {ID: "tpo", ParentID: "town", Name: "石桥镇党政办", Kind: org.KindOffice},
	"edu":       {ID: "edu", ParentID: "gov", Name: "区教育局", Kind: org.KindDepartment},
	"eduoffice": {ID: "eduoffice", ParentID: "edu", Name: "区教育局办公室", Kind: org.KindSection},
	"safety":    {ID: "safety", ParentID: "gov", Name: "区应急局", Kind: org.KindDepartment},
	"audit":     {ID: "audit", ParentID: "gov", Name: "区审计局", Kind: org.KindDepartment},
}

// TestIssuers: an office drafts in its own name and in that of the organ it
// serves; a department or its section only in its own.
func TestIssuers(t *testing.T) {
	for unit, want := range map[string]string{
		"secretary": "office gov",
		"office":    "office gov",
		"tpo":       "tpo town",
		"eduoffice": "edu",
		"edu":       "edu",
		"gov":       "gov",
		"nowhere":   "",
	} {
		if got := strings.Join(Issuers(issuerUnits, unit), " "); got != want {
			t.Errorf("%s: %q, want %q", unit, got, want)
		}
	}
}

// TestSignerFor: a document 政府办 drafts in 区政府's name is signed by the
// 区长 when it goes up or is important, else by the 副区长 who oversees the
// first 主送 unit one of them oversees, else the one over the office, else
// the 区长; drafting in one's own name leaves it to the template.
func TestSignerFor(t *testing.T) {
	positions := []org.Position{
		{PersonID: "mayor", UnitID: "gov", Title: "区长", Head: true, Primary: true},
		{PersonID: "social", UnitID: "gov", Title: "副区长", Primary: true},
		{PersonID: "economy", UnitID: "gov", Title: "副区长", Primary: true},
		{PersonID: "director", UnitID: "office", Title: "主任", Head: true, Primary: true},
	}
	oversight := []org.Oversight{
		{LeaderID: "mayor", UnitID: "office"}, {LeaderID: "mayor", UnitID: "audit"},
		{LeaderID: "social", UnitID: "edu"}, {LeaderID: "economy", UnitID: "safety"}, {LeaderID: "economy", UnitID: "town"},
	}
	for _, tt := range []struct {
		name     string
		typ      DocType
		issuer   string
		drafting string
		to       []string
		want     string
	}{
		{"notice to 教育局: its 分管", Notice, "gov", "secretary", []string{"edu"}, "social"},
		{"notice to a section: its organ's 分管", Notice, "gov", "secretary", []string{"eduoffice", "safety"}, "social"},
		{"first overseen 主送 wins", Notice, "gov", "secretary", []string{"tpo", "edu"}, "economy"},
		{"nobody oversees the 主送: the office's", Opinion, "gov", "secretary", []string{"nowhere"}, "mayor"},
		{"upward: the principal", Request, "gov", "secretary", []string{"edu"}, "mayor"},
		{"report: the principal", Report, "gov", "office", nil, "mayor"},
		{"decision: the principal", Decision, "gov", "secretary", []string{"edu"}, "mayor"},
		{"own name: the template's", Notice, "office", "secretary", []string{"edu"}, ""},
		{"no issuer", Notice, "", "secretary", nil, ""},
	} {
		got := SignerFor(Signing{Doc: Document{Type: tt.typ}, Issuer: tt.issuer, Drafting: tt.drafting, To: tt.to, Units: issuerUnits,
			Positions: positions, Oversight: oversight})
		if got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestUnitTask: work handed to a unit goes to the head of the office that
// handles its documents.
func TestUnitTask(t *testing.T) {
	for unit, want := range map[string]string{
		"town":      "tpo",    // a town: its 党政办
		"tpo":       "tpo",    // the office itself
		"edu":       "edu",    // a bureau whose office is a section: the bureau
		"eduoffice": "edu",    // a section: its organ's office
		"gov":       "office", // a leading body: its office
	} {
		a, ok := UnitTask(issuerUnits, unit)
		if !ok || a != (route.Assignee{Kind: route.Role, Role: route.RoleOfficeHead, Unit: want}) {
			t.Errorf("%s: %+v %v, want the office head of %s", unit, a, ok, want)
		}
	}
	if _, ok := UnitTask(issuerUnits, "nowhere"); ok {
		t.Error("an unknown unit has an office")
	}
}
