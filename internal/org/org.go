// Package org is the organization: units as a tree, people and their positions,
// leaders and the units they oversee (分管), delegation while away, roles and
// clearances. It holds types and rules only; storage lives in package store.
package org

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// UnitKind says what a unit is in the district's structure.
type UnitKind string

const (
	KindLeadingBody UnitKind = "leading_body" // 四套班子: 区委、区人大常委会、区政府、区政协
	KindOffice      UnitKind = "office"       // 区委办、政府办、人大办、政协办; 党政办; a department's 办公室
	KindTown        UnitKind = "town"         // 镇/街道
	KindDepartment  UnitKind = "department"   // 区直单位
	KindSection     UnitKind = "section"      // 科室 inside a unit
)

// unitKindNames gives each kind its Chinese label.
var unitKindNames = map[UnitKind]string{
	KindLeadingBody: "领导机关",
	KindOffice:      "办公室",
	KindTown:        "镇（街道）",
	KindDepartment:  "区直单位",
	KindSection:     "科室",
}

// Label is the Chinese name of the kind.
func (k UnitKind) Label() string { return unitKindNames[k] }

// Valid reports whether k is a known kind.
func (k UnitKind) Valid() bool { _, ok := unitKindNames[k]; return ok }

// AllUnitKinds returns every kind in display order.
func AllUnitKinds() []UnitKind {
	return []UnitKind{KindLeadingBody, KindOffice, KindTown, KindDepartment, KindSection}
}

// Unit is one node of the organization tree.
type Unit struct {
	ID        string   `json:"id"`
	ParentID  string   `json:"parent_id,omitempty"`
	Name      string   `json:"name"`       // full name, e.g. 中共某某区委办公室
	ShortName string   `json:"short_name"` // standard short name, e.g. 区委办
	OrganCode string   `json:"organ_code"` // 机关代字, e.g. 某委办, used in 发文字号
	Kind      UnitKind `json:"kind"`
	Sort      int      `json:"sort"`
}

// Validate checks a unit's own fields.
func (u Unit) Validate() error {
	if err := u.checkLimits(); err != nil {
		return err
	}
	var errs []error
	if strings.TrimSpace(u.Name) == "" {
		errs = append(errs, errors.New("单位名称不能为空"))
	}
	if strings.TrimSpace(u.ShortName) == "" {
		errs = append(errs, errors.New("单位简称不能为空"))
	}
	if !u.Kind.Valid() {
		errs = append(errs, fmt.Errorf("未知的单位类型 %q", u.Kind))
	}
	if u.ParentID != "" && u.ParentID == u.ID {
		errs = append(errs, errors.New("单位不能以自身为上级"))
	}
	if u.Kind == KindSection && u.ParentID == "" {
		errs = append(errs, errors.New("科室必须隶属于某个单位"))
	}
	if strings.ContainsAny(u.OrganCode, "〔〕[]()（）0123456789") {
		errs = append(errs, errors.New("机关代字不能包含括号或数字"))
	}
	return errors.Join(errs...)
}

// CheckParent refuses a parent that would make a cycle in the tree. parentOf
// maps a unit ID to its parent's ID.
func CheckParent(unitID, newParentID string, parentOf map[string]string) error {
	for p, steps := newParentID, 0; p != ""; p, steps = parentOf[p], steps+1 {
		if p == unitID {
			return errors.New("不能把单位移到它自己的下级之下")
		}
		if steps > len(parentOf) {
			return errors.New("单位树中已有环，请联系系统管理员")
		}
	}
	return nil
}

// Person is someone who works in the district's organs.
type Person struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	Login     string         `json:"login"`
	Phone     string         `json:"phone,omitempty"`
	Clearance Classification `json:"clearance"`
	Sort      int            `json:"sort"`
}

// Position is a post a person holds in a unit. Exactly one of a person's
// positions is primary; the others are concurrent (兼任).
type Position struct {
	ID       string `json:"id"`
	PersonID string `json:"person_id"`
	UnitID   string `json:"unit_id"`
	Title    string `json:"title"` // e.g. 副区长, 科员
	Primary  bool   `json:"primary"`
	Head     bool   `json:"head,omitempty"` // leads the unit (负责人): 科长, 主任, 局长, 镇长…
	Sort     int    `json:"sort"`
}

// HeadTitle guesses from a title whether the post leads its unit: the
// principal posts end in 长, 主任, 书记 or 主席 and are not deputies (副).
// Used to fill Position.Head when importing; the administrator can correct it.
func HeadTitle(title string) bool {
	// A combined title like "区委常委、办公室主任" names the post last.
	if i := strings.LastIndex(title, "、"); i >= 0 {
		title = title[i+len("、"):]
	}
	if strings.Contains(title, "副") || strings.Contains(title, "秘书长") {
		return false
	}
	for _, suffix := range []string{"长", "主任", "书记", "主席"} {
		if strings.HasSuffix(title, suffix) {
			return true
		}
	}
	return false
}

// CheckPositions verifies that a person's positions have exactly one primary
// post and no unit twice.
func CheckPositions(ps []Position) error {
	if len(ps) == 0 {
		return nil
	}
	primaries := 0
	seen := map[string]bool{}
	for _, p := range ps {
		if p.Primary {
			primaries++
		}
		if seen[p.UnitID] {
			return errors.New("同一人在同一单位只能有一个职务")
		}
		seen[p.UnitID] = true
		if strings.TrimSpace(p.Title) == "" {
			return errors.New("职务名称不能为空")
		}
		if err := textlimit.Text("title", "职务名称", MaxPositionTitle, p.Title); err != nil {
			return err
		}
	}
	if primaries != 1 {
		return fmt.Errorf("一个人必须有且只有一个主职务（现有 %d 个）", primaries)
	}
	return nil
}

// Oversight records that a leader oversees (分管) a unit.
type Oversight struct {
	LeaderID string `json:"leader_id"`
	UnitID   string `json:"unit_id"`
}

// Delegation lets a deputy act for a person while away (委托).
type Delegation struct {
	ID     string    `json:"id"`
	FromID string    `json:"from_id"` // the person who is away
	ToID   string    `json:"to_id"`   // the deputy
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Reason string    `json:"reason"`
}

// Validate checks a delegation's own fields.
func (d Delegation) Validate() error {
	switch {
	case d.FromID == "" || d.ToID == "":
		return errors.New("委托人和受托人都必须填写")
	case d.FromID == d.ToID:
		return errors.New("不能委托给自己")
	case !d.End.After(d.Start):
		return errors.New("委托结束时间必须晚于开始时间")
	}
	if err := textlimit.Text("reason", "委托事由", MaxReason, d.Reason); err != nil {
		return err
	}
	return nil
}

// ActiveAt reports whether the delegation is in force at t.
func (d Delegation) ActiveAt(t time.Time) bool {
	return !t.Before(d.Start) && t.Before(d.End)
}

// OrganOf walks up from a unit past its sections to the organ it belongs to.
func OrganOf(units map[string]Unit, id string) string {
	for u, ok := units[id]; ok; u, ok = units[u.ParentID] {
		if u.Kind != KindSection {
			return u.ID
		}
	}
	return id
}

// OfficeOf is where a unit's incoming documents are handled: the unit itself
// when it is an office, else its own office (a town's 党政办) when it has
// one, else the unit. Of several offices the first by sort order and ID is
// taken, so the answer does not depend on map order.
func OfficeOf(units map[string]Unit, id string) string {
	if u, ok := units[id]; ok && u.Kind == KindOffice {
		return id
	}
	best := ""
	for _, u := range units {
		if u.ParentID == id && u.Kind == KindOffice {
			if b, ok := units[best]; best == "" || !ok || u.Sort < b.Sort || (u.Sort == b.Sort && u.ID < best) {
				best = u.ID
			}
		}
	}
	if best == "" {
		return id
	}
	return best
}
