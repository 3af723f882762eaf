package demo

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/shuniu-oa/shuniu/internal/org"
)

var testNow = time.Date(2026, 11, 30, 10, 15, 0, 0, time.FixedZone("CST", 8*3600))

func TestBuildTablesConsistent(t *testing.T) {
	if _, err := build(testNow); err != nil {
		t.Fatalf("demo tables inconsistent: %v", err)
	}
}

func TestValidate(t *testing.T) {
	if err := NewDistrict(testNow).Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestDeterministic(t *testing.T) {
	a, b := NewDistrict(testNow), NewDistrict(testNow)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls with the same now differ")
	}
	// Another day moves the delegations and nothing else.
	c := NewDistrict(testNow.AddDate(0, 1, 3))
	c.Delegations, a.Delegations = nil, nil
	if !reflect.DeepEqual(a, c) {
		t.Fatal("now changes more than the delegations")
	}
}

// TestStableIDs pins a few IDs: they appear in stored demo databases and
// bookmarks, so a change must be deliberate.
func TestStableIDs(t *testing.T) {
	d := NewDistrict(testNow)
	if got, want := unitByShort(t, d, "政府办").ID, id("unit:清澜区人民政府办公室"); got != want {
		t.Errorf("政府办 ID = %s, want %s", got, want)
	}
	if got := loginOf(t, d, "wenmi").PersonID; got != id("person:清澜区人民政府办公室秘书科/科员/1") {
		t.Errorf("wenmi person ID = %s", got)
	}
}

func TestCounts(t *testing.T) {
	d := NewDistrict(testNow)
	kinds := map[org.UnitKind]int{}
	for _, u := range d.Units {
		kinds[u.Kind]++
	}
	tests := []struct {
		what     string
		got      int
		min, max int
	}{
		{"leading bodies", kinds[org.KindLeadingBody], 4, 4},
		{"offices (4 bodies + 党政办)", kinds[org.KindOffice], 4 + 14, 4 + 18},
		{"towns and 街道", kinds[org.KindTown], 14, 18},
		{"departments", kinds[org.KindDepartment], 45, 55},
		{"sections", kinds[org.KindSection], 100, 200},
		{"people", len(d.People), 280, 330},
		{"delegations", len(d.Delegations), 1, 2},
		{"printed logins", len(d.Logins), 9, 9},
	}
	for _, tt := range tests {
		if tt.got < tt.min || tt.got > tt.max {
			t.Errorf("%s: %d, want %d..%d", tt.what, tt.got, tt.min, tt.max)
		}
	}
}

// docNumber is the spec's pattern for a 发文字号 (gongwen.md §2.4).
var docNumber = regexp.MustCompile(`^\p{Han}[\p{Han}\p{N}]*〔(\d{4})〕([1-9]\d*)号$`)

func TestOrganCodes(t *testing.T) {
	d := NewDistrict(testNow)
	tests := []struct{ short, code string }{
		{"区委", "清委"},
		{"区政府", "清政"},
		{"区委办", "清委办"},
		{"政府办", "清政办"},
		{"人大办", "清人大办"},
		{"政协办", "清政协办"},
		{"区发改局", "清发改"},
		{"区委组织部", "清组"},
		{"白沙镇", "白政"},
		{"望江街道", "望街"},
	}
	for _, tt := range tests {
		if got := unitByShort(t, d, tt.short).OrganCode; got != tt.code {
			t.Errorf("%s: organ code %q, want %q", tt.short, got, tt.code)
		}
	}
	for _, u := range d.Units {
		if u.OrganCode == "" {
			continue
		}
		if n := u.OrganCode + "〔2026〕12号"; !docNumber.MatchString(n) {
			t.Errorf("%s: doc number %s does not match the spec's pattern", u.Name, n)
		}
		if !strings.HasPrefix(u.OrganCode, "清") && u.Kind != org.KindTown && u.Kind != org.KindOffice {
			t.Errorf("%s: district organ code %s should start with 清", u.Name, u.OrganCode)
		}
	}
}

func TestEveryDepartmentHasOfficeAndBusinessSection(t *testing.T) {
	d := NewDistrict(testNow)
	sections := map[string][]string{}
	for _, u := range d.Units {
		if u.Kind == org.KindSection {
			sections[u.ParentID] = append(sections[u.ParentID], u.ShortName)
		}
	}
	for _, u := range d.Units {
		if u.Kind != org.KindDepartment {
			continue
		}
		s := sections[u.ID]
		if len(s) < 2 || len(s) > 3 {
			t.Errorf("%s: sections %v, want an office section and one or two business sections", u.Name, s)
			continue
		}
		if s[0] != "办公室" && s[0] != "综合科" {
			t.Errorf("%s: first section %s, want its office", u.Name, s[0])
		}
	}
}

func TestLogins(t *testing.T) {
	d := NewDistrict(testNow)
	tests := []struct {
		login     string
		role      org.Role
		organ     string // short name of the unit the role is held in; "" for administrators
		title     string
		clearance org.Classification
	}{
		{"wenmi", org.RoleClerk, "政府办", "科员", org.Confidential},
		{"zhuren", org.RoleOfficeDirector, "政府办", "主任", org.Confidential},
		{"lingdao", org.RoleLeader, "区政府", "副区长", org.Secret},
		{"chengban", org.RoleHandler, "区发改局", "科员", org.Unclassified},
		{"ducha", org.RoleSupervisor, "政府办", "科员", org.Confidential},
		{"jiyao", org.RoleConfidentialClerk, "区委办", "科员", org.Secret},
		{"sysadmin", org.RoleSysAdmin, "", "系统管理员", org.Unclassified},
		{"secadmin", org.RoleSecurityOfficer, "", "安全保密管理员", org.Unclassified},
		{"auditor", org.RoleAuditor, "", "安全审计员", org.Unclassified},
	}
	for _, tt := range tests {
		l := loginOf(t, d, tt.login)
		p := personOf(t, d, l.PersonID)
		organ := ""
		if tt.organ != "" {
			organ = unitByShort(t, d, tt.organ).ID
		}
		if !holds(rolesOf(d, p.ID), tt.role, organ) || l.Role != tt.role {
			t.Errorf("%s: does not hold %s in %s", tt.login, tt.role.Label(), tt.organ)
		}
		if l.Title != tt.title || p.Clearance != tt.clearance || p.Login != tt.login || l.Password != Password {
			t.Errorf("%s: %+v / %+v", tt.login, l, p)
		}
	}
	if len(d.Logins) != len(tests) {
		t.Errorf("%d printed logins, want %d", len(d.Logins), len(tests))
	}
}

func TestAdministratorsSeparate(t *testing.T) {
	d := NewDistrict(testNow)
	holders := map[org.Role][]string{}
	for _, r := range d.Roles {
		if r.Role.Admin() {
			holders[r.Role] = append(holders[r.Role], r.PersonID)
		}
	}
	seen := map[string]bool{}
	for _, r := range []org.Role{org.RoleSysAdmin, org.RoleSecurityOfficer, org.RoleAuditor} {
		if len(holders[r]) != 1 {
			t.Fatalf("%s held by %d people", r.Label(), len(holders[r]))
		}
		pid := holders[r][0]
		if seen[pid] {
			t.Errorf("%s shares a person with another administrator", r.Label())
		}
		seen[pid] = true
		if rs := rolesOf(d, pid); len(rs) != 1 {
			t.Errorf("%s holds %d roles, want only %s", r.Label(), len(rs), r.Label())
		}
	}
}

func TestEveryPersonWorks(t *testing.T) {
	d := NewDistrict(testNow)
	for _, p := range d.People {
		var ps []org.Position
		for _, pos := range d.Positions {
			if pos.PersonID == p.ID {
				ps = append(ps, pos)
			}
		}
		if len(ps) == 0 {
			t.Errorf("%s has no position", p.Name)
		}
		if err := org.CheckPositions(ps); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
		rs := rolesOf(d, p.ID)
		if len(rs) == 0 {
			t.Errorf("%s has no role", p.Name)
		}
		if err := org.CheckRoles(rs); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
}

// Every office has a clerk and a director; every 督查室 and 机要科 has its
// specialists; every department and town has a leader.
func TestRolesCoverTheOrganization(t *testing.T) {
	d := NewDistrict(testNow)
	has := map[string]map[org.Role]bool{}
	for _, r := range d.Roles {
		if has[r.UnitID] == nil {
			has[r.UnitID] = map[org.Role]bool{}
		}
		has[r.UnitID][r.Role] = true
	}
	for _, u := range d.Units {
		var want []org.Role
		switch u.Kind {
		case org.KindOffice:
			want = []org.Role{org.RoleClerk, org.RoleOfficeDirector}
		case org.KindDepartment:
			want = []org.Role{org.RoleLeader, org.RoleClerk, org.RoleOfficeDirector, org.RoleHandler}
		case org.KindTown, org.KindLeadingBody:
			want = []org.Role{org.RoleLeader}
		}
		for _, r := range want {
			if !has[u.ID][r] {
				t.Errorf("%s has no %s", u.Name, r.Label())
			}
		}
	}
	for _, short := range []string{"区委办", "政府办"} {
		for _, r := range []org.Role{org.RoleSupervisor, org.RoleConfidentialClerk, org.RoleHandler} {
			if !has[unitByShort(t, d, short).ID][r] {
				t.Errorf("%s has no %s", short, r.Label())
			}
		}
	}
}

func TestClearances(t *testing.T) {
	d := NewDistrict(testNow)
	count := map[org.Classification]int{}
	for _, p := range d.People {
		count[p.Clearance]++
		for _, r := range rolesOf(d, p.ID) {
			if r.Role == org.RoleConfidentialClerk && p.Clearance != org.Secret {
				t.Errorf("机要员 %s cleared %s, want 机密", p.Name, p.Clearance.Label())
			}
		}
	}
	if count[org.Unclassified]*2 <= len(d.People) {
		t.Errorf("非密 %d of %d people, want most", count[org.Unclassified], len(d.People))
	}
	if count[org.Confidential] == 0 || count[org.Secret] == 0 {
		t.Errorf("clearances %v, want all three levels in use", count)
	}
	for _, title := range []string{"区委书记", "区委副书记、区长", "区委常委、常务副区长", "区人大常委会主任", "区政协主席"} {
		for _, pos := range d.Positions {
			if pos.Title == title && personOf(t, d, pos.PersonID).Clearance != org.Secret {
				t.Errorf("%s not cleared 机密", title)
			}
		}
	}
}

func TestOversight(t *testing.T) {
	d := NewDistrict(testNow)
	gov := unitByShort(t, d, "区政府").ID
	govLeader := map[string]bool{}
	for _, pos := range d.Positions {
		if pos.UnitID == gov {
			govLeader[pos.PersonID] = true
		}
	}
	overseen := map[string]bool{}
	perLeader := map[string]int{}
	for _, o := range d.Oversight {
		if govLeader[o.LeaderID] {
			overseen[o.UnitID] = true
		}
		perLeader[o.LeaderID]++
	}
	// Every government department and every town has a 区政府 leader in charge.
	for _, u := range d.Units {
		if (u.Kind == org.KindDepartment && u.ParentID == gov) || u.Kind == org.KindTown {
			if !overseen[u.ID] {
				t.Errorf("%s is overseen by no 区政府 leader", u.Name)
			}
		}
	}
	if n := perLeader[loginOf(t, d, "lingdao").PersonID]; n < 5 {
		t.Errorf("lingdao oversees %d units, want several", n)
	}
}

func TestDelegations(t *testing.T) {
	d := NewDistrict(testNow)
	active := 0
	for _, dl := range d.Delegations {
		if dl.ActiveAt(testNow) {
			active++
		}
		if !holds(rolesOf(d, dl.FromID), org.RoleLeader, "") && !holds(rolesOf(d, dl.FromID), org.RoleOfficeDirector, "") {
			t.Errorf("delegation %s: the absent person leads nothing", dl.Reason)
		}
		if !holds(rolesOf(d, dl.ToID), org.RoleLeader, "") {
			t.Errorf("delegation %s: the deputy is no leader", dl.Reason)
		}
		if dl.End.Sub(dl.Start) > 7*24*time.Hour || dl.Start.Sub(testNow) > 7*24*time.Hour || testNow.Sub(dl.End) > 0 {
			t.Errorf("delegation %s: %v..%v not around now", dl.Reason, dl.Start, dl.End)
		}
	}
	if active != 1 {
		t.Errorf("%d delegations active now, want 1", active)
	}
	// The same instant seen from a UTC host gives the same delegations.
	if utc := NewDistrict(testNow.UTC()); !reflect.DeepEqual(utc.Delegations, d.Delegations) {
		t.Errorf("delegations depend on the caller's time zone: %v vs %v", utc.Delegations[0].Start, d.Delegations[0].Start)
	}
	if h, m, _ := d.Delegations[0].Start.Clock(); h != 8 || m != 30 {
		t.Errorf("delegation starts at %02d:%02d, want 08:30 Beijing time", h, m)
	}
	if d.Delegations[0].ToID != loginOf(t, d, "lingdao").PersonID {
		t.Error("the delegation in force should be to the lingdao login, so the demo shows acting for an absent leader")
	}
}

func TestNames(t *testing.T) {
	d := NewDistrict(testNow)
	seen := map[string]bool{}
	for _, p := range d.People {
		r := []rune(p.Name)
		if len(r) != 3 || !strings.ContainsRune(surnames, r[0]) {
			t.Errorf("implausible name %q", p.Name)
		}
		for _, c := range r {
			if !unicode.Is(unicode.Han, c) {
				t.Errorf("name %q has a non-Han character", p.Name)
			}
		}
		if reservedNames[p.Name] {
			t.Errorf("%s is a well-known person's name", p.Name)
		}
		if seen[p.Name] {
			t.Errorf("%s given twice", p.Name)
		}
		seen[p.Name] = true
	}
	for _, u := range d.Units {
		if strings.Contains(u.Name, "清河") {
			t.Errorf("%s: the demo district is 清澜区, not a real district", u.Name)
		}
	}
}

func TestPasswordMeetsPolicy(t *testing.T) {
	classes := 0
	for _, is := range []func(rune) bool{unicode.IsUpper, unicode.IsLower, unicode.IsDigit, func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSymbol(r)
	}} {
		if strings.IndexFunc(Password, is) >= 0 {
			classes++
		}
	}
	if len(Password) < 10 || classes < 3 {
		t.Errorf("%q: length %d, %d character classes", Password, len(Password), classes)
	}
}

// TestValidateCatches shows that each rule of Validate rejects a district
// broken in the way it guards against.
func TestValidateCatches(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(d *District)
		want   string
	}{
		{"child before parent", func(d *District) {
			d.Units[0], d.Units[4] = d.Units[4], d.Units[0]
		}, "排在它之后"},
		{"cycle", func(d *District) { d.Units[0].ParentID = d.Units[len(d.Units)-1].ID }, "上级"},
		{"missing parent", func(d *District) { d.Units[5].ParentID = id("unit:nowhere") }, "上级不存在"},
		{"duplicate organ code", func(d *District) { d.Units[10].OrganCode = "清政办" }, "机关代字 清政办"},
		{"section with organ code", func(d *District) { sectionOf(d).OrganCode = "清秘" }, "不应有机关代字"},
		{"digit in organ code", func(d *District) { d.Units[0].OrganCode = "清委1" }, "括号或数字"},
		{"unit without organ code", func(d *District) { d.Units[2].OrganCode = "" }, "缺少机关代字"},
		{"two primary posts", func(d *District) {
			for i := range d.Positions {
				d.Positions[i].Primary = true
			}
		}, "主职务"},
		{"post in unknown unit", func(d *District) { d.Positions[3].UnitID = id("unit:nowhere") }, "不存在"},
		{"same name twice in a unit", func(d *District) { d.People[1].Name = d.People[0].Name }, "同名"},
		{"duplicate login name", func(d *District) { d.People[7].Login = d.People[8].Login }, "登录名重复"},
		{"administrator with a business role", func(d *District) {
			admin := loginOf(t, *d, "auditor").PersonID
			d.Roles = append(d.Roles, org.RoleAssignment{PersonID: admin, Role: org.RoleClerk, UnitID: d.Units[0].ID})
		}, "三员分立"},
		{"two system administrators", func(d *District) {
			for i := range d.Roles {
				if d.Roles[i].Role == org.RoleAuditor {
					d.Roles[i].Role = org.RoleSysAdmin
				}
			}
		}, "安全审计员"},
		{"role in unknown unit", func(d *District) { d.Roles[0].UnitID = id("unit:nowhere") }, "不存在的单位"},
		{"oversight by a non-leader", func(d *District) {
			d.Oversight[0].LeaderID = loginOf(t, *d, "wenmi").PersonID
		}, "不是领导"},
		{"delegation to oneself", func(d *District) { d.Delegations[0].ToID = d.Delegations[0].FromID }, "委托给自己"},
		{"login without its role", func(d *District) { d.Logins[0].Role = org.RoleAuditor }, "没有安全审计员角色"},
		{"login to nobody", func(d *District) { d.Logins[1].PersonID = id("person:nobody") }, "不存在的人员"},
		{"login with another password", func(d *District) { d.Logins[2].Password = "123456" }, "演示密码"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := clone(NewDistrict(testNow))
			tt.break_(&d)
			err := d.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func BenchmarkNewDistrict(b *testing.B) {
	for b.Loop() {
		NewDistrict(testNow)
	}
}

func BenchmarkValidate(b *testing.B) {
	d := NewDistrict(testNow)
	for b.Loop() {
		if err := d.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

func clone(d District) District {
	d.Units = slices.Clone(d.Units)
	d.People = slices.Clone(d.People)
	d.Positions = slices.Clone(d.Positions)
	d.Oversight = slices.Clone(d.Oversight)
	d.Roles = slices.Clone(d.Roles)
	d.Delegations = slices.Clone(d.Delegations)
	d.Logins = slices.Clone(d.Logins)
	return d
}

func sectionOf(d *District) *org.Unit {
	for i := range d.Units {
		if d.Units[i].Kind == org.KindSection {
			return &d.Units[i]
		}
	}
	return nil
}

func unitByShort(t testing.TB, d District, short string) org.Unit {
	t.Helper()
	for _, u := range d.Units {
		if u.ShortName == short && u.Kind != org.KindSection {
			return u
		}
	}
	t.Fatalf("no unit %s", short)
	return org.Unit{}
}

func loginOf(t testing.TB, d District, login string) Login {
	t.Helper()
	for _, l := range d.Logins {
		if l.Login == login {
			return l
		}
	}
	t.Fatalf("no login %s", login)
	return Login{}
}

func personOf(t testing.TB, d District, id string) org.Person {
	t.Helper()
	for _, p := range d.People {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no person %s", id)
	return org.Person{}
}

func rolesOf(d District, personID string) []org.RoleAssignment {
	var rs []org.RoleAssignment
	for _, r := range d.Roles {
		if r.PersonID == personID {
			rs = append(rs, r)
		}
	}
	return rs
}

// A table naming a unit or post that does not exist is reported, not skipped.
func TestBuilderReportsBadTables(t *testing.T) {
	tests := []struct {
		name   string
		lookup func(b *builder)
		want   string
	}{
		{"unknown unit", func(b *builder) { b.unitID("区不存在局") }, "找不到"},
		{"ambiguous short name", func(b *builder) { b.unitID("党政办") }, "多个单位"},
		{"unknown section", func(b *builder) { b.childID(b.unitID("政府办"), "车队") }, "没有车队"},
		{"unknown post", func(b *builder) { b.person("清澜区人民政府/区长/9") }, "没有职务"},
	}
	for _, tt := range tests {
		b := newBuilder()
		b.buildUnits()
		if len(b.errs) != 0 {
			t.Fatalf("units: %v", b.errs)
		}
		tt.lookup(b)
		if len(b.errs) != 1 || !strings.Contains(b.errs[0].Error(), tt.want) {
			t.Errorf("%s: errs %v, want one mentioning %q", tt.name, b.errs, tt.want)
		}
	}
}
