package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// A document issued to two towns: when the sign-for limit passes, both copies
// are on the sending office's watch and the sweep tells the drafter and both
// offices' directors once; a town that signs for leaves the watch.
func TestDocWatchLateSignFor(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, calendar.Shanghai()) // a Tuesday
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	setNow := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
	storetest.ForEach(t, store.Options{Now: clock}, func(t *testing.T, s *store.Store) {
		setNow(time.Date(2026, 12, 1, 9, 0, 0, 0, calendar.Shanghai()))
		x := seeded(t, s)
		office := x.unit["政府办"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		var towns []string
		for _, u := range x.Units {
			if u.Kind == org.KindTown && len(towns) < 2 {
				towns = append(towns, u.ID)
			}
		}
		rec := newDraft(t, s, x, clerk, secretariat, towns)
		act(t, s, clerk, rec.ID, approve("请审核"))
		act(t, s, x.head(t, secretariat.ID), rec.ID, approve("同意"))
		cs := childOf(x, office.ID, "综合科")
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Comment: "请会签", Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Leader, Unit: cs.ID}}}})
		act(t, s, x.head(t, cs.ID), rec.ID, approve("同意"))
		act(t, s, x.head(t, office.ID), rec.ID, approve("同意印发"))
		act(t, s, clerk, rec.ID, approve(""))
		act(t, s, clerk, rec.ID, approve("复核无误"))
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Fields: map[string]string{"print_date": "2026-12-01", "copies": "30"}})
		act(t, s, clerk, rec.ID, approve("分发"))
		issued := s.Now()

		late, err := s.LateTasks(ctx, office.ID, issued, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range late {
			if l.Why == store.LateSignFor {
				t.Fatalf("late at issuing: %+v", l)
			}
		}
		// Two working days later neither town has signed for it.
		setNow(issued.Add(48 * time.Hour))
		late, err = s.LateTasks(ctx, office.ID, s.Now(), 100)
		if err != nil {
			t.Fatal(err)
		}
		copies := map[string]bool{}
		for _, l := range late {
			if l.Why == store.LateSignFor && l.SourceID == rec.ID {
				copies[l.Doc.UnitID] = true
			}
		}
		if len(copies) != 2 {
			t.Fatalf("late copies on the sender's watch: %v (all: %+v)", copies, late)
		}
		// The receiving town's office sees its own late 签收 too.
		copies0, _ := s.IncomingFrom(ctx, rec.ID)
		townLate, err := s.LateTasks(ctx, copies0[0].OrganID, s.Now(), 100)
		if err != nil || len(townLate) == 0 || townLate[0].Why != store.LateSignFor {
			t.Fatalf("town's own watch: %+v %v", townLate, err)
		}

		// The sweep over the two days tells the drafter, once.
		sweep := func() int {
			var n int
			if err := s.Write(ctx, func(tx *store.Tx) error {
				var err error
				n, err = tx.RunDocWatch(ctx, issued, s.Now())
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := sweep(); n == 0 {
			t.Fatal("sweep sent nothing")
		}
		if n := sweep(); n != 0 {
			t.Fatalf("a repeated sweep sent %d messages again", n)
		}
		inbox, err := s.Inbox(ctx, clerk.ID, false, 50)
		if err != nil {
			t.Fatal(err)
		}
		signfor := 0
		for _, m := range inbox {
			if m.Kind == "document.late.signfor" && m.Link == "/docs/"+rec.ID {
				signfor++
			}
		}
		if signfor != 2 {
			t.Fatalf("drafter's inbox: %d sign-for notices, want one per town: %+v", signfor, inbox)
		}

		// One town signs for: only the other is still on the watch.
		c := copies0[0]
		townClerk := x.withRole(t, org.RoleClerk, c.UnitID)
		act(t, s, townClerk, c.ID, approve("签收"))
		late, _ = s.LateTasks(ctx, office.ID, s.Now(), 100)
		for _, l := range late {
			if l.Why == store.LateSignFor && l.Doc.ID == c.ID {
				t.Fatalf("signed-for copy still late: %+v", l)
			}
		}
	})
}
