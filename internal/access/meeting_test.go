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

func TestDecideMaterial(t *testing.T) {
	m := MeetingMaterial{Office: MeetingOffice{UnitID: "政府办", Sections: []string{"秘书科"}}, Organizer: "秘书",
		Attendees: []string{"区长", "局长", "王五"}, UnitID: "住建局", Presenter: "副局长"}
	sub := func(id, unit string, r org.Role) Subject {
		return Subject{PersonID: id, Roles: []org.RoleAssignment{{Role: r, UnitID: unit}}}
	}
	secret := m
	secret.Office.Level = int(org.Confidential)
	cleared := sub("局长", "发改局", org.RoleHandler)
	cleared.Clearance = org.Confidential
	cases := []struct {
		name string
		s    Subject
		a    Action
		m    MeetingMaterial
		want bool
	}{
		{"an attendee reads", sub("局长", "发改局", org.RoleHandler), ReadMaterial, m, true},
		{"the substitute named reads", sub("王五", "发改局", org.RoleHandler), ReadMaterial, m, true},
		{"an attendee may not upload", sub("局长", "发改局", org.RoleHandler), AddMaterial, m, false},
		{"the office's section reads", sub("科员", "秘书科", org.RoleClerk), ReadMaterial, m, true},
		{"the office's section uploads", sub("科员", "秘书科", org.RoleClerk), AddMaterial, m, true},
		{"the reporting unit uploads", sub("干部", "住建局", org.RoleHandler), AddMaterial, m, true},
		{"the presenter reads", sub("副局长", "区政府", org.RoleLeader), ReadMaterial, m, true},
		{"someone else is refused", sub("路人", "教育局", org.RoleHandler), ReadMaterial, m, false},
		{"an administrator is refused", sub("管理员", "政府办", org.RoleSysAdmin), ReadMaterial, m, false},
		{"an attendee below the level", sub("局长", "发改局", org.RoleHandler), ReadMaterial, secret, false},
		{"an attendee cleared for it", cleared, ReadMaterial, secret, true},
		{"signed out", Subject{}, ReadMaterial, m, false},
	}
	for _, c := range cases {
		if got := DecideMaterial(c.s, c.a, c.m); got.Allow != c.want {
			t.Errorf("%s: %v (%s)", c.name, got.Allow, got.Reason)
		}
	}
}
