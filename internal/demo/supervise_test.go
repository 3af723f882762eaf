package demo

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

func TestSeedSupervision(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	s := storetest.SQLite(t, store.Options{Now: func() time.Time { return now }})
	d := NewDistrict(now)
	if err := Seed(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := SeedSupervision(ctx, s, d, now); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded supervision in %v", time.Since(start))
	// Idempotent: a restart seeds nothing more.
	if err := SeedSupervision(ctx, s, d, now); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountSupItems(ctx, store.SupFilter{}); err != nil || n != SupervisionItems {
		t.Fatalf("%d items, %v", n, err)
	}
	states, lights, err := s.SupTally(ctx, store.SupFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range supervise.AllStates() {
		if states[st] == 0 {
			t.Errorf("no item %s", st.Label())
		}
	}
	for _, c := range []supervise.Color{supervise.Green, supervise.Yellow, supervise.Red} {
		if lights[c] == 0 {
			t.Errorf("no %s item", c.Label())
		}
	}
	for _, src := range supervise.AllSources() {
		if n, _ := s.CountSupItems(ctx, store.SupFilter{Source: src}); n == 0 {
			t.Errorf("no item from %s", src.Label())
		}
	}
	ft, err := s.SupFacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sw := s.SupSweep(now)
	st := sw.ComputeFacts(ft, nil, supervise.Period{From: now.AddDate(-1, 0, 0), To: now}, now)
	if st.Total.Closed == 0 || st.Total.Satisfied+st.Total.BasicSatisfied+st.Total.Unsatisfied == 0 || st.Total.Extensions == 0 {
		t.Errorf("statistics too thin: %+v", st.Total)
	}
	t.Logf("states %v lights %v total %+v", states, lights, st.Total)

	// The printed 领导 login finds items it instructed and items its 分管
	// units lead; every item has a 督办编号, gap-free per year in the order
	// of registration.
	var leader string
	for _, l := range d.Logins {
		if l.Role == org.RoleLeader {
			leader = l.PersonID
		}
	}
	var overseen []string
	for _, o := range d.Oversight {
		if o.LeaderID == leader {
			overseen = append(overseen, o.UnitID)
		}
	}
	if n, err := s.CountSupItems(ctx, store.SupFilter{Instructor: leader}); err != nil || n == 0 {
		t.Errorf("the 领导 login instructed %d items, %v", n, err)
	}
	if n, err := s.CountSupItems(ctx, store.SupFilter{Units: overseen}); err != nil || n == 0 {
		t.Errorf("the 领导 login's 分管 units are on %d items, %v", n, err)
	}
	all, err := s.SupItemsFull(ctx, store.SupFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(all, func(a, b supervise.Item) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return a.Number.Seq - b.Number.Seq // registered at the same moment
	})
	next := map[int]int{}
	for _, it := range all {
		next[it.Number.Year]++
		if it.Number.Year != it.CreatedAt.In(calendar.Shanghai()).Year() || it.Number.Seq != next[it.Number.Year] {
			t.Fatalf("%s registered %v numbered %s", it.ID, it.CreatedAt, it.Number)
		}
		if it.Instructor != "" && it.Instructor != leader && !slices.ContainsFunc(d.People, func(p org.Person) bool { return p.ID == it.Instructor }) {
			t.Fatalf("%s instructed by %q, no person", it.ID, it.Instructor)
		}
	}
}
