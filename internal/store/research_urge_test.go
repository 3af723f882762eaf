package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/research"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestResearchUrgeSweep: the timed urging of research topics urges, past
// the deadline, the unit still owing its report (not the one whose report
// is under review, not a topic still in time), once a day whatever the
// number of runs or of servers sweeping at once, and again the next day.
func TestResearchUrgeSweep(t *testing.T) {
	clk := &supClock{t: cst(2026, 3, 2, 9)}
	storetest.ForEach(t, store.Options{Now: clk.now}, func(t *testing.T, s *store.Store) {
		clk.set(cst(2026, 3, 2, 9))
		c := newSupCase(t, s)
		office := c.x.unit["区委办"].ID
		clerk := c.x.byLogin["wenmi"]
		for _, n := range []research.NewTopic{
			{ID: "rt-late", OfficeID: office, Title: "关于夜间经济的调研", Source: research.ByOffice,
				Assignees: []research.Assignee{{UnitID: c.lead, PersonID: c.leadPerson.ID}, {UnitID: c.co, PersonID: c.coPerson.ID}}, Due: cst(2026, 3, 4, 17)},
			{ID: "rt-later", OfficeID: office, Title: "关于老旧小区加装电梯的调研", Source: research.ByOffice,
				Assignees: []research.Assignee{{UnitID: c.co, PersonID: c.coPerson.ID}}, Due: cst(2026, 4, 30, 17)},
		} {
			if _, err := s.CreateResearchTopic(ctx, clerk, n); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.ResearchAct(ctx, c.leadPerson, "rt-late", "submit", nil, func(x research.Topic) (research.Topic, error) {
			x, _, err := research.Submit(x, c.lead, c.leadPerson.ID, "夜间经济调研报告", "报告正文。", clk.now())
			return x, err
		}); err != nil {
			t.Fatal(err)
		}
		start := clk.now()
		sweep := func() int {
			n := 0
			if _, _, err := s.Sweep(context.Background(), store.ResearchUrgeSweepName, start, func(tx *store.Tx, _, _ time.Time) error {
				var err error
				n, err = tx.UrgeOverdueResearch(context.Background())
				return err
			}); err != nil {
				t.Error(err) // (also called from other goroutines)
				return -100
			}
			return n
		}
		urges := func(personID string) int {
			t.Helper()
			in, err := s.Inbox(ctx, personID, false, 100)
			if err != nil {
				t.Fatal(err)
			}
			k := 0
			for _, m := range in {
				if m.Kind == "research.urge" {
					k++
				}
			}
			return k
		}
		clk.set(cst(2026, 3, 4, 10)) // before the deadline
		if n := sweep(); n != 0 {
			t.Fatalf("urged %d before the deadline", n)
		}
		clk.set(cst(2026, 3, 5, 9))
		if n := sweep(); n != 1 {
			t.Fatalf("urged %d units past the deadline, want 1 (the other's report is under review)", n)
		}
		clk.set(cst(2026, 3, 5, 15))
		if n := sweep(); n != 0 || urges(c.coPerson.ID) != 1 || urges(c.leadPerson.ID) != 0 {
			t.Fatalf("the same day: urged %d again; messages %d and %d", n, urges(c.coPerson.ID), urges(c.leadPerson.ID))
		}
		// The next day, three servers sweeping at once: one urging.
		clk.set(cst(2026, 3, 6, 9))
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				k := sweep()
				mu.Lock()
				total += k
				mu.Unlock()
			}()
		}
		wg.Wait()
		if total != 1 || urges(c.coPerson.ID) != 2 {
			t.Fatalf("three sweeps the next day urged %d, messages %d; want 1 and 2", total, urges(c.coPerson.ID))
		}
		tp, err := s.ResearchTopic(ctx, "rt-late")
		if err != nil || !tp.Urged[c.co].Equal(cst(2026, 3, 6, 9)) {
			t.Fatalf("urged at %v, %v", tp.Urged, err)
		}
		if tp.Status(clk.now()) != research.Late {
			t.Fatalf("status %s", tp.Status(clk.now()))
		}
	})
}
