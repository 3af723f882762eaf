package org

import (
	"errors"
	"fmt"
)

// Role is what a person may do. Business roles are held in a unit; the three
// separated administrators are deployment-wide.
type Role string

const (
	RoleClerk             Role = "clerk"              // 文秘
	RoleOfficeDirector    Role = "office_director"    // 办公室主任
	RoleLeader            Role = "leader"             // 领导
	RoleHandler           Role = "handler"            // 承办人
	RoleSupervisor        Role = "supervisor"         // 督查员
	RoleConfidentialClerk Role = "confidential_clerk" // 机要员
	RoleSysAdmin          Role = "sysadmin"           // 系统管理员
	RoleSecurityOfficer   Role = "security_officer"   // 安全保密管理员
	RoleAuditor           Role = "auditor"            // 安全审计员
)

var roleNames = map[Role]string{
	RoleClerk:             "文秘",
	RoleOfficeDirector:    "办公室主任",
	RoleLeader:            "领导",
	RoleHandler:           "承办人",
	RoleSupervisor:        "督查员",
	RoleConfidentialClerk: "机要员",
	RoleSysAdmin:          "系统管理员",
	RoleSecurityOfficer:   "安全保密管理员",
	RoleAuditor:           "安全审计员",
}

// AllRoles returns every role in display order.
func AllRoles() []Role {
	return []Role{RoleClerk, RoleOfficeDirector, RoleLeader, RoleHandler, RoleSupervisor,
		RoleConfidentialClerk, RoleSysAdmin, RoleSecurityOfficer, RoleAuditor}
}

// Label is the Chinese name of the role.
func (r Role) Label() string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleNames[r]; return ok }

// Admin reports whether r is one of the three separated administrators (三员).
func (r Role) Admin() bool {
	return r == RoleSysAdmin || r == RoleSecurityOfficer || r == RoleAuditor
}

// ParseRole accepts the English name or the Chinese label.
func ParseRole(s string) (Role, error) {
	for r, n := range roleNames {
		if s == string(r) || s == n {
			return r, nil
		}
	}
	return "", fmt.Errorf("未知角色 %q", s)
}

// RoleAssignment gives a person a role, in a unit for business roles and
// deployment-wide (UnitID empty) for the administrators.
type RoleAssignment struct {
	PersonID string `json:"person_id"`
	Role     Role   `json:"role"`
	UnitID   string `json:"unit_id,omitempty"`
}

// ErrAdminSeparation is returned when an assignment would break the separation
// of the three administrators (三员分立).
var ErrAdminSeparation = errors.New("三员分立：系统管理员、安全保密管理员、安全审计员不得由同一账户兼任，且三员账户不得兼任业务角色")

// CheckRoles validates a person's complete set of roles: every role known,
// administrators deployment-wide, business roles in a unit, no account holding
// two of the three administrator roles, and no administrator also holding a
// business role (an administrator who could also handle documents would defeat
// the separation).
func CheckRoles(as []RoleAssignment) error {
	var admin Role
	business := false
	seen := map[RoleAssignment]bool{}
	for _, a := range as {
		if !a.Role.Valid() {
			return fmt.Errorf("未知角色 %q", a.Role)
		}
		if seen[a] {
			return fmt.Errorf("重复的角色：%s", a.Role.Label())
		}
		seen[a] = true
		if a.Role.Admin() {
			if a.UnitID != "" {
				return fmt.Errorf("%s是全系统角色，不属于某个单位", a.Role.Label())
			}
			if admin != "" && admin != a.Role {
				return ErrAdminSeparation
			}
			admin = a.Role
			continue
		}
		if a.UnitID == "" {
			return fmt.Errorf("业务角色%s必须指定所在单位", a.Role.Label())
		}
		business = true
	}
	if admin != "" && business {
		return ErrAdminSeparation
	}
	return nil
}
