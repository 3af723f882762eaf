package store_test

import (
	"testing"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestRegisterPaperAndSections: 登记收文 is the item's 签收 and 登记 — the
// registrar takes the 收文编号 and the item waits at 拟办, not for the same
// clerk to sign for and register it again; and a document registered to a
// section is received by its organ's office, whose clerk finds it on their
// 待办 (it waited for a role nobody holds in the section).
func TestRegisterPaperAndSections(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		clerk := x.byLogin["wenmi"]
		office := x.unit["政府办"]
		doc := document.Document{Type: document.Notice, Title: "云泽市人民政府办公室关于做好冬季安全检查的通知"}
		rec, err := s.RegisterPaper(ctx, clerk, office.ID, doc, "云泽市人民政府办公室")
		if err != nil {
			t.Fatal(err)
		}
		if rec.InNumber == "" || rec.Step != "拟办" {
			t.Fatalf("registered by hand: number %q, step %q", rec.InNumber, rec.Step)
		}
		if tasksOf(t, s, clerk, rec.ID) != 0 {
			t.Fatal("the registrar must sign for or register it again")
		}

		fin := x.unit["区财政局"]
		var section org.Unit
		for _, u := range x.Units {
			if u.ParentID == fin.ID && u.Kind == org.KindSection {
				section = u
				break
			}
		}
		if section.ID == "" {
			t.Fatal("no section in 区财政局")
		}
		rec, err = s.RegisterIncoming(ctx, x.byLogin["jiyao"], section.ID, doc, "云泽市人民政府办公室")
		if err != nil {
			t.Fatal(err)
		}
		units := map[string]org.Unit{}
		for _, u := range x.Units {
			units[u.ID] = u
		}
		want := org.OfficeOf(units, fin.ID)
		if rec.UnitID != want {
			t.Fatalf("registered to %s, want the office %s", units[rec.UnitID].Name, units[want].Name)
		}
		var finClerk org.Person
		for _, r := range x.Roles {
			if r.UnitID == want && (r.Role == org.RoleClerk || r.Role == org.RoleConfidentialClerk) {
				for _, p := range x.People {
					if p.ID == r.PersonID {
						finClerk = p
					}
				}
			}
		}
		if finClerk.ID == "" || tasksOf(t, s, finClerk, rec.ID) != 1 {
			t.Fatalf("the office's clerk %s has no 签收 of it", finClerk.Name)
		}
	})
}

func tasksOf(t *testing.T, s *store.Store, p org.Person, docID string) int {
	t.Helper()
	a, err := s.Actor(ctx, p.ID, s.Now())
	if err != nil {
		t.Fatal(err)
	}
	items, err := s.OpenTasksFor(ctx, a, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range items {
		if it.Doc.ID == docID {
			n++
		}
	}
	return n
}
