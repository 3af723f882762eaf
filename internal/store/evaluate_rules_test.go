package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestEvalSettings: rule versions list who entered them and only a version
// not yet in force may be withdrawn; a rename with a new name renames the
// unit in the org and keeps the earlier name for past periods; a merge is
// checked, listed, honoured by EvalUnits and may be withdrawn.
func TestEvalSettings(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, base *store.Store) {
		cal, err := calendar.Default()
		if err != nil {
			t.Fatal(err)
		}
		loc := cal.Location()
		clock := time.Date(2026, 11, 20, 9, 0, 0, 0, loc)
		s := base.At(func() time.Time { return clock })
		x := seeded(t, s)
		admin := x.byLogin["sysadmin"]
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }

		if vs, err := s.EvalRuleVersions(ctx); err != nil || len(vs) != 1 || vs[0].By != "" {
			t.Fatalf("the defaults alone: %+v %v", vs, err)
		}
		if _, err := s.AddEvalRules(ctx, admin, evaluate.DefaultRules(day(2027, 1, 1))); err != nil {
			t.Fatal(err)
		}
		vs, err := s.EvalRuleVersions(ctx)
		if err != nil || len(vs) != 2 || vs[1].Version != 2 || vs[1].By != admin.Name || !vs[1].AddedAt.Equal(clock) {
			t.Fatalf("versions %+v %v", vs, err)
		}
		if err := s.WithdrawEvalRules(ctx, admin, 1); err == nil || !strings.Contains(err.Error(), "只能撤销最新") {
			t.Errorf("withdraw v1: %v", err)
		}
		if err := s.WithdrawEvalRules(ctx, admin, 2); err != nil {
			t.Fatalf("withdraw v2: %v", err)
		}
		if rs, _ := s.EvalRules(ctx); len(rs) != 1 {
			t.Errorf("after withdrawing: %+v", rs)
		}

		var towns []org.Unit
		for _, u := range x.Units {
			if u.Kind == org.KindTown && len(towns) < 3 {
				towns = append(towns, u)
			}
		}
		oldName := towns[0].Name
		if _, err := s.AddEvalUnitChange(ctx, admin, evaluate.Change{Unit: towns[0].ID, Kind: evaluate.Renamed, On: day(2026, 12, 1)}, "新名街道"); err == nil || !strings.Contains(err.Error(), "尚未到来") {
			t.Errorf("a future rename with a new name: %v", err)
		}
		ch, err := s.AddEvalUnitChange(ctx, admin, evaluate.Change{Unit: towns[0].ID, Kind: evaluate.Renamed, On: day(2026, 11, 1)}, "新名街道")
		if err != nil || ch.OldName != oldName {
			t.Fatalf("rename: %+v %v", ch, err)
		}
		if u, _ := s.Unit(ctx, towns[0].ID); u.Name != "新名街道" {
			t.Errorf("org name %q", u.Name)
		}
		if _, err := s.AddEvalUnitChange(ctx, admin, evaluate.Change{Unit: towns[1].ID, Kind: evaluate.Merged, Into: towns[1].ID, On: day(2026, 10, 1)}, ""); err == nil {
			t.Error("a merge into itself was recorded")
		}
		if _, err := s.AddEvalUnitChange(ctx, admin, evaluate.Change{Unit: towns[1].ID, Kind: evaluate.Merged, Into: towns[2].ID, On: day(2026, 10, 15)}, ""); err != nil {
			t.Fatal(err)
		}
		units, err := s.EvalUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		o, _ := evaluate.NewOrg(units)
		if u, _ := o.Unit(towns[0].ID); u.NameAt(day(2026, 10, 31)) != oldName || u.NameAt(day(2026, 11, 2)) != "新名街道" {
			t.Errorf("names %+v", u)
		}
		if got := o.Owner(towns[1].ID, day(2026, 11, 1)); got != towns[2].ID {
			t.Errorf("merged town counts for %s", got)
		}
		chs, err := s.EvalUnitChanges(ctx)
		if err != nil || len(chs) != 2 || chs[0].Kind != evaluate.Merged || chs[1].OldName != oldName {
			t.Fatalf("changes %+v %v", chs, err)
		}
		if err := s.WithdrawEvalUnitChange(ctx, admin, towns[1].ID, evaluate.Merged, day(2026, 10, 15)); err != nil {
			t.Fatal(err)
		}
		if err := s.WithdrawEvalUnitChange(ctx, admin, towns[1].ID, evaluate.Merged, day(2026, 10, 15)); err == nil {
			t.Error("withdrawn twice")
		}
		if chs, _ := s.EvalUnitChanges(ctx); len(chs) != 1 {
			t.Errorf("after withdrawing: %+v", chs)
		}
	})
}
