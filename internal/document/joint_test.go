package document

import (
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/route"
)

// TestJointIssue: the mark and the 署名 name every organ, lead first; a
// section, a repeated organ or an unknown one is refused.
func TestJointIssue(t *testing.T) {
	mark, sigs, err := JointIssue(issuerUnits, "gov", []string{"town", "edu"})
	if err != nil || mark != "区政府、石桥镇、区教育局文件" || strings.Join(sigs, " ") != "区政府 石桥镇 区教育局" {
		t.Fatalf("joint: %q %v %v", mark, sigs, err)
	}
	if mark, sigs, _ := JointIssue(issuerUnits, "office", nil); mark != "政府办文件" || len(sigs) != 1 {
		t.Errorf("alone: %q %v", mark, sigs)
	}
	for _, tt := range []struct {
		lead string
		co   []string
		err  string
	}{
		{"gov", []string{"eduoffice"}, "内设科室"},
		{"gov", []string{"edu", "edu"}, "重复"},
		{"gov", []string{"gov"}, "重复"},
		{"gov", []string{"nowhere"}, "不存在"},
		{"nowhere", nil, "不存在"},
		{"gov", make([]string, MaxCoIssuers+1), "不能超过"},
	} {
		if _, _, err := JointIssue(issuerUnits, tt.lead, tt.co); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s %v: %v, want %q", tt.lead, tt.co, err, tt.err)
		}
	}
}

// TestJointMissing: each co-issuing organ must be reached by the 会签 — its
// leader, its office or a unit of it; a leading body through its office.
func TestJointMissing(t *testing.T) {
	leader := func(u string) route.Assignee { return route.Assignee{Kind: route.Leader, Unit: u} }
	office := func(u string) route.Assignee {
		return route.Assignee{Kind: route.Role, Role: route.RoleOfficeHead, Unit: u}
	}
	for _, tt := range []struct {
		co   []string
		cs   []route.Assignee
		want string
	}{
		{[]string{"edu", "town"}, []route.Assignee{office("edu")}, "石桥镇"},
		{[]string{"town"}, []route.Assignee{office("tpo")}, ""}, // a town through its 党政办
		{[]string{"edu", "town"}, []route.Assignee{leader("eduoffice"), leader("town")}, ""},
		{[]string{"gov"}, []route.Assignee{office("office")}, ""},
		{[]string{"edu"}, []route.Assignee{{Kind: route.Person, Person: "p"}}, "区教育局"},
		{[]string{"edu", "safety"}, nil, "区教育局 区应急局"},
		{nil, nil, ""},
	} {
		if got := strings.Join(JointMissing(issuerUnits, tt.co, tt.cs), " "); got != tt.want {
			t.Errorf("%v by %v: %q, want %q", tt.co, tt.cs, got, tt.want)
		}
	}
}
