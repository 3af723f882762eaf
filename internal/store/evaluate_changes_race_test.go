package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestEvalUnitChangesSerialized: two merges of the same unit sent at once
// (into two other units, on two dates, so no unique key tells them apart),
// and two units merged into each other at once: each pair is checked one
// after the other, so exactly one of each is recorded and the other is
// refused with the reason — never a unit merged twice or a cycle. Run with
// -count=20 on both stores.
func TestEvalUnitChangesSerialized(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		loc := s.Calendar().Location()
		err := s.Write(ctx, func(tx *store.Tx) error {
			for i, n := range []string{"甲镇", "乙镇", "丙镇", "丁镇", "戊镇"} {
				if err := tx.PutUnit(ctx, org.Unit{ID: fmt.Sprintf("t%d", i), Name: n, ShortName: n, Kind: org.KindTown, Sort: i}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		admin := org.Person{ID: "admin", Name: "管理员"}
		day := func(d int) time.Time { return time.Date(2026, 10, d, 0, 0, 0, 0, loc) }
		race := func(a, b evaluate.Change) []error {
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make([]error, 2)
			for i, ch := range []evaluate.Change{a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = s.AddEvalUnitChange(ctx, admin, ch, "")
				}()
			}
			close(start)
			wg.Wait()
			return errs
		}
		for _, c := range []struct {
			name string
			a, b evaluate.Change
		}{
			{"the same unit into two", evaluate.Change{Unit: "t0", Kind: evaluate.Merged, Into: "t1", On: day(10)},
				evaluate.Change{Unit: "t0", Kind: evaluate.Merged, Into: "t2", On: day(12)}},
			{"two units into each other", evaluate.Change{Unit: "t3", Kind: evaluate.Merged, Into: "t4", On: day(10)},
				evaluate.Change{Unit: "t4", Kind: evaluate.Merged, Into: "t3", On: day(10)}},
		} {
			errs := race(c.a, c.b)
			if (errs[0] == nil) == (errs[1] == nil) {
				t.Fatalf("%s: errors %v, want exactly one refused", c.name, errs)
			}
		}
		chs, err := s.EvalUnitChanges(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(chs) != 2 {
			t.Fatalf("recorded %+v, want one merge of each pair", chs)
		}
		units, err := s.EvalUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := evaluate.NewOrg(units); err != nil {
			t.Fatalf("the units as recorded: %v", err)
		}
	})
}
