package evaluate

import (
	"fmt"
	"slices"
	"time"
)

// Unit is a unit as the scoreboard sees it. IDs are stable across a rename
// (the org keeps the ID and changes the name), so a renamed unit keeps its
// history; Names records the names it carried, for showing a past period
// under the name the unit had then. A unit merged into another has MergedInto
// and MergedOn: from the period ending after that date its records count for
// the successor, which is how the organization stood then.
type Unit struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"` // current name
	Class      Class      `json:"class"`
	Parent     string     `json:"parent,omitempty"` // sections roll up to the nearest scored unit
	Names      []NameSpan `json:"names,omitempty"`  // earlier names, oldest first
	MergedInto string     `json:"merged_into,omitempty"`
	MergedOn   time.Time  `json:"merged_on,omitzero"`
	Scored     bool       `json:"scored"` // false for sections and leading bodies
}

// NameSpan is a name a unit carried until a date.
type NameSpan struct {
	Name  string    `json:"name"`
	Until time.Time `json:"until"`
}

// NameAt is the unit's name at t.
func (u Unit) NameAt(t time.Time) string {
	for _, n := range u.Names {
		if t.Before(n.Until) {
			return n.Name
		}
	}
	return u.Name
}

// Org resolves which scored unit a record's unit counts for in a period.
type Org struct {
	units map[string]Unit
}

// NewOrg indexes the units; it refuses a merge chain that loops.
func NewOrg(units []Unit) (*Org, error) {
	o := &Org{units: make(map[string]Unit, len(units))}
	for _, u := range units {
		o.units[u.ID] = u
	}
	for _, u := range units {
		seen := map[string]bool{}
		for id := u.ID; id != ""; id = o.units[id].MergedInto {
			if seen[id] {
				return nil, fmt.Errorf("单位合并关系成环：%s", u.Name)
			}
			seen[id] = true
		}
	}
	return o, nil
}

// Unit returns a unit by ID.
func (o *Org) Unit(id string) (Unit, bool) { u, ok := o.units[id]; return u, ok }

// Owner is the scored unit a record of unit id counts for in a period ending
// at end: up the tree to the nearest scored unit, then along merges that took
// effect before end. "" when none (a leading body, an unknown unit).
func (o *Org) Owner(id string, end time.Time) string {
	for steps := 0; id != "" && steps <= 2*len(o.units); steps++ {
		u, ok := o.units[id]
		if !ok {
			return ""
		}
		if u.MergedInto != "" && u.MergedOn.Before(end) {
			id = u.MergedInto
			continue
		}
		if u.Scored {
			return id
		}
		id = u.Parent
	}
	return ""
}

// Members are the scored units of a class standing in a period ending at
// end (not merged away before it), in ID order for stable output.
func (o *Org) Members(c Class, end time.Time) []Unit {
	var out []Unit
	for _, u := range o.units {
		if u.Scored && u.Class == c && (u.MergedInto == "" || !u.MergedOn.Before(end)) {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b Unit) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out
}

// Period is a half-open span of time [From, To) scored as one.
type Period struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Label string    `json:"label"`
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// Month is a calendar month in loc.
func Month(year int, m time.Month, loc *time.Location) Period {
	from := time.Date(year, m, 1, 0, 0, 0, 0, loc)
	return Period{From: from, To: from.AddDate(0, 1, 0), Label: fmt.Sprintf("%d年%d月", year, m)}
}

// Quarter is a calendar quarter (1–4) in loc.
func Quarter(year, q int, loc *time.Location) Period {
	from := time.Date(year, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, loc)
	return Period{From: from, To: from.AddDate(0, 3, 0), Label: fmt.Sprintf("%d年第%d季度", year, q)}
}

// Year is a calendar year in loc.
func Year(year int, loc *time.Location) Period {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	return Period{From: from, To: from.AddDate(1, 0, 0), Label: fmt.Sprintf("%d年", year)}
}

// ParsePeriod reads "2026", "2026-Q3" or "2026-07".
func ParsePeriod(s string, loc *time.Location) (Period, error) {
	p, err := parsePeriod(s, loc)
	if err == nil && p.Key() != s { // Sscanf stops early: "2026-1x" is no month
		err = fmt.Errorf("考核期间 %q 无法识别：请写成 2026、2026-Q3 或 2026-07", s)
	}
	return p, err
}

func parsePeriod(s string, loc *time.Location) (Period, error) {
	var y, n int
	switch {
	case len(s) == 4:
		if _, err := fmt.Sscanf(s, "%4d", &y); err == nil && y >= 2000 && y <= 2100 {
			return Year(y, loc), nil
		}
	case len(s) == 7 && s[4] == '-' && s[5] == 'Q':
		if _, err := fmt.Sscanf(s, "%4d-Q%1d", &y, &n); err == nil && y >= 2000 && y <= 2100 && n >= 1 && n <= 4 {
			return Quarter(y, n, loc), nil
		}
	case len(s) == 7 && s[4] == '-':
		if _, err := fmt.Sscanf(s, "%4d-%2d", &y, &n); err == nil && y >= 2000 && y <= 2100 && n >= 1 && n <= 12 {
			return Month(y, time.Month(n), loc), nil
		}
	}
	return Period{}, fmt.Errorf("考核期间 %q 无法识别：请写成 2026、2026-Q3 或 2026-07", s)
}

// Key is the period's form for URLs, the inverse of ParsePeriod.
func (p Period) Key() string {
	y, m := p.From.Year(), p.From.Month()
	switch p.To.Sub(p.From) / (24 * time.Hour) {
	case 365, 366:
		return fmt.Sprintf("%d", y)
	case 28, 29, 30, 31:
		return fmt.Sprintf("%d-%02d", y, m)
	}
	return fmt.Sprintf("%d-Q%d", y, (int(m)-1)/3+1)
}

// Previous is the period of the same length just before p (a month, a
// quarter or a year), for 纵比.
func (p Period) Previous() Period {
	switch p.Key()[4:] {
	case "":
		return Year(p.From.Year()-1, p.From.Location())
	}
	if p.Key()[5] == 'Q' {
		f := p.From.AddDate(0, -3, 0)
		return Quarter(f.Year(), (int(f.Month())-1)/3+1, f.Location())
	}
	f := p.From.AddDate(0, -1, 0)
	return Month(f.Year(), f.Month(), f.Location())
}

// OwnedBy lists the units (scored or not) whose records count for owner in a
// period ending at end: the owner, its sections, the units merged into it.
func (o *Org) OwnedBy(owner string, end time.Time) []string {
	var out []string
	for id := range o.units {
		if o.Owner(id, end) == owner {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}
