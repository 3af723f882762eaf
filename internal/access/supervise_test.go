package access

import (
	"testing"

	"github.com/shuniu-oa/shuniu/internal/org"
)

func TestSupervisionObject(t *testing.T) {
	units := map[string]org.Unit{
		"区政府办": {ID: "区政府办", Kind: org.KindDepartment},
		"督查室":  {ID: "督查室", Kind: org.KindSection, ParentID: "区政府办"},
		"住建局":  {ID: "住建局", Kind: org.KindDepartment},
		"质安科":  {ID: "质安科", Kind: org.KindSection, ParentID: "住建局"},
		"水利局":  {ID: "水利局", Kind: org.KindDepartment},
		"财政局":  {ID: "财政局", Kind: org.KindDepartment},
	}
	it := SupervisionItem{ID: "i", Office: "督查室", LeadUnit: "质安科", Units: []string{"质安科", "水利局"}, People: []string{"登记人"}}
	role := func(id string, r org.Role, unit string) Subject {
		return Subject{PersonID: id, Roles: []org.RoleAssignment{{Role: r, UnitID: unit}}, Clearance: org.Secret}
	}
	oversight := []org.Oversight{{LeaderID: "分管领导", UnitID: "住建局"}, {LeaderID: "别的领导", UnitID: "财政局"}}
	cases := []struct {
		name string
		s    Subject
		want bool
	}{
		{"the supervising office's organ", role("督查员", org.RoleSupervisor, "区政府办"), true},
		{"the lead section's organ", role("住建局员", org.RoleHandler, "住建局"), true},
		{"a co-unit", role("水利局员", org.RoleHandler, "水利局"), true},
		{"the registrar, whatever their unit", role("登记人", org.RoleHandler, "财政局"), true},
		{"the leader overseeing the lead section's organ", role("分管领导", org.RoleLeader, "区政府"), true},
		{"a leader overseeing another unit", role("别的领导", org.RoleLeader, "区政府"), false},
		{"another unit", role("财政局员", org.RoleHandler, "财政局"), false},
		{"an administrator of the lead unit", role("管理员", org.RoleSysAdmin, "住建局"), false},
	}
	for _, c := range cases {
		o := SupervisionObject(c.s, it, units, oversight)
		if got := Decide(c.s, ReadObject, o).Allow; got != c.want {
			t.Errorf("%s: %v, want %v (%+v)", c.name, got, c.want, o)
		}
	}
}
