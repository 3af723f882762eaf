package access

import (
	"testing"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// TestDecideInfo: units see their own reports, the receiving office's
// editors see all, a classified report only the submitter and the editors
// cleared for it; only the 督查室 turns a 批示 into supervision.
func TestDecideInfo(t *testing.T) {
	office, sec, town, other := "OFFICE", "INFO-SECTION", "TOWN", "OTHER"
	who := func(id string, r org.Role, unit string, c org.Classification) Subject {
		return Subject{PersonID: id, Roles: []org.RoleAssignment{{PersonID: id, Role: r, UnitID: unit}}, Clearance: c}
	}
	plain := InfoObject{OfficeID: office, Sections: []string{sec}, Units: []string{town}, Persons: []string{"submitter"}}
	secret := plain
	secret.Level = org.Confidential
	cases := []struct {
		name                           string
		s                              Subject
		o                              InfoObject
		read, edit, supervise, submits bool
	}{
		{"the submitter", who("submitter", org.RoleHandler, town, org.Unclassified), plain, true, false, false, true},
		{"a colleague in the town", who("c", org.RoleHandler, town, org.Unclassified), plain, true, false, false, true},
		{"a colleague, classified report", who("c", org.RoleHandler, town, org.Secret), secret, false, false, false, true},
		{"the submitter, classified, cleared", who("submitter", org.RoleHandler, town, org.Confidential), secret, true, false, false, true},
		{"the submitter, classified, not cleared", who("submitter", org.RoleHandler, town, org.Unclassified), secret, false, false, false, false},
		{"the office director", who("d", org.RoleOfficeDirector, office, org.Secret), secret, true, true, false, false},
		{"a clerk of the 信息科", who("k", org.RoleClerk, sec, org.Unclassified), plain, true, true, false, false},
		{"a clerk of the 信息科, classified, not cleared", who("k", org.RoleClerk, sec, org.Unclassified), secret, false, false, false, false},
		{"the 督查员", who("s", org.RoleSupervisor, office, org.Unclassified), plain, true, false, true, false},
		{"another unit", who("x", org.RoleOfficeDirector, other, org.Secret), plain, false, false, false, false},
		{"the system administrator", who("a", org.RoleSysAdmin, office, org.Secret), plain, false, false, false, false},
		{"nobody", Subject{}, plain, false, false, false, false},
	}
	for _, tc := range cases {
		for _, c := range []struct {
			a    Action
			want bool
		}{{ReadInfo, tc.read}, {EditInfo, tc.edit}, {SuperviseInfo, tc.supervise}, {SubmitInfo, tc.submits}} {
			d := DecideInfo(tc.s, c.a, tc.o)
			if d.Allow != c.want || d.Reason == "" {
				t.Errorf("%s, %s: %v (%s), want %v", tc.name, c.a, d.Allow, d.Reason, c.want)
			}
		}
	}
	if !Decide(who("d", org.RoleOfficeDirector, office, org.Secret), EditInfo, Object{UnitID: office}).Allow {
		t.Fatal("Decide does not answer EditInfo")
	}
}
