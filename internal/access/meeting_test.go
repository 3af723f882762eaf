package access

import (
	"testing"

	"github.com/shuniu-oa/shuniu/internal/org"
)

func TestDecideBookMeeting(t *testing.T) {
	office := MeetingOffice{UnitID: "政府办", Sections: []string{"秘书科", "督查室"}}
	clerk := Subject{PersonID: "p", Roles: []org.RoleAssignment{{Role: org.RoleClerk, UnitID: "秘书科"}}}
	director := Subject{PersonID: "d", Roles: []org.RoleAssignment{{Role: org.RoleOfficeDirector, UnitID: "政府办"}}}
	other := Subject{PersonID: "o", Roles: []org.RoleAssignment{{Role: org.RoleHandler, UnitID: "发改局"}}}
	admin := Subject{PersonID: "a", Roles: []org.RoleAssignment{{Role: org.RoleSysAdmin, UnitID: "政府办"}}}
	secret := office
	secret.Level = int(org.Confidential)
	cases := []struct {
		name string
		s    Subject
		o    MeetingOffice
		want bool
	}{
		{"a section's clerk", clerk, office, true},
		{"the office's director", director, office, true},
		{"another unit", other, office, false},
		{"an administrator", admin, office, false},
		{"a classified meeting above the clerk's clearance", clerk, secret, false},
		{"no office", clerk, MeetingOffice{}, false},
		{"signed out", Subject{}, office, false},
	}
	for _, c := range cases {
		if got := DecideBookMeeting(c.s, c.o); got.Allow != c.want {
			t.Errorf("%s: %v (%s)", c.name, got.Allow, got.Reason)
		}
	}
	if d := Decide(director, BookMeeting, Object{UnitID: "政府办"}); !d.Allow {
		t.Errorf("Decide: %s", d.Reason)
	}
}
