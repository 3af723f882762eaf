package access

import (
	"testing"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/planner"
)

// Who keeps and who sees a leader's calendar, and who edits and approves
// the week programme, for every role in every relation to the leader.
func TestPlannerRules(t *testing.T) {
	const leader, office, elsewhere, deputy = "p-leader", "u-office", "u-else", "p-deputy"
	obj := func(delegates ...string) Object {
		return Object{Kind: "person", ID: leader, UnitID: office, Delegates: delegates}
	}
	sub := func(id string, r org.Role, unit string) Subject {
		ra := org.RoleAssignment{PersonID: id, Role: r, UnitID: unit}
		if r.Admin() {
			ra.UnitID = ""
		}
		return Subject{PersonID: id, Roles: []org.RoleAssignment{ra}, Clearance: org.Secret}
	}
	cases := []struct {
		name        string
		s           Subject
		o           Object
		keep        bool
		reach       Reach
		edit, apprv bool // the programme of the organ whose office is office
	}{
		{"the leader", sub(leader, org.RoleLeader, "u-organ"), obj(), true, ReachAll, false, false},
		{"a clerk of the serving office", sub(me, org.RoleClerk, office), obj(), true, ReachAll, true, false},
		{"its director", sub(me, org.RoleOfficeDirector, office), obj(), true, ReachAll, true, true},
		{"a clerk elsewhere", sub(me, org.RoleClerk, elsewhere), obj(), false, ReachOrgan, false, false},
		{"a director elsewhere", sub(me, org.RoleOfficeDirector, elsewhere), obj(), false, ReachOrgan, false, false},
		{"another leader", sub(me, org.RoleLeader, "u-organ"), obj(), false, ReachLeaders, false, false},
		{"the leader's deputy under a delegation", sub(deputy, org.RoleLeader, "u-organ"), obj(deputy), true, ReachAll, false, false},
		{"a handler", sub(me, org.RoleHandler, office), obj(), false, ReachOrgan, false, false},
		{"a supervisor", sub(me, org.RoleSupervisor, elsewhere), obj(), false, ReachOrgan, false, false},
		{"a confidential clerk of the office", sub(me, org.RoleConfidentialClerk, office), obj(), false, ReachOrgan, false, false},
		{"the system administrator", sub(me, org.RoleSysAdmin, ""), obj(), false, ReachNone, false, false},
		{"the security officer", sub(me, org.RoleSecurityOfficer, ""), obj(), false, ReachNone, false, false},
		{"the auditor", sub(me, org.RoleAuditor, ""), obj(), false, ReachNone, false, false},
		{"an administrator's calendar", sub(me, org.RoleOfficeDirector, office), Object{Kind: "person", ID: "p-admin", UnitID: office, Admin: true}, false, ReachNone, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if d := Decide(c.s, KeepSchedule, c.o); d.Allow != c.keep || d.Reason == "" {
				t.Errorf("keep: %v (%s), want %v", d.Allow, d.Reason, c.keep)
			}
			if d := Decide(c.s, ViewSchedule, c.o); d.Allow != (c.reach > ReachNone) {
				t.Errorf("view: %v (%s), want %v", d.Allow, d.Reason, c.reach > ReachNone)
			}
			if got := ScheduleReachOf(c.s, c.o); got != c.reach {
				t.Errorf("reach %d, want %d", got, c.reach)
			}
			prog := Object{Kind: "organ", ID: "u-organ", UnitID: office}
			if d := Decide(c.s, EditProgramme, prog); d.Allow != c.edit {
				t.Errorf("edit programme: %v (%s)", d.Allow, d.Reason)
			}
			if d := Decide(c.s, ApproveProgramme, prog); d.Allow != c.apprv {
				t.Errorf("approve programme: %v (%s)", d.Allow, d.Reason)
			}
		})
	}
}

// What each reach shows in full; the rest shows as 忙.
func TestReachSees(t *testing.T) {
	cases := []struct {
		r                      Reach
		organ, leaders, secret bool
	}{
		{ReachNone, false, false, false},
		{ReachOrgan, true, false, false},
		{ReachLeaders, true, true, false},
		{ReachAll, true, true, true},
	}
	for _, c := range cases {
		if c.r.Sees(planner.Organ) != c.organ || c.r.Sees(planner.Leaders) != c.leaders || c.r.Sees(planner.Private) != c.secret || c.r.Sees("x") {
			t.Errorf("reach %d", c.r)
		}
	}
}
