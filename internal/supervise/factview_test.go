package supervise

import (
	"reflect"
	"testing"
	"time"
)

func leadFacts(items []Item) []LeadFacts {
	out := make([]LeadFacts, len(items))
	for i := range items {
		out[i] = LeadFacts{Lead: items[i].LeadUnit(), Facts: FactsOf(&items[i], 0)}
	}
	return out
}

// A view changed step by step gives the figures of a table built from the
// final items, and every older view keeps giving its own (views are never
// changed by a newer one), across the rebuilds of the base.
func TestFactViewMatchesTable(t *testing.T) {
	sw := sweep(t)
	all := synthItems(t, 9000)
	over := Overseers{"u01": {"l1"}, "u02": {"l1", "l2"}, "u40": {"l3"}}
	p := Months(at(9, 15, 0, 0), 1)[0]
	periods := Months(at(12, 15, 0, 0), 12)
	cur := append([]Item(nil), all[:3000]...)
	v := NewFactView(NewFactTable(cur))
	type seen struct {
		v     *FactView
		st    *Stats
		trend []Counts
		n     int
	}
	var views []seen
	check := func(v *FactView, items []Item) (*Stats, []Counts) {
		t.Helper()
		ft := NewFactTable(items)
		want, got := sw.ComputeFacts(ft, over, p, p.To), sw.ComputeView(v, over, p, p.To)
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("view and table differ (%d items):\n%+v\n%+v", len(items), want.Total, got.Total)
		}
		for _, u := range []string{"u02", "u40"} {
			if a, b := sw.TrendFacts(ft, u, periods, at(12, 31, 0, 0)), sw.TrendView(v, u, periods, at(12, 31, 0, 0)); !reflect.DeepEqual(a, b) {
				t.Fatalf("trends of %s differ", u)
			}
		}
		if v.Len() != len(items) {
			t.Fatalf("len %d, want %d", v.Len(), len(items))
		}
		return got, sw.TrendView(v, "u40", periods, at(12, 31, 0, 0))
	}
	for step := range 30 {
		// Each step changes some items already there (another lead unit,
		// a later deadline, closed) and adds new ones.
		var changed []Item
		for k := range 150 {
			i := (step*331 + k*17) % len(cur)
			it := cur[i]
			it.Units = append([]Unit(nil), it.Units...)
			if k%3 == 0 {
				it.Units[0].UnitID = "u40"
			}
			it.Deadline.Due = it.Deadline.Due.Add(time.Duration(k%5) * 24 * time.Hour)
			if k%4 == 0 {
				it.State, it.ClosedAt = Closed, it.Deadline.Due.Add(-time.Hour)
			}
			cur[i] = it
			changed = append(changed, it)
		}
		if n := len(cur); n < len(all) {
			add := all[n:min(n+200, len(all))]
			cur = append(cur, add...)
			changed = append(changed, add...)
		}
		v = v.With(leadFacts(changed))
		st, tr := check(v, cur)
		views = append(views, seen{v, st, tr, len(cur)})
	}
	for _, s := range views {
		if got := sw.ComputeView(s.v, over, p, p.To); !reflect.DeepEqual(got, s.st) {
			t.Fatalf("an older view (%d items) changed", s.n)
		}
		if got := sw.TrendView(s.v, "u40", periods, at(12, 31, 0, 0)); !reflect.DeepEqual(got, s.trend) {
			t.Fatalf("an older view's trend changed")
		}
	}
}
