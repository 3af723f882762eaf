package demo

import (
	"context"
	"testing"
	"time"

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
}
