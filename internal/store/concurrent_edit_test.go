package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// The writes below read something and write what follows from it: a
// version number, a route, a template's version, a 批注's place in the text.
// Each runs many times at once on one object; on PostgreSQL, where
// transactions run side by side, each must either wait for the other or be
// refused with a conflict (ErrStale / ErrModified, a 409), never fail on a
// database constraint or lose what the other wrote.

// TestConcurrentSavesAndAnnotations: drafts saved at once (no base version)
// all become versions, numbered without gaps; 批注 added meanwhile all
// follow the text to the last version; a 批注 resolved twice at once is
// resolved once.
func TestConcurrentSavesAndAnnotations(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		clerk := x.byLogin["wenmi"]
		rec := newDraft(t, s, x, clerk, childOf(x, x.unit["政府办"].ID, "秘书科"), nil)
		const saves, notes = 6, 6
		var wg sync.WaitGroup
		errs := make(chan error, saves+notes)
		for i := range saves {
			wg.Go(func() {
				doc := rec.Doc
				doc.Body = document.ParseBody(doc.Body.String() + fmt.Sprintf("\n（%d）补充内容。", i+1))
				_, err := s.SaveDraft(ctx, clerk, rec.ID, doc, "补充")
				errs <- err
			})
		}
		for range notes {
			wg.Go(func() {
				_, err := s.Annotate(ctx, clerk, rec.ID, 0, 4, "请斟酌")
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent save or 批注: %v", err)
			}
		}
		got, err := s.Document(ctx, rec.ID)
		if err != nil || got.Version != 1+saves {
			t.Fatalf("document at version %d after %d saves (%v)", got.Version, saves, err)
		}
		vs, err := s.Versions(ctx, rec.ID)
		if err != nil || len(vs) != 1+saves {
			t.Fatalf("%d versions (%v)", len(vs), err)
		}
		for i, v := range vs {
			if v.N != i+1 {
				t.Fatalf("versions %v: not 1…%d", vs, 1+saves)
			}
		}
		anns, err := s.Annotations(ctx, rec.ID)
		if err != nil || len(anns) != notes {
			t.Fatalf("%d 批注 (%v)", len(anns), err)
		}
		for _, a := range anns {
			if a.Version != got.Version {
				t.Errorf("批注 %s left on version %d, the document is at %d", a.ID, a.Version, got.Version)
			}
		}
		// Resolving one 批注 twice at once: once.
		res := make(chan error, 2)
		for range 2 {
			wg.Go(func() { res <- s.ResolveAnnotation(ctx, clerk, rec.ID, anns[0].ID) })
		}
		wg.Wait()
		close(res)
		ok := 0
		for err := range res {
			if err == nil {
				ok++
			}
		}
		es, _ := s.ListAudit(ctx, store.AuditFilter{Action: "document.annotation.resolve"})
		if ok != 1 || len(es) != 1 {
			t.Errorf("批注 resolved %d times, %d audit entries", ok, len(es))
		}
	})
}

// TestSaveFromStaleVersion: a save that names the version it started from
// is refused with ErrModified (409, 已被他人修改) once another save came
// first, and changes nothing.
func TestSaveFromStaleVersion(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		clerk := x.byLogin["wenmi"]
		rec := newDraft(t, s, x, clerk, childOf(x, x.unit["政府办"].ID, "秘书科"), nil)
		a, b := rec.Doc, rec.Doc
		a.Title += "（甲）"
		b.Title += "（乙）"
		if _, err := s.SaveDraftFrom(ctx, clerk, rec.ID, rec.Version, a, ""); err != nil {
			t.Fatal(err)
		}
		_, err := s.SaveDraftFrom(ctx, clerk, rec.ID, rec.Version, b, "")
		if !errors.Is(err, store.ErrModified) || !errors.Is(err, store.ErrStale) || err.Error() != "已被他人修改，请刷新后重试" {
			t.Fatalf("second save from v%d: %v", rec.Version, err)
		}
		if got, _ := s.Document(ctx, rec.ID); got.Version != 2 || got.Doc.Title != a.Title {
			t.Errorf("after the refused save: v%d %q", got.Version, got.Doc.Title)
		}
	})
}

// TestParallelCountersignAtOnce: the units countersigning in parallel
// approve at the same moment; every approval goes through (each acts on its
// own task), and the document moves on to 签发.
func TestParallelCountersignAtOnce(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		rec := newDraft(t, s, x, clerk, secretariat, nil)
		act(t, s, clerk, rec.ID, approve("请审核"))
		act(t, s, x.head(t, secretariat.ID), rec.ID, approve("同意"))
		sections := []string{"综合科", "督查室", "信息科", "文电科"}
		var next []route.NextTask
		for _, name := range sections {
			next = append(next, route.NextTask{Assignee: route.Assignee{Kind: route.Leader, Unit: childOf(x, office.ID, name).ID}})
		}
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Comment: "请会签", Next: next})
		in, err := s.Instance(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(sections))
		for _, tk := range in.OpenTasks() {
			who := x.head(t, tk.Assignee.Unit)
			wg.Go(func() {
				_, err := s.Act(ctx, who, rec.ID, route.Request{Op: route.Approve, Task: tk.ID, Comment: "同意"})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("countersigning at once: %v", err)
			}
		}
		if got, _ := s.Document(ctx, rec.ID); got.Step != "领导签发" {
			t.Errorf("after every countersignature: %q", got.Step)
		}
	})
}

// TestRouteTemplateEditedAtOnce: two office editors save the route from the
// same version; one save goes through, the other is refused with
// ErrModified instead of overwriting it (or failing on the table's key when
// neither had an own version yet), and the version goes up by one.
func TestRouteTemplateEditedAtOnce(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		director := x.head(t, office.ID)
		for round := range 2 { // first the organ's first own version, then a change of it
			base, _, err := s.RouteTemplate(ctx, office.ID, store.Outgoing)
			if err != nil {
				t.Fatal(err)
			}
			const n = 4
			errs := make(chan error, n)
			var wg sync.WaitGroup
			for i := range n {
				tmpl := base
				tmpl.Steps = append([]route.Step(nil), base.Steps...)
				tmpl.Steps[1].Name = fmt.Sprintf("审核%d-%d", round, i)
				wg.Go(func() {
					errs <- s.Write(ctx, func(tx *store.Tx) error { return tx.PutRouteTemplate(ctx, director, office.ID, tmpl) })
				})
			}
			wg.Wait()
			close(errs)
			ok := 0
			for err := range errs {
				switch {
				case err == nil:
					ok++
				case !errors.Is(err, store.ErrModified):
					t.Errorf("round %d: %v", round, err)
				}
			}
			got, custom, _ := s.RouteTemplate(ctx, office.ID, store.Outgoing)
			if ok != 1 || !custom || got.Version != base.Version+1 {
				t.Fatalf("round %d: %d of %d saves went through; stored version %d from %d", round, ok, n, got.Version, base.Version)
			}
		}
	})
}

// TestGrantRevokedAtOnce: a 知悉范围 grant revoked twice at once is revoked
// once and audited once; the other revocation finds it gone.
func TestGrantRevokedAtOnce(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		clerk := x.byLogin["wenmi"]
		rec := newDraft(t, s, x, clerk, x.unit["政府办"], nil)
		officer := x.byLogin["secadmin"]
		for round := range 3 {
			id := fmt.Sprintf("g-%d", round)
			if err := s.Write(ctx, func(tx *store.Tx) error {
				return tx.AddGrant(ctx, store.Grant{ID: id, PersonID: x.byLogin["ducha"].ID, ObjectKind: "document", ObjectID: rec.ID, GrantedBy: officer.ID})
			}); err != nil {
				t.Fatal(err)
			}
			errs := make(chan error, 2)
			var wg sync.WaitGroup
			for range 2 {
				wg.Go(func() {
					errs <- s.Write(ctx, func(tx *store.Tx) error {
						g, err := tx.RevokeGrant(ctx, id)
						if err != nil {
							return err
						}
						return tx.Audit(ctx, audit.Event{ActorID: officer.ID, ActorName: officer.Name, Action: "grant.revoke", ObjectKind: g.ObjectKind, ObjectID: g.ObjectID})
					})
				})
			}
			wg.Wait()
			close(errs)
			ok := 0
			for err := range errs {
				switch {
				case err == nil:
					ok++
				case !errors.Is(err, store.ErrNotFound):
					t.Errorf("revoking: %v", err)
				}
			}
			if ok != 1 {
				t.Errorf("round %d: revoked %d times", round, ok)
			}
		}
		if es, _ := s.ListAudit(ctx, store.AuditFilter{Action: "grant.revoke"}); len(es) != 3 {
			t.Errorf("%d revocations audited for 3 grants", len(es))
		}
	})
}
