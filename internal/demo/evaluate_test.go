package demo

import (
	"context"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestSeedEvaluate: three versions of the rules (the defaults, the revised
// one in force, next year's waiting), a rename and a merge the scoreboard
// follows; a restart adds nothing.
func TestSeedEvaluate(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC) // 10:00 in Beijing
	s := storetest.SQLite(t, store.Options{Now: func() time.Time { return now }})
	d := NewDistrict(now)
	if err := Seed(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := SeedEvaluate(ctx, s, d, now); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := s.EvalRules(ctx)
	if err != nil || len(rs) != 3 {
		t.Fatalf("rules %d %v", len(rs), err)
	}
	for v, want := range map[int]string{1: "已停止施行", 2: "现行", 3: "待施行"} {
		if got := rs.State(v, now); got != want {
			t.Errorf("v%d %s, want %s", v, got, want)
		}
	}
	if rs[1].Effective.Format("2006-01-02") != "2026-06-01" || rs[2].Effective.Format("2006-01-02") != "2027-01-01" {
		t.Errorf("effective %s %s", rs[1].Effective, rs[2].Effective)
	}
	chs, err := s.EvalUnitChanges(ctx)
	if err != nil || len(chs) != 2 {
		t.Fatalf("changes %+v %v", chs, err)
	}
	units, err := s.EvalUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	o, err := evaluate.NewOrg(units)
	if err != nil {
		t.Fatal(err)
	}
	loc := s.Calendar().Location()
	var renamed, merged string
	for _, u := range d.Units {
		switch u.Name {
		case districtName + demoRenamedTown:
			renamed = u.ID
		case districtName + demoMergedTown:
			merged = u.ID
		}
	}
	if u, _ := o.Unit(renamed); u.NameAt(time.Date(2026, 7, 31, 0, 0, 0, 0, loc)) != "清澜区柳溪乡" || u.NameAt(now) != "清澜区柳溪镇" {
		t.Errorf("names of %+v", u)
	}
	if n := len(o.Members(evaluate.Towns, time.Date(2026, 9, 1, 0, 0, 0, 0, loc))); n != 16 {
		t.Errorf("August: %d towns, want 16", n)
	}
	if n := len(o.Members(evaluate.Towns, time.Date(2026, 10, 1, 0, 0, 0, 0, loc))); n != 15 || o.Owner(merged, now) == merged {
		t.Errorf("September: %d towns, want 15 with 东门街道 merged", n)
	}
}
