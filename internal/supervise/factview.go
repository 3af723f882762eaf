package supervise

import (
	"maps"
	"slices"
	"time"
)

// FactView is an immutable view of the statistics' facts that any number of
// viewers read at once while a newer view is made beside it: a base table
// shared by the views made from it, the base rows replaced since (a bitset),
// and a small table of the rows changed since the base was built.
//
// A change costs a copy of the small table and of the bitset (one bit per
// base row); the base is rebuilt (copied whole) only when the changes
// outgrow an eighth of it, so a million rows are copied once per 125,000
// changes, not once per change.
type FactView struct {
	base    *FactTable
	hide    []uint64 // base rows replaced by a row of delta
	nhide   int
	delta   *FactTable
	pending []LeadFacts // the changes delta holds, to rebuild the base from
}

// LeadFacts is one item's facts with its lead unit, as a store reads them.
type LeadFacts struct {
	Lead  string
	Facts Facts
}

// NewFactView makes a view of a table; the table must not be changed after.
func NewFactView(ft *FactTable) *FactView {
	if ft == nil {
		ft = &FactTable{}
	}
	return &FactView{base: ft, delta: &FactTable{}}
}

// Len is the number of items in the view.
func (v *FactView) Len() int { return v.base.Len() - v.nhide + v.delta.Len() }

// With returns a new view with the changed rows put in (replacing the rows
// with the same IDs); v itself is not changed and stays readable.
func (v *FactView) With(changes []LeadFacts) *FactView {
	if len(changes) == 0 {
		return v
	}
	if len(v.pending)+len(changes) > max(4096, v.base.Len()/8) {
		ft := v.base.Clone()
		for _, c := range [][]LeadFacts{v.pending, changes} {
			for i := range c {
				ft.Put(c[i].Lead, c[i].Facts)
			}
		}
		return NewFactView(ft)
	}
	n := &FactView{base: v.base, hide: slices.Clone(v.hide), nhide: v.nhide, delta: v.delta.Clone(),
		pending: append(slices.Clip(v.pending), changes...)}
	for i := range changes {
		c := &changes[i]
		if r, ok := v.base.ids[c.Facts.ID]; ok {
			w, b := int(r)/64, uint64(1)<<(uint(r)%64)
			for len(n.hide) <= w {
				n.hide = append(n.hide, 0)
			}
			if n.hide[w]&b == 0 {
				n.hide[w] |= b
				n.nhide++
			}
		}
		n.delta.Put(c.Lead, c.Facts)
	}
	return n
}

// ComputeView is ComputeFacts over a view.
func (s *Sweep) ComputeView(v *FactView, over Overseers, p Period, now time.Time) *Stats {
	st := s.computeRows(v.base, v.hide, over, p, now)
	if v.delta.Len() == 0 {
		return st
	}
	d := s.computeRows(v.delta, nil, over, p, now)
	st.Total.add(&d.Total)
	for k, c := range d.Units {
		group(st.Units, k).add(c)
	}
	for k, c := range d.Leaders {
		group(st.Leaders, k).add(c)
	}
	for k, c := range d.Sources {
		group(st.Sources, k).add(c)
	}
	return st
}

// TrendView is TrendFacts over a view.
func (s *Sweep) TrendView(v *FactView, unitID string, periods []Period, now time.Time) []Counts {
	out := make([]Counts, len(periods))
	s.trendRows(v.base, v.hide, unitID, periods, now, out)
	s.trendRows(v.delta, nil, unitID, periods, now, out)
	return out
}

func hidden(hide []uint64, i int) bool {
	w := i / 64
	return w < len(hide) && hide[w]&(uint64(1)<<(uint(i)%64)) != 0
}

// Clone copies the table: the copy and the original change independently.
func (ft *FactTable) Clone() *FactTable {
	c := &FactTable{Units: slices.Clone(ft.Units), index: maps.Clone(ft.index), rows: slices.Clone(ft.rows),
		events: slices.Clone(ft.events), ids: maps.Clone(ft.ids), dead: ft.dead, byUnit: make([][]int32, len(ft.byUnit))}
	for i, b := range ft.byUnit {
		c.byUnit[i] = slices.Clone(b)
	}
	return c
}
