package demo

import (
	"context"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

func TestSeedDocuments(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	s := storetest.SQLite(t, store.Options{Now: func() time.Time { return now }})
	d := NewDistrict(now)
	if err := Seed(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := SeedDocuments(ctx, s, d, now); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded documents in %v", time.Since(start))
	// Every demo login with a business role has something in their lists.
	states := map[string]int{}
	for _, l := range d.Logins {
		if l.Role.Admin() {
			continue
		}
		a, err := s.Actor(ctx, l.PersonID, now)
		if err != nil {
			t.Fatal(err)
		}
		items, err := s.OpenTasksFor(ctx, a, 1000)
		if err != nil {
			t.Fatal(err)
		}
		done, _ := s.ParticipatedDocs(ctx, l.PersonID, true, 1000)
		t.Logf("%s (%s): %d open tasks, %d closed", l.Login, l.Role.Label(), len(items), len(done))
		circ := 0
		for _, w := range items {
			states[w.Step]++
			if w.Circ {
				circ++
			}
		}
		// The document logins each open a busy 待办 (the 督查员's work is
		// supervision, seeded elsewhere); the 领导 also has 待阅.
		if l.Role != org.RoleSupervisor && len(items)-circ < 3 {
			t.Errorf("%s: %d open tasks in 待办, want a busy list", l.Login, len(items)-circ)
		}
		if l.Role == org.RoleLeader && circ == 0 {
			t.Errorf("%s: nothing to read (待阅)", l.Login)
		}
		// The 文秘 drafts and numbers: her 已办 holds documents still moving.
		if open, _ := s.ParticipatedDocs(ctx, l.PersonID, false, 1000); l.Role == org.RoleClerk && len(open) == 0 {
			t.Errorf("%s: nothing in 已办", l.Login)
		}
	}
	t.Logf("steps in the demo logins' lists: %v", states)
	// Every step of the 收文 route holds some document, 签收 among them.
	for _, step := range []string{"签收", "登记", "拟办", "批办", "承办", "传阅"} {
		if states[step] == 0 {
			t.Errorf("no demo login has a document at %s", step)
		}
	}
	// No draft is reviewed (审核) by the one who drafted it.
	ids := map[string]bool{}
	for _, p := range d.People {
		for _, closed := range []bool{false, true} {
			recs, err := s.ParticipatedDocs(ctx, p.ID, closed, 1000)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range recs {
				ids[r.ID] = true
			}
		}
	}
	for id := range ids {
		in, err := s.Instance(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range in.Finished("unit_review") {
			if tk.ActedBy == in.Starter {
				t.Errorf("%s: drafted and reviewed by the same person", id)
			}
		}
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	_ = route.Done
	checkESealUse(t, s, d, now) // on these documents, not a second year of them
}
