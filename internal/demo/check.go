package demo

import (
	"errors"
	"fmt"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// Validate checks that the district is one the stores can take as it is:
// every unit valid, parents before children, organ codes unique, every
// reference resolving, every person's positions and roles accepted by the org
// rules, the three administrators distinct, and every printed login real.
// NewDistrict's output always passes; the check is exported so the caller can
// assert it before seeding, and so the tests can show each rule bites.
func (d District) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	units := map[string]org.Unit{}
	parentOf := map[string]string{}
	codes := map[string]string{}
	for _, u := range d.Units {
		if !uid.Valid(u.ID) {
			bad("单位 %s 的标识无效: %q", u.Name, u.ID)
		}
		if _, dup := units[u.ID]; dup {
			bad("单位标识重复: %s", u.Name)
		}
		if err := u.Validate(); err != nil {
			bad("单位 %s: %w", u.Name, err)
		}
		if u.ParentID != "" {
			if _, ok := units[u.ParentID]; !ok {
				bad("单位 %s 的上级不存在或排在它之后", u.Name)
			}
		}
		if err := org.CheckParent(u.ID, u.ParentID, parentOf); err != nil {
			bad("单位 %s: %w", u.Name, err)
		}
		switch {
		case u.Kind == org.KindSection && u.OrganCode != "":
			bad("科室 %s 不应有机关代字", u.Name)
		case u.Kind != org.KindSection && u.OrganCode == "":
			bad("单位 %s 缺少机关代字", u.Name)
		case u.OrganCode != "":
			if other, dup := codes[u.OrganCode]; dup {
				bad("机关代字 %s 同时用于 %s 和 %s", u.OrganCode, other, u.Name)
			}
			codes[u.OrganCode] = u.Name
		}
		units[u.ID] = u
		parentOf[u.ID] = u.ParentID
	}

	if err := document.CheckSeries(d.Series, units); err != nil {
		bad("文号系列：%w", err)
	}

	people := map[string]org.Person{}
	logins := map[string]bool{}
	for _, p := range d.People {
		if !uid.Valid(p.ID) {
			bad("人员 %s 的标识无效: %q", p.Name, p.ID)
		}
		if _, dup := people[p.ID]; dup {
			bad("人员标识重复: %s", p.Name)
		}
		if p.Name == "" || p.Login == "" {
			bad("人员 %s 缺少姓名或登录名", p.ID)
		}
		if logins[p.Login] {
			bad("登录名重复: %s", p.Login)
		}
		if !p.Clearance.Valid() {
			bad("人员 %s 的涉密等级无效", p.Name)
		}
		logins[p.Login] = true
		people[p.ID] = p
	}

	positions := map[string][]org.Position{}
	namesInUnit := map[string]bool{}
	positionIDs := map[string]bool{}
	for _, p := range d.Positions {
		person, okPerson := people[p.PersonID]
		_, okUnit := units[p.UnitID]
		if !okPerson || !okUnit {
			bad("职务 %s 指向不存在的人员或单位", p.Title)
			continue
		}
		if positionIDs[p.ID] {
			bad("职务标识重复: %s %s", person.Name, p.Title)
		}
		positionIDs[p.ID] = true
		if key := p.UnitID + "/" + person.Name; namesInUnit[key] {
			bad("%s有两人同名：%s", units[p.UnitID].Name, person.Name)
		} else {
			namesInUnit[key] = true
		}
		positions[p.PersonID] = append(positions[p.PersonID], p)
	}

	roles := map[string][]org.RoleAssignment{}
	for _, r := range d.Roles {
		if _, ok := people[r.PersonID]; !ok {
			bad("角色 %s 指向不存在的人员", r.Role.Label())
			continue
		}
		if _, ok := units[r.UnitID]; r.UnitID != "" && !ok {
			bad("角色 %s 指向不存在的单位", r.Role.Label())
		}
		roles[r.PersonID] = append(roles[r.PersonID], r)
	}
	admins := map[org.Role][]string{}
	for _, p := range d.People {
		if len(positions[p.ID]) == 0 {
			bad("%s没有任何职务", p.Name)
		}
		if err := org.CheckPositions(positions[p.ID]); err != nil {
			bad("%s的职务: %w", p.Name, err)
		}
		if err := org.CheckRoles(roles[p.ID]); err != nil {
			bad("%s的角色: %w", p.Name, err)
		}
		for _, r := range roles[p.ID] {
			if r.Role.Admin() {
				admins[r.Role] = append(admins[r.Role], p.ID)
			}
		}
	}
	for _, r := range []org.Role{org.RoleSysAdmin, org.RoleSecurityOfficer, org.RoleAuditor} {
		if len(admins[r]) != 1 {
			bad("应有且只有一名%s，现有 %d 名", r.Label(), len(admins[r]))
		}
	}

	for _, o := range d.Oversight {
		_, okUnit := units[o.UnitID]
		if _, ok := people[o.LeaderID]; !ok || !okUnit {
			bad("分管关系指向不存在的人员或单位")
			continue
		}
		if !holds(roles[o.LeaderID], org.RoleLeader, "") {
			bad("%s分管%s，但不是领导", people[o.LeaderID].Name, units[o.UnitID].Name)
		}
	}

	for _, dl := range d.Delegations {
		if err := dl.Validate(); err != nil {
			bad("委托 %s: %w", dl.ID, err)
		}
		_, okFrom := people[dl.FromID]
		_, okTo := people[dl.ToID]
		if !okFrom || !okTo {
			bad("委托 %s 指向不存在的人员", dl.ID)
		}
	}

	printed := map[string]bool{}
	for _, l := range d.Logins {
		p, ok := people[l.PersonID]
		switch {
		case !ok:
			bad("演示账户 %s 指向不存在的人员", l.Login)
			continue
		case p.Login != l.Login || p.Name != l.Name:
			bad("演示账户 %s 与人员 %s 的登录名或姓名不符", l.Login, p.Name)
		case l.Password != Password:
			bad("演示账户 %s 的密码不是演示密码", l.Login)
		case !holds(roles[p.ID], l.Role, ""):
			bad("演示账户 %s（%s）没有%s角色", l.Login, p.Name, l.Role.Label())
		}
		if printed[l.Login] {
			bad("演示账户 %s 重复", l.Login)
		}
		printed[l.Login] = true
	}
	return errors.Join(errs...)
}

// holds reports whether the assignments include role r, in unit if unit is
// not empty.
func holds(as []org.RoleAssignment, r org.Role, unit string) bool {
	for _, a := range as {
		if a.Role == r && (unit == "" || a.UnitID == unit) {
			return true
		}
	}
	return false
}
