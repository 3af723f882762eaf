package access

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/org"
)

const (
	me        = "p-me"
	myUnit    = "u-mine"
	otherUnit = "u-other"
)

func subjectWith(r org.Role, clearance org.Classification) Subject {
	ra := org.RoleAssignment{PersonID: me, Role: r, UnitID: myUnit}
	if r.Admin() {
		ra.UnitID = ""
	}
	return Subject{PersonID: me, Roles: []org.RoleAssignment{ra}, Clearance: clearance}
}

// The actions that are not about one object, and exactly who may do them.
var roleActions = map[Action][]org.Role{
	ViewWorkbench:    {org.RoleClerk, org.RoleOfficeDirector, org.RoleLeader, org.RoleHandler, org.RoleSupervisor, org.RoleConfidentialClerk},
	ViewDirectory:    org.AllRoles(),
	ChangePassword:   org.AllRoles(),
	IssueAPIToken:    org.AllRoles(),
	ManageAccounts:   {org.RoleSysAdmin},
	ManageUnits:      {org.RoleSysAdmin},
	ManagePeople:     {org.RoleSysAdmin},
	AssignRoles:      {org.RoleSysAdmin},
	ManageSettings:   {org.RoleSysAdmin},
	EditWordLists:    {org.RoleOfficeDirector},
	GrantClearance:   {org.RoleSecurityOfficer},
	ManageGrants:     {org.RoleSecurityOfficer},
	ManagePolicy:     {org.RoleSecurityOfficer},
	ManageSeals:      {org.RoleSecurityOfficer},
	ReadAudit:        {org.RoleAuditor},
	VerifyAudit:      {org.RoleAuditor},
	ViewEvaluation:   {org.RoleClerk, org.RoleOfficeDirector, org.RoleLeader, org.RoleHandler, org.RoleSupervisor, org.RoleConfidentialClerk},
	ManageEvaluation: {org.RoleSysAdmin},
}

func TestRoleActions(t *testing.T) {
	for _, a := range AllActions() {
		if a == ReadObject || a == CreateObject || a == Delegate || a == ManageRoutes || a == Classify || slices.Contains(PlannerActions(), a) ||
			a == BookMeeting || a == ReadMaterial || a == AddMaterial || a == ManageDuty || a == ReadDuty || a == ManageRequests || a == ReadRequest ||
			slices.Contains([]Action{SubmitInfo, ReadInfo, EditInfo, SuperviseInfo}, a) || // object rules: TestDecideInfo
			slices.Contains([]Action{ManageResearch, ReportResearch, ReadResearch, ManageStudy, ReadStudy}, a) { // TestDecideResearch, TestDecideStudy
			continue
		}
		allowed, ok := roleActions[a]
		if !ok {
			t.Fatalf("action %s has no expectation in the table", a)
		}
		for _, r := range org.AllRoles() {
			for _, level := range org.AllClassifications() {
				want := false
				for _, ar := range allowed {
					want = want || ar == r
				}
				// Object classification is irrelevant to these actions.
				d := Decide(subjectWith(r, org.Secret), a, Object{Level: level})
				if d.Allow != want {
					t.Errorf("%s × %s × %s: allow=%v (%s), want %v", r, a, level.Label(), d.Allow, d.Reason, want)
				}
				if d.Reason == "" {
					t.Errorf("%s × %s: empty reason", r, a)
				}
			}
		}
	}
}

// relation is how the subject stands to the object.
type relation int

const (
	participant relation = iota
	granted
	sameUnit
	stranger
)

func (r relation) object(level org.Classification) Object {
	o := Object{Kind: "document", ID: "d1", Level: level, UnitID: otherUnit}
	switch r {
	case participant:
		o.Participants = []string{"someone", me}
	case granted:
		o.Grants = []string{me}
	case sameUnit:
		o.UnitID = myUnit
	}
	return o
}

func TestReadAndCreateObjects(t *testing.T) {
	// Expected outcome for a business role, by clearance, object level and relation:
	// readable when clearance ≥ level and (participant or granted, or same unit for 非密).
	type key struct {
		clearance, level org.Classification
		rel              relation
	}
	want := map[key]bool{}
	for _, c := range org.AllClassifications() {
		for _, l := range org.AllClassifications() {
			ok := c >= l
			want[key{c, l, participant}] = ok
			want[key{c, l, granted}] = ok
			want[key{c, l, sameUnit}] = ok && l == org.Unclassified
			want[key{c, l, stranger}] = false
		}
	}
	for _, r := range org.AllRoles() {
		for k, w := range want {
			if r.Admin() {
				w = false // the three administrators never read business content
			}
			d := Decide(subjectWith(r, k.clearance), ReadObject, k.rel.object(k.level))
			if d.Allow != w {
				t.Errorf("read: role %s clearance %s level %s rel %d: allow=%v (%s), want %v",
					r, k.clearance.Label(), k.level.Label(), k.rel, d.Allow, d.Reason, w)
			}
			// Create: only business roles, in their own unit, up to their clearance.
			cw := !r.Admin() && k.rel == sameUnit && k.clearance >= k.level
			d = Decide(subjectWith(r, k.clearance), CreateObject, k.rel.object(k.level))
			if d.Allow != cw {
				t.Errorf("create: role %s clearance %s level %s rel %d: allow=%v (%s), want %v",
					r, k.clearance.Label(), k.level.Label(), k.rel, d.Allow, d.Reason, cw)
			}
		}
	}
}

// A delegation is made by the person who delegates, or, where the deployment
// allows it, by the director of the office serving them; never by an
// administrator, and never for an administrator.
func TestDelegate(t *testing.T) {
	const office = "u-office"
	for _, r := range org.AllRoles() {
		for _, level := range org.AllClassifications() {
			for _, directors := range []bool{false, true} {
				s := subjectWith(r, level)
				// The director's role is held in the office serving the person.
				for i := range s.Roles {
					if s.Roles[i].Role == org.RoleOfficeDirector {
						s.Roles[i].UnitID = office
					}
				}
				self := Decide(s, Delegate, Object{Kind: "person", ID: me, UnitID: office, DirectorDelegates: directors})
				served := Decide(s, Delegate, Object{Kind: "person", ID: "p-leader", UnitID: office, DirectorDelegates: directors})
				elsewhere := Decide(s, Delegate, Object{Kind: "person", ID: "p-other", UnitID: "u-other-office", DirectorDelegates: directors})
				admin := Decide(s, Delegate, Object{Kind: "person", ID: "p-auditor", UnitID: office, DirectorDelegates: directors, Admin: true})
				wantSelf := !r.Admin()
				wantServed := directors && r == org.RoleOfficeDirector
				if self.Allow != wantSelf || served.Allow != wantServed || elsewhere.Allow || admin.Allow {
					t.Errorf("%s/%s directors=%v: self %v served %v elsewhere %v admin %v, want %v %v false false",
						r, level.Label(), directors, self.Allow, served.Allow, elsewhere.Allow, admin.Allow, wantSelf, wantServed)
				}
				if !served.Allow && served.Reason == "" {
					t.Errorf("%s: empty reason", r)
				}
			}
		}
	}
}

// The system administrator manages accounts, but not the three
// administrators' own: those are reset and locked from the command line.
func TestManageAdminAccounts(t *testing.T) {
	for _, r := range org.AllRoles() {
		s := subjectWith(r, org.Unclassified)
		list := Decide(s, ManageAccounts, Object{}).Allow
		person := Decide(s, ManageAccounts, Object{Kind: "person", ID: "p-clerk"}).Allow
		admin := Decide(s, ManageAccounts, Object{Kind: "person", ID: "p-auditor", Admin: true})
		want := r == org.RoleSysAdmin
		if list != want || person != want || admin.Allow || !strings.Contains(admin.Reason, "命令行") {
			t.Errorf("%s: list %v person %v admin %v (%s)", r, list, person, admin.Allow, admin.Reason)
		}
	}
}

// A bearer token acts for its holder, except to make tokens or change the
// password: those need a browser session.
func TestBearer(t *testing.T) {
	for _, r := range org.AllRoles() {
		s := subjectWith(r, org.Secret)
		s.Bearer = true
		for _, a := range []Action{IssueAPIToken, ChangePassword} {
			if d := Decide(s, a, Object{}); d.Allow || !strings.Contains(d.Reason, "浏览器") {
				t.Errorf("%s by token: %v (%s)", a, d.Allow, d.Reason)
			}
		}
		if d := Decide(s, ViewDirectory, Object{}); !d.Allow {
			t.Errorf("%s: token cannot read the directory: %s", r, d.Reason)
		}
	}
}

func TestManageRoutes(t *testing.T) {
	for _, r := range org.AllRoles() {
		for _, level := range org.AllClassifications() {
			s := subjectWith(r, level)
			own := Decide(s, ManageRoutes, Object{Kind: "unit", UnitID: myUnit}).Allow
			other := Decide(s, ManageRoutes, Object{Kind: "unit", UnitID: otherUnit}).Allow
			wantOwn := r == org.RoleSysAdmin || r == org.RoleOfficeDirector
			wantOther := r == org.RoleSysAdmin
			if own != wantOwn || other != wantOther {
				t.Errorf("%s/%s: own %v other %v, want %v %v", r, level.Label(), own, other, wantOwn, wantOther)
			}
		}
	}
}

// TestEditWordLists: the word lists are the deployment's, so an office
// director of any unit keeps them, whatever the object names.
func TestEditWordLists(t *testing.T) {
	for _, unit := range []string{myUnit, otherUnit, "u-town"} {
		s := Subject{PersonID: me, Roles: []org.RoleAssignment{{PersonID: me, Role: org.RoleOfficeDirector, UnitID: unit}}}
		for _, o := range []Object{{}, {Kind: "settings", UnitID: otherUnit}} {
			if d := Decide(s, EditWordLists, o); !d.Allow {
				t.Errorf("director of %s on %+v: %s", unit, o, d.Reason)
			}
		}
	}
}

func TestDefaultDeny(t *testing.T) {
	for _, s := range []Subject{{}, subjectWith(org.RoleSysAdmin, org.Secret), subjectWith(org.RoleLeader, org.Secret)} {
		if d := Decide(s, Action("document.destroy"), Object{}); d.Allow {
			t.Errorf("unknown action allowed for %+v", s)
		}
	}
	if d := Decide(Subject{}, ViewDirectory, Object{}); d.Allow {
		t.Error("anonymous subject allowed")
	}
	// A business role in another unit does not make an object in mine readable.
	s := Subject{PersonID: me, Clearance: org.Secret, Roles: []org.RoleAssignment{{PersonID: me, Role: org.RoleClerk, UnitID: "u-x"}}}
	if d := Decide(s, ReadObject, Object{UnitID: myUnit}); d.Allow {
		t.Error("clerk of another unit reads my unit's object")
	}
	if d := Decide(s, ReadObject, Object{UnitID: myUnit, Level: org.Classification(3)}); d.Allow {
		t.Error("invalid level allowed")
	}
}

func ExampleDecide() {
	s := Subject{PersonID: "p1", Clearance: org.Confidential, Roles: []org.RoleAssignment{{PersonID: "p1", Role: org.RoleClerk, UnitID: "u1"}}}
	d := Decide(s, ReadObject, Object{UnitID: "u1", Level: org.Secret, Participants: []string{"p1"}})
	fmt.Println(d.Allow, d.Reason)
	// Output: false 您的涉密等级（秘密）低于该事项的密级（机密）
}

// TestClassify: 定密, 变更密级 and 解密 of a document are for the 定密责任人 of
// the organ that owns it — its leaders and office director — within their
// clearance (the higher of the current and the new level); for nobody else,
// whatever their role or clearance, and never for the three administrators.
func TestClassify(t *testing.T) {
	levels := org.AllClassifications()
	for _, r := range org.AllRoles() {
		for _, clearance := range levels {
			for _, from := range levels {
				for _, to := range levels {
					for _, unit := range []string{myUnit, otherUnit} {
						s := subjectWith(r, clearance)
						d := Decide(s, Classify, Object{Kind: "document", ID: "d1", UnitID: unit, Level: from, NewLevel: to})
						want := (r == org.RoleLeader || r == org.RoleOfficeDirector) && unit == myUnit && clearance >= max(from, to)
						if d.Allow != want || d.Reason == "" {
							t.Errorf("%s (clearance %s) in %s: %s → %s: allow=%v (%s), want %v",
								r, clearance.Label(), unit, from.Label(), to.Label(), d.Allow, d.Reason, want)
						}
					}
				}
			}
		}
	}
	// Named reasons for the usual refusals.
	director := subjectWith(org.RoleOfficeDirector, org.Confidential)
	for _, c := range []struct {
		s    Subject
		o    Object
		want string
	}{
		{director, Object{UnitID: myUnit, Level: org.Confidential, NewLevel: org.Secret}, "低于机密"},
		{director, Object{UnitID: otherUnit, NewLevel: org.Confidential}, "定密责任人"},
		{subjectWith(org.RoleClerk, org.Secret), Object{UnitID: myUnit, NewLevel: org.Confidential}, "定密责任人"},
		{subjectWith(org.RoleSecurityOfficer, org.Secret), Object{NewLevel: org.Confidential}, "三员"},
		{director, Object{UnitID: myUnit, NewLevel: org.Classification(3)}, "无效密级"},
		{Subject{}, Object{UnitID: myUnit}, "未登录"},
	} {
		if d := Decide(c.s, Classify, c.o); d.Allow || !strings.Contains(d.Reason, c.want) {
			t.Errorf("%+v on %+v: %v %q, want a refusal with %q", c.s.Roles, c.o, d.Allow, d.Reason, c.want)
		}
	}
}
