package demo

import (
	"context"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/inforeport"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestSeedInfo: a year of reports from the towns and departments in every
// state, city and province adoptions, 批示 turned into supervision items,
// numbered issues, 约稿 answered on time, late and not at all; a restart
// adds nothing.
func TestSeedInfo(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC) // 10:00 in Beijing, a Monday
	s := storetest.SQLite(t, store.Options{Now: func() time.Time { return now }})
	d := NewDistrict(now)
	if err := Seed(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	if err := SeedInfo(ctx, s, d, now); err != nil {
		t.Fatal(err)
	}
	all, err := s.InfoReports(ctx, store.InfoFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if err := SeedInfo(ctx, s, d, now); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.InfoReports(ctx, store.InfoFilter{}); len(again) != len(all) {
		t.Fatalf("a second seeding: %d reports, was %d", len(again), len(all))
	}
	states := map[inforeport.State]int{}
	city, ins, sup := 0, 0, 0
	for _, r := range all {
		states[r.State]++
		if r.AdoptedAt(inforeport.City) {
			city++
		}
		ins += len(r.Instructions)
		for _, i := range r.Instructions {
			if i.SupItemID != "" {
				sup++
				if it, err := s.SupItem(ctx, i.SupItemID); err != nil || it.Ref != r.ID {
					t.Errorf("supervision item of %s: %v", r.ID, err)
				}
			}
		}
		at := r.SubmittedAt.In(s.Calendar().Location())
		if at.Hour() < 8 || at.Hour() > 18 || !s.Calendar().IsWorkday(at) {
			t.Errorf("%s submitted at %v", r.ID, at)
		}
	}
	t.Logf("%d reports from %d units: %v; %d city adoptions, %d 批示, %d supervised", len(all), len(infoSenders(all)), states, city, ins, sup)
	if len(all) < 200 || len(infoSenders(all)) < 18 || states[inforeport.Adopted] < 50 || states[inforeport.Returned] == 0 || states[inforeport.Submitted]+states[inforeport.Editing] < 3 || states[inforeport.Declined] == 0 || city < 3 || ins < 2 || sup != 2 {
		t.Fatal("the demo year is too thin")
	}
	office := ""
	for _, u := range d.Units {
		if u.ShortName == "政府办" {
			office = u.ID
		}
	}
	special, err := s.InfoIssues(ctx, office, inforeport.Special)
	if err != nil || len(special) == 0 {
		t.Fatalf("no 《信息专报》: %v", err)
	}
	dyn, _ := s.InfoIssues(ctx, office, inforeport.Dynamics)
	if len(dyn) < 10 {
		t.Fatalf("%d issues of 《工作动态》", len(dyn))
	}
	rec, err := s.InfoRecords(ctx, office, now, now)
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := s.InfoRules(ctx)
	score := inforeport.Score(rs, rec, inforeport.Year(2026, s.Calendar().Location()))
	missed, late := 0, 0
	for _, e := range inforeport.Events(rs, rec) {
		switch e.Kind {
		case inforeport.PointMissed:
			missed++
		case inforeport.PointLate:
			late++
		}
	}
	if len(score) < 15 || missed == 0 {
		t.Fatalf("scores: %d units, %d missed, %d late", len(score), missed, late)
	}
}
