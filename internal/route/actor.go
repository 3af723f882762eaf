package route

// RoleGrant is a role held in a unit.
type RoleGrant struct {
	Role string `json:"role"`
	Unit string `json:"unit"`
}

// Principal is what the engine needs to know about a person to decide whether
// an assignee means them. The caller (web layer, from org) builds it.
type Principal struct {
	ID    string      `json:"id"`
	Units []string    `json:"units,omitempty"`
	Roles []RoleGrant `json:"roles,omitempty"`
	// Leads are the units this person leads.
	Leads []string `json:"leads,omitempty"`
}

// Actor is the person acting, with the leaders who have delegated to them
// (委托, already filtered by the caller to those in force now).
type Actor struct {
	Principal
	Delegations []Principal `json:"delegations,omitempty"`
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Matches reports whether the assignee means this principal.
func (p Principal) Matches(a Assignee) bool {
	switch a.Kind {
	case Person:
		return p.ID == a.Person
	case Role:
		for _, g := range p.Roles {
			if g.Role == a.Role && g.Unit == a.Unit {
				return true
			}
		}
	case Leader:
		return contains(p.Leads, a.Unit)
	case Unit:
		return contains(p.Units, a.Unit)
	}
	return false
}

func (p Principal) hasRole(role string) bool {
	for _, g := range p.Roles {
		if g.Role == role {
			return true
		}
	}
	return false
}

// entitled decides whether actor may act on a task with this assignee. It
// returns the id of the leader acted for ("" when acting in one's own right).
// onBehalfOf selects a delegation; empty picks the first that fits.
func entitled(actor Actor, a Assignee, allowDelegate bool, onBehalfOf string) (forID string, ok bool) {
	if onBehalfOf == "" && actor.Matches(a) {
		return "", true
	}
	if !allowDelegate {
		return "", false
	}
	for _, d := range actor.Delegations {
		if (onBehalfOf == "" || d.ID == onBehalfOf) && d.ID != actor.ID && d.Matches(a) {
			return d.ID, true
		}
	}
	return "", false
}
