package store_test

import (
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestRouteTemplates: an office adjusts its 发文 route — drops 会签, adds a
// 保密审查 step, shortens a limit — new drafts follow it, drafts already on
// the way keep theirs, and removing a system step is refused.
func TestRouteTemplates(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		director := x.head(t, office.ID)
		before := newDraft(t, s, x, clerk, office, nil)

		tmpl, custom, err := s.RouteTemplate(ctx, office.ID, store.Outgoing)
		if err != nil || custom {
			t.Fatalf("default: %v %v", custom, err)
		}
		broken := tmpl
		broken.Steps = append([]route.Step{}, tmpl.Steps...)
		broken.Steps = append(broken.Steps[:5], broken.Steps[6:]...) // drop 编号
		err = s.Write(ctx, func(tx *store.Tx) error { return tx.PutRouteTemplate(ctx, director, office.ID, broken) })
		if err == nil || !strings.Contains(err.Error(), "编号") {
			t.Fatalf("removing 编号: %v", err)
		}
		var steps []route.Step
		for _, st := range tmpl.Steps {
			switch st.Key {
			case "countersign":
				continue
			case "review":
				st.Limit = calendar.Hours(4)
				steps = append(steps, st, route.Step{Key: "security_review", Name: "保密审查",
					Actors: []route.Assignee{{Kind: route.Role, Role: route.RoleOfficeReviewer, Unit: "{office}"}}, Limit: calendar.Days(1),
					Ops: []route.Op{route.Return, route.Withdraw, route.Urge}})
				continue
			}
			steps = append(steps, st)
		}
		tmpl.Steps = steps
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.PutRouteTemplate(ctx, director, office.ID, tmpl) }); err != nil {
			t.Fatal(err)
		}
		got, custom, _ := s.RouteTemplate(ctx, office.ID, store.Outgoing)
		if !custom || got.Version != tmpl.Version+1 || got.StepIndex("security_review") < 0 {
			t.Fatalf("stored template: %+v", got)
		}
		after := newDraft(t, s, x, clerk, office, nil)
		inAfter, _ := s.Instance(ctx, after.ID)
		inBefore, _ := s.Instance(ctx, before.ID)
		if inAfter.Template.StepIndex("security_review") < 0 || inBefore.Template.StepIndex("security_review") >= 0 {
			t.Error("new drafts should follow the new route and old ones keep theirs")
		}
		// Walk the new route up to 保密审查 and past it to 签发.
		act(t, s, clerk, after.ID, approve(""))
		act(t, s, director, after.ID, approve("同意"))
		act(t, s, clerk, after.ID, approve("核稿无误"))
		got2 := act(t, s, clerk, after.ID, approve("无涉密内容"))
		if got2.Step != "领导签发" {
			t.Errorf("after 保密审查: %s", got2.Step)
		}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.ResetRouteTemplate(ctx, director, office.ID, store.Outgoing) }); err != nil {
			t.Fatal(err)
		}
		if _, custom, _ := s.RouteTemplate(ctx, office.ID, store.Outgoing); custom {
			t.Error("reset did not restore the default")
		}
	})
}
