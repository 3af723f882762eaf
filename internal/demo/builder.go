package demo

import (
	"fmt"
	"slices"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// builder accumulates the district. Lookups by name that fail are recorded in
// errs rather than panicking, so a broken table shows up as one clear error.
type builder struct {
	d     District
	errs  []error
	names *nameSource

	units     map[string]org.Unit // by ID
	byShort   map[string]string   // short name → ID, for units that are not sections
	ambiguous map[string]bool     // short names used by more than one such unit
	children  map[string]int      // parent ID → children so far, for Unit.Sort

	people    map[string]int // person ID → index in d.People
	roles     map[string][]org.RoleAssignment
	positions map[string]int    // person ID → positions so far, for Position.Sort
	slots     map[string]int    // unit ID + title → people hired so far, for stable keys
	posts     map[string]string // post key (unit/title/n) → person ID
	headed    map[string]bool   // departments whose head is a district leader
	leaders   map[string]string // leader roster key → person ID
}

func newBuilder() *builder {
	return &builder{
		d:         District{Name: districtName, City: cityName},
		names:     newNameSource(),
		units:     map[string]org.Unit{},
		byShort:   map[string]string{},
		ambiguous: map[string]bool{},
		children:  map[string]int{},
		people:    map[string]int{},
		roles:     map[string][]org.RoleAssignment{},
		positions: map[string]int{},
		slots:     map[string]int{},
		posts:     map[string]string{},
		headed:    map[string]bool{},
		leaders:   map[string]string{},
	}
}

func (b *builder) fail(format string, args ...any) {
	b.errs = append(b.errs, fmt.Errorf(format, args...))
}

// addUnit adds a unit and returns its ID, derived from its full name.
func (b *builder) addUnit(parentID string, s unitSpec, kind org.UnitKind) string {
	b.children[parentID]++
	u := org.Unit{
		ID:        id("unit:" + s.name),
		ParentID:  parentID,
		Name:      s.name,
		ShortName: s.short,
		OrganCode: s.code,
		Kind:      kind,
		Sort:      b.children[parentID],
	}
	b.units[u.ID] = u
	b.d.Units = append(b.d.Units, u)
	if kind != org.KindSection {
		if _, dup := b.byShort[s.short]; dup {
			b.ambiguous[s.short] = true
		}
		b.byShort[s.short] = u.ID
	}
	return u.ID
}

// addSection adds a section (科室) of a unit; its full name is the unit's full
// name followed by its own, e.g. 清澜区人民政府办公室秘书科.
func (b *builder) addSection(parentID, name string) string {
	return b.addUnit(parentID, unitSpec{name: b.units[parentID].Name + name, short: name}, org.KindSection)
}

// unitID finds a unit that is not a section by its short name.
func (b *builder) unitID(short string) string {
	uid, ok := b.byShort[short]
	switch {
	case !ok:
		b.fail("演示数据：找不到简称为 %q 的单位", short)
	case b.ambiguous[short]:
		b.fail("演示数据：简称 %q 对应多个单位", short)
	}
	return uid
}

// childID finds a unit's child by the part of its full name after the
// parent's, e.g. 秘书科 in 政府办 or 党政办公室 in a town.
func (b *builder) childID(unitID, name string) string {
	sid := id("unit:" + b.units[unitID].Name + name)
	if u, ok := b.units[sid]; !ok || u.ParentID != unitID {
		b.fail("演示数据：%s没有%s", b.units[unitID].Name, name)
	}
	return sid
}

// organ is the unit a person acts for in a unit: the unit itself, or for a
// section the nearest enclosing unit that is not a section. Business roles
// are held there, so that a 秘书科 clerk works for 政府办 and a section's
// handler for the department that owns the work.
func (b *builder) organ(unitID string) string {
	for u := b.units[unitID]; u.Kind == org.KindSection; u = b.units[u.ParentID] {
		unitID = u.ParentID
	}
	return unitID
}

// hire adds a person with a primary position in unitID, the given roles in
// the unit's organ, and returns the person's ID. The person's ID is keyed on
// the post (unit, title and how many hold it), not on the generated name.
func (b *builder) hire(unitID, title string, clearance org.Classification, roles ...org.Role) string {
	slot := unitID + "/" + title
	b.slots[slot]++
	key := fmt.Sprintf("%s/%s/%d", b.units[unitID].Name, title, b.slots[slot])
	pid := id("person:" + key)
	b.posts[key] = pid
	b.people[pid] = len(b.d.People)
	b.d.People = append(b.d.People, org.Person{
		ID:        pid,
		Name:      b.names.name(),
		Login:     fmt.Sprintf("u%04d", len(b.d.People)+1),
		Phone:     fmt.Sprintf("8%07d", 6120000+len(b.d.People)+1), // a fictional office line
		Clearance: clearance,
		Sort:      len(b.d.People) + 1,
	})
	b.post(pid, unitID, title, true, roles)
	return pid
}

// also gives a person a concurrent position (兼任) and its roles.
func (b *builder) also(personID, unitID, title string, roles ...org.Role) {
	b.post(personID, unitID, title, false, roles)
}

func (b *builder) post(personID, unitID, title string, primary bool, roles []org.Role) {
	b.positions[personID]++
	b.d.Positions = append(b.d.Positions, org.Position{
		ID:       id("position:" + personID + "/" + unitID),
		PersonID: personID,
		UnitID:   unitID,
		Title:    title,
		Primary:  primary,
		Sort:     b.positions[personID],
	})
	for _, r := range roles {
		b.grant(personID, r, b.organ(unitID))
	}
}

// grant adds a role once; a concurrent post may imply a role already held.
// The three administrators' roles are deployment-wide, whatever their post.
func (b *builder) grant(personID string, r org.Role, unitID string) {
	if r.Admin() {
		unitID = ""
	}
	a := org.RoleAssignment{PersonID: personID, Role: r, UnitID: unitID}
	if slices.Contains(b.roles[personID], a) {
		return
	}
	b.roles[personID] = append(b.roles[personID], a)
	b.d.Roles = append(b.d.Roles, a)
}

// person finds someone by post key, e.g. 清澜区人民政府/副区长/1 (the first
// 副区长 hired).
func (b *builder) person(postKey string) string {
	pid, ok := b.posts[postKey]
	if !ok {
		b.fail("演示数据：没有职务 %q", postKey)
	}
	return pid
}

// setLogin gives a person one of the printed demo logins.
func (b *builder) setLogin(personID, login string) {
	b.d.People[b.people[personID]].Login = login
}
