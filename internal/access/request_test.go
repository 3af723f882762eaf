package access

import (
	"testing"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// TestDecideRequest: the office handling requests keeps the pool and reads
// every request; the requester and those on the route read theirs; nobody
// else, and no administrator.
func TestDecideRequest(t *testing.T) {
	office, other := "OFFICE", "OTHER"
	o := RequestObject{OfficeID: office, Participants: []string{"requester", "approver"}}
	who := func(id string, r org.Role, unit string) Subject {
		return Subject{PersonID: id, Roles: []org.RoleAssignment{{PersonID: id, Role: r, UnitID: unit}}, Clearance: org.Secret}
	}
	cases := []struct {
		name         string
		s            Subject
		manage, read bool
	}{
		{"the office director", who("d", org.RoleOfficeDirector, office), true, true},
		{"a clerk of the office", who("c", org.RoleClerk, office), true, true},
		{"a confidential clerk of the office", who("j", org.RoleConfidentialClerk, office), true, true},
		{"a handler of the office", who("h", org.RoleHandler, office), false, false},
		{"the requester, elsewhere", who("requester", org.RoleHandler, other), false, true},
		{"an approver, a leader", who("approver", org.RoleLeader, other), false, true},
		{"another office's director", who("x", org.RoleOfficeDirector, other), false, false},
		{"the system administrator", who("a", org.RoleSysAdmin, office), false, false},
		{"the auditor as requester", who("requester", org.RoleAuditor, ""), false, false},
		{"nobody", Subject{}, false, false},
	}
	for _, tc := range cases {
		for _, c := range []struct {
			a    Action
			want bool
		}{{ManageRequests, tc.manage}, {ReadRequest, tc.read}} {
			d := Decide(tc.s, c.a, Object{UnitID: o.OfficeID, Participants: o.Participants})
			if d.Allow != c.want || d.Reason == "" {
				t.Errorf("%s, %s: %v (%s), want %v", tc.name, c.a, d.Allow, d.Reason, c.want)
			}
		}
	}
}
