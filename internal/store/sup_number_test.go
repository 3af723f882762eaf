package store_test

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// TestSupNumbers: the 督办编号 is 督字〔year〕N号 from the 督查室's counter,
// taken in the registering transaction — eight registrations at once get
// eight consecutive numbers, a refused registration takes none, and the
// next year starts again at 1. Lists show and search the number.
func TestSupNumbers(t *testing.T) {
	clk := &supClock{t: cst(2026, 3, 2, 9)}
	storetest.ForEach(t, store.Options{Now: clk.now}, func(t *testing.T, s *store.Store) {
		c := newSupCase(t, s)
		year := func(y int) []int {
			t.Helper()
			its, err := s.SupItemsFull(ctx, store.SupFilter{Office: c.office, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			var seqs []int
			for _, it := range its {
				if it.Number.Year == y {
					seqs = append(seqs, it.Number.Seq)
				}
			}
			sort.Ints(seqs)
			return seqs
		}
		before := len(year(2026))
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.CreateSupItem(ctx, c.sup, c.newItem(fmt.Sprintf("num-%d", i), 10), i%2 == 0)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got := year(2026)
		if len(got) != before+8 {
			t.Fatalf("numbers %v, want %d", got, before+8)
		}
		for i, n := range got {
			if n != i+1 {
				t.Fatalf("numbers have a gap or a repeat: %v", got)
			}
		}

		// A refused registration (a unit's person is no 督查员) takes no number.
		if _, err := s.CreateSupItem(ctx, c.leadPerson, c.newItem("num-refused", 10), false); err == nil {
			t.Fatal("a non-督查员 registered an item")
		} else if r := (*supervise.Refusal)(nil); !errors.As(err, &r) {
			t.Fatalf("want a refusal, got %v", err)
		}
		it, err := s.CreateSupItem(ctx, c.sup, c.newItem("num-next", 10), false)
		if err != nil {
			t.Fatal(err)
		}
		if want := (supervise.Number{Year: 2026, Seq: before + 9}); it.Number != want {
			t.Fatalf("after a refusal: %s, want %s", it.Number, want)
		}
		if back, err := s.SupItem(ctx, it.ID); err != nil || back.Number != it.Number {
			t.Fatalf("stored %+v %v", back.Number, err)
		}
		list, err := s.SupItems(ctx, store.SupFilter{Office: c.office, Query: it.Number.String()})
		if err != nil || len(list) != 1 || list[0].ID != it.ID || list[0].Number != it.Number.String() {
			t.Fatalf("search by number: %+v %v", list, err)
		}

		// The next year (Beijing time) starts at 1.
		clk.set(time.Date(2027, 1, 1, 0, 30, 0, 0, supCST))
		it, err = s.CreateSupItem(ctx, c.sup, c.newItem("num-2027", 10), false)
		if err != nil {
			t.Fatal(err)
		}
		if it.Number.String() != "督字〔2027〕1号" {
			t.Fatalf("first of 2027: %s", it.Number)
		}
		clk.set(cst(2026, 3, 2, 9))
	})
}
