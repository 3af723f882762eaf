package access

import (
	"slices"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// Supervision items (督办): reading an item is ReadObject on the Object
// SupervisionObject makes of it for the person asking, so that the item
// lists, the item page and search (which keeps SupervisionItem beside its
// index entry) answer alike.

// SupervisionItem is a supervision item as its read rule sees it.
type SupervisionItem struct {
	ID       string   `json:"id"`
	Office   string   `json:"office"`              // the 督查室
	LeadUnit string   `json:"lead_unit,omitempty"` // the lead unit
	Units    []string `json:"units,omitempty"`     // the lead and co-units, as listed on the item
	// People: the registrar, the instructing leader, the units'
	// responsible people and signers, and everyone who acted on it.
	People []string `json:"people,omitempty"`
}

// SupervisionObject is the item as Decide sees it when s opens it: it is
// owned by the unit on it — the 督查室, a lead or co-unit — whose organ s
// holds a role in (a unit on the item may be a section, and roles are held
// in the organ), or else by the lead unit; the people on it are its
// participants, and so is s when s oversees (分管) a unit on it or that
// unit's parent, since items are escalated to the overseeing leader.
// units is the unit tree by ID; oversight the 分管 in force.
func SupervisionObject(s Subject, it SupervisionItem, units map[string]org.Unit, oversight []org.Oversight) Object {
	o := Object{Kind: "supervision_item", ID: it.ID, UnitID: it.LeadUnit}
	var roleUnits []string
	for _, r := range s.Roles {
		if !r.Role.Admin() {
			roleUnits = append(roleUnits, r.UnitID)
		}
	}
	onItem := append([]string{it.Office}, it.Units...)
	for _, u := range onItem {
		if slices.Contains(roleUnits, u) {
			o.UnitID = u
			break
		}
		if organ := organOf(units, u); slices.Contains(roleUnits, organ) {
			o.UnitID = organ
			break
		}
	}
	add := func(id string) {
		if id != "" && !slices.Contains(o.Participants, id) {
			o.Participants = append(o.Participants, id)
		}
	}
	for _, p := range it.People {
		add(p)
	}
	for _, ov := range oversight {
		if ov.LeaderID != s.PersonID {
			continue
		}
		for _, u := range onItem[1:] {
			// A unit overseen, or one of its sections (as the item lists count them).
			if u == ov.UnitID || (units[u].ParentID == ov.UnitID && ov.UnitID != "") {
				add(s.PersonID)
			}
		}
	}
	return o
}

// organOf is the organ a unit belongs to: itself, or for a section the
// nearest ancestor that is not one.
func organOf(units map[string]org.Unit, id string) string {
	for u, ok := units[id]; ok; u, ok = units[u.ParentID] {
		if u.Kind != org.KindSection {
			return u.ID
		}
	}
	return id
}
