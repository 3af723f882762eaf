package loadgen

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// directory is the organisation as the tool reads it through the API
// (/api/v1/units, /api/v1/people and each person's positions and roles): who
// may act on a task, who drafts, who signs for what arrives.
type directory struct {
	units   map[string]unit
	people  map[string]person
	logins  []string            // every login, in directory order
	byRole  map[string][]string // "role unit" -> people
	heads   map[string][]string // unit -> people who head it (or hold its leader role)
	members map[string][]string // unit -> people with a position in it
}

type unit struct {
	ID       string `json:"id"`
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
}

type person struct {
	ID        string `json:"id"`
	Login     string `json:"login"`
	Name      string `json:"name"`
	Positions []struct {
		UnitID  string `json:"unit_id"`
		Primary bool   `json:"primary"`
		Head    bool   `json:"head"`
	} `json:"positions"`
	Roles []struct {
		Role   string `json:"role"`
		UnitID string `json:"unit_id"`
	} `json:"roles"`
}

func (p person) primaryUnit() string {
	for _, pos := range p.Positions {
		if pos.Primary {
			return pos.UnitID
		}
	}
	if len(p.Positions) > 0 {
		return p.Positions[0].UnitID
	}
	return ""
}

func (p person) hasRole(roles ...string) bool {
	for _, r := range p.Roles {
		if slices.Contains(roles, r.Role) {
			return true
		}
	}
	return false
}

// loadDirectory reads the organisation with one signed-in session, reading
// people's details with a few requests at once.
func loadDirectory(ctx context.Context, c *client, s *session) (*directory, error) {
	var us struct{ Units []unit }
	if err := c.getJSON(ctx, s, "/api/v1/units", &us); err != nil {
		return nil, fmt.Errorf("读取单位: %w", err)
	}
	d := &directory{units: map[string]unit{}, people: map[string]person{}, byRole: map[string][]string{},
		heads: map[string][]string{}, members: map[string][]string{}}
	for _, u := range us.Units {
		d.units[u.ID] = u
	}
	var list []person
	for off := 0; ; off += 500 {
		var ps struct{ People []person }
		if err := c.getJSON(ctx, s, fmt.Sprintf("/api/v1/people?limit=500&offset=%d", off), &ps); err != nil {
			return nil, fmt.Errorf("读取人员: %w", err)
		}
		list = append(list, ps.People...)
		if len(ps.People) < 500 {
			break
		}
	}
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i := range list {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var p person
			err := c.getJSON(ctx, s, "/api/v1/people/"+url.PathEscape(list[i].ID), &p)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				firstErr = cmpErr(firstErr, err)
				return
			}
			list[i] = p
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, fmt.Errorf("读取人员详情: %w", firstErr)
	}
	for _, p := range list {
		if p.Login == "" {
			continue
		}
		d.people[p.ID] = p
		d.logins = append(d.logins, p.Login)
		for _, pos := range p.Positions {
			d.members[pos.UnitID] = append(d.members[pos.UnitID], p.ID)
			if pos.Head {
				d.heads[pos.UnitID] = append(d.heads[pos.UnitID], p.ID)
			}
		}
		for _, r := range p.Roles {
			d.byRole[r.Role+" "+r.UnitID] = append(d.byRole[r.Role+" "+r.UnitID], p.ID)
			if r.Role == "leader" && !slices.Contains(d.heads[r.UnitID], p.ID) {
				d.heads[r.UnitID] = append(d.heads[r.UnitID], p.ID)
			}
		}
	}
	if len(d.people) == 0 {
		return nil, fmt.Errorf("通讯录中没有可登录的人员")
	}
	return d, nil
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// The route's roles and the organisation's roles that may hold them, as the
// store resolves them (office_clerk: 文秘 or 机要员, and so on).
var routeRoles = map[string][]string{
	"office_clerk":    {"clerk", "confidential_clerk"},
	"office_reviewer": {"clerk", "office_director"},
	"office_head":     {"office_director"},
	"archivist":       {"clerk", "confidential_clerk"},
	"supervisor":      {"supervisor"},
}

// assignee is a task's assignee as the route JSON has it.
type assignee struct {
	Kind   string `json:"kind"`
	Person string `json:"person,omitempty"`
	Role   string `json:"role,omitempty"`
	Unit   string `json:"unit,omitempty"`
}

// candidates are the people who may act on a task for the assignee, most
// likely first; scope fills placeholders such as {office}.
func (d *directory) candidates(a assignee, scope map[string]string, starter string) []string {
	u := a.Unit
	if strings.HasPrefix(u, "{") && strings.HasSuffix(u, "}") {
		u = scope[strings.Trim(u, "{}")]
	}
	var out []string
	switch a.Kind {
	case "person":
		out = []string{a.Person}
	case "starter":
		out = []string{starter}
	case "leader":
		out = slices.Clone(d.heads[u])
	case "unit":
		out = slices.Clone(d.members[u])
	case "role":
		for _, r := range routeRoles[a.Role] {
			out = append(out, d.byRole[r+" "+u]...)
		}
	}
	return slices.DeleteFunc(out, func(id string) bool { _, ok := d.people[id]; return !ok })
}

// withRole lists the people holding one of the roles anywhere.
func (d *directory) withRole(roles ...string) []string {
	var out []string
	for id, p := range d.people {
		if p.hasRole(roles...) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// organOf is the organ a unit belongs to: itself or its nearest ancestor
// that is not a section.
func (d *directory) organOf(id string) string {
	for range 10 {
		u, ok := d.units[id]
		if !ok || u.Kind != "section" || u.ParentID == "" {
			return id
		}
		id = u.ParentID
	}
	return id
}

// sectionsOf lists the sections of an organ that have a head.
func (d *directory) sectionsOf(organ string) []string {
	var out []string
	for id, u := range d.units {
		if u.ParentID == organ && u.Kind == "section" && len(d.heads[id]) > 0 {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// staffOf lists the people working in an organ or its sections.
func (d *directory) staffOf(organ string) []string {
	var out []string
	for id, p := range d.people {
		for _, pos := range p.Positions {
			if pos.UnitID == organ || d.units[pos.UnitID].ParentID == organ {
				out = append(out, id)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// receivers are the units that receive documents: towns and departments
// (the ones with a clerk to sign for them).
func (d *directory) receivers() []string {
	var out []string
	for id, u := range d.units {
		if (u.Kind == "town" || u.Kind == "department" || u.Kind == "office") &&
			len(d.byRole["clerk "+id])+len(d.byRole["confidential_clerk "+id]) > 0 {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}
