package access

import (
	"testing"

	"github.com/shuniu-oa/shuniu/internal/org"
)

func TestDecideResearch(t *testing.T) {
	const office, unit = "off", "town"
	as := func(r org.Role, u string) Subject {
		return Subject{PersonID: me, Roles: []org.RoleAssignment{{PersonID: me, Role: r, UnitID: u}}}
	}
	topic := ResearchObject{OfficeID: office, Units: []string{unit}}
	for _, c := range []struct {
		name string
		s    Subject
		a    Action
		o    ResearchObject
		want bool
	}{
		{"office clerk manages", as(org.RoleClerk, office), ManageResearch, topic, true},
		{"leader manages", as(org.RoleLeader, "gov"), ManageResearch, topic, true},
		{"town clerk does not manage", as(org.RoleClerk, unit), ManageResearch, topic, false},
		{"town handler reports", as(org.RoleHandler, unit), ReportResearch, topic, true},
		{"other unit does not report", as(org.RoleHandler, "x"), ReportResearch, topic, false},
		{"town reads", as(org.RoleHandler, unit), ReadResearch, topic, true},
		{"named person reads", as(org.RoleHandler, "x"), ReadResearch, ResearchObject{OfficeID: office, People: []string{me}}, true},
		{"督查室 reads", as(org.RoleSupervisor, office), ReadResearch, topic, true},
		{"stranger does not read", as(org.RoleHandler, "x"), ReadResearch, topic, false},
		{"sysadmin does not read", as(org.RoleSysAdmin, ""), ReadResearch, topic, false},
		{"anonymous", Subject{}, ReadResearch, topic, false},
	} {
		d := DecideResearch(c.s, c.a, c.o)
		if d.Allow != c.want || d.Reason == "" {
			t.Errorf("%s: %+v", c.name, d)
		}
		if g := Decide(c.s, c.a, Object{UnitID: c.o.OfficeID, Grants: c.o.Units, Participants: c.o.People}); g != d {
			t.Errorf("%s: Decide %+v, DecideResearch %+v", c.name, g, d)
		}
	}
}

func TestDecideStudy(t *testing.T) {
	const office = "off"
	as := func(r org.Role, u string) Subject {
		return Subject{PersonID: me, Roles: []org.RoleAssignment{{PersonID: me, Role: r, UnitID: u}}}
	}
	for _, c := range []struct {
		name string
		s    Subject
		a    Action
		o    StudyObject
		want bool
	}{
		{"office director manages", as(org.RoleOfficeDirector, office), ManageStudy, StudyObject{OfficeID: office}, true},
		{"leader does not manage", as(org.RoleLeader, office), ManageStudy, StudyObject{OfficeID: office}, false},
		{"anyone reads the library", as(org.RoleHandler, "x"), ReadStudy, StudyObject{OfficeID: office, Library: true}, true},
		{"invitee reads the session", as(org.RoleHandler, "x"), ReadStudy, StudyObject{OfficeID: office, People: []string{me}}, true},
		{"others do not", as(org.RoleHandler, "x"), ReadStudy, StudyObject{OfficeID: office, People: []string{"p2"}}, false},
		{"auditor does not", as(org.RoleAuditor, ""), ReadStudy, StudyObject{Library: true}, false},
	} {
		d := DecideStudy(c.s, c.a, c.o)
		if d.Allow != c.want || d.Reason == "" {
			t.Errorf("%s: %+v", c.name, d)
		}
		kind := ""
		if c.o.Library {
			kind = "study_library"
		}
		if g := Decide(c.s, c.a, Object{Kind: kind, UnitID: c.o.OfficeID, Participants: c.o.People}); g != d {
			t.Errorf("%s: Decide %+v, DecideStudy %+v", c.name, g, d)
		}
	}
}
