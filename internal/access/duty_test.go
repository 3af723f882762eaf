package access

import (
	"testing"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// TestDecideDuty: the office and its sections keep the duty; those on the
// roster and the office's people read it; nobody else, and no administrator.
func TestDecideDuty(t *testing.T) {
	office, section, other := "OFFICE", "SECTION", "OTHER"
	o := DutyObject{UnitID: office, Sections: []string{section}, Participants: []string{"on-roster"}}
	who := func(id string, r org.Role, unit string) Subject {
		return Subject{PersonID: id, Roles: []org.RoleAssignment{{PersonID: id, Role: r, UnitID: unit}}, Clearance: org.Secret}
	}
	cases := []struct {
		name         string
		s            Subject
		manage, read bool
	}{
		{"the office director", who("d", org.RoleOfficeDirector, office), true, true},
		{"a clerk of its 秘书科", who("c", org.RoleClerk, section), true, true},
		{"a handler of the office", who("h", org.RoleHandler, office), false, true},
		{"a supervisor of the section", who("s", org.RoleSupervisor, section), false, true},
		{"a leader on the roster", who("on-roster", org.RoleLeader, other), false, true},
		{"another office's director", who("x", org.RoleOfficeDirector, other), false, false},
		{"a clerk elsewhere", who("y", org.RoleClerk, other), false, false},
		{"the system administrator", who("a", org.RoleSysAdmin, office), false, false},
		{"the auditor on the roster", who("on-roster", org.RoleAuditor, office), false, false},
		{"nobody", Subject{}, false, false},
	}
	for _, tc := range cases {
		for _, a := range []struct {
			act  Action
			want bool
		}{{ManageDuty, tc.manage}, {ReadDuty, tc.read}} {
			d := DecideDuty(tc.s, a.act, o)
			if d.Allow != a.want || d.Reason == "" {
				t.Errorf("%s × %s: %v (%s), want %v", tc.name, a.act, d.Allow, d.Reason, a.want)
			}
			// Decide answers alike for an object without sections.
			if len(tc.s.Roles) > 0 && tc.s.Roles[0].UnitID != section {
				dd := Decide(tc.s, a.act, Object{Kind: "duty_roster", UnitID: office, Participants: o.Participants})
				if dd.Allow != a.want {
					t.Errorf("Decide %s × %s: %v, want %v", tc.name, a.act, dd.Allow, a.want)
				}
			}
		}
	}
}
