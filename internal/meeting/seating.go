package meeting

import (
	"cmp"
	"slices"
)

// RostrumOrder places n people on the 主席台 by rank, as the audience sees
// them from left to right: the values are ranks (0 the first). With an odd
// number the first sits in the middle, the second on the first's left (the
// audience's right), the third on the first's right, and so on alternately;
// with an even number the first two share the middle, the second on the
// first's left — the rule of 党政机关 protocol (左为上, seen from the
// rostrum).
func RostrumOrder(n int) []int {
	if n <= 0 {
		return nil
	}
	// Build the rostrum's own view (its left to right), then mirror it.
	own := make([]int, 0, n)
	own = append(own, 0)
	for r := 1; r < n; r++ {
		if r%2 == 1 {
			own = append([]int{r}, own...) // the first's left, outward
		} else {
			own = append(own, r) // the first's right, outward
		}
	}
	slices.Reverse(own)
	return own
}

// Seat is an invitee on the seating plan.
type Seat struct {
	PersonID string `json:"person_id"`
	UnitID   string `json:"unit_id"`
	// Name is the name on the place card: the invitee's, or their
	// substitute's.
	Name string `json:"name"`
	Post string `json:"post,omitempty"`
}

// Plan is the seating plan: the 主席台 as the audience sees it, and the
// floor's rows from the front, left to right.
type Plan struct {
	Rostrum []Seat   `json:"rostrum"`
	Rows    [][]Seat `json:"rows"`
}

// Seating places the invitees who come (not absent): those marked for the
// 主席台 by RostrumOrder in the order of the list, the rest on the floor by
// the deployment's order of units (unitOrder, smaller first) and in list
// order within a unit, rowSeats to a row (0: one row). name gives a seat's
// name and post (the substitute's when one is sent).
func Seating(m *Meeting, unitOrder func(unitID string) int, rowSeats int, name func(Invitee) (string, string)) Plan {
	var top, floor []Seat
	type ranked struct {
		s   Seat
		idx int
	}
	var rest []ranked
	for i, iv := range m.Invitees {
		if iv.Reply != nil && iv.Reply.Answer == Absent {
			continue
		}
		n, p := name(iv)
		s := Seat{PersonID: iv.PersonID, UnitID: iv.UnitID, Name: n, Post: p}
		if iv.Rostrum && (iv.Reply == nil || iv.Reply.Answer == Attend) {
			top = append(top, s)
			continue
		}
		rest = append(rest, ranked{s, i})
	}
	slices.SortStableFunc(rest, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(unitOrder(a.s.UnitID), unitOrder(b.s.UnitID)), cmp.Compare(a.idx, b.idx))
	})
	for _, r := range rest {
		floor = append(floor, r.s)
	}
	var plan Plan
	for _, r := range RostrumOrder(len(top)) {
		plan.Rostrum = append(plan.Rostrum, top[r])
	}
	if rowSeats <= 0 {
		rowSeats = max(len(floor), 1)
	}
	for len(floor) > 0 {
		k := min(rowSeats, len(floor))
		plan.Rows = append(plan.Rows, floor[:k])
		floor = floor[k:]
	}
	return plan
}
