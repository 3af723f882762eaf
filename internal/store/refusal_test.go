package store_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

var rawID = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-`)

// TestRefusalsNameUnitsAndPeople: a refusal names the unit or person it
// means as users know them ("应由综合科负责人办理"), never by ID (it read
// "应由b7207209-… 的负责人办理"), for documents and supervision items alike.
func TestRefusalsNameUnitsAndPeople(t *testing.T) {
	clk := &supClock{t: cst(2026, 3, 2, 9)}
	storetest.ForEach(t, store.Options{Now: clk.now}, func(t *testing.T, s *store.Store) {
		c := newSupCase(t, s)
		x := c.x
		office := x.unit["政府办"]
		secretariat := childOf(x, office.ID, "秘书科")
		general := childOf(x, office.ID, "综合科")
		clerk := x.byLogin["wenmi"]
		rec := newDraft(t, s, x, clerk, secretariat, []string{x.unit["区财政局"].ID})
		act(t, s, clerk, rec.ID, approve("请审核"))
		act(t, s, x.head(t, secretariat.ID), rec.ID, approve("同意"))
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Comment: "请会签", Next: []route.NextTask{
			{Assignee: route.Assignee{Kind: route.Leader, Unit: general.ID}}}})
		in, err := s.Instance(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		task := in.OpenTasks()[0]
		_, err = s.Act(ctx, clerk, rec.ID, route.Request{Op: route.Approve, Task: task.ID, Comment: "同意"})
		var rr *route.Refusal
		if !errors.As(err, &rr) {
			t.Fatalf("want a refusal, got %v", err)
		}
		if rawID.MatchString(err.Error()) || !strings.Contains(err.Error(), "应由"+general.ShortName+"负责人办理") {
			t.Errorf("document refusal: %q", err)
		}

		// A supervision item: a unit not on it signs for it.
		if _, err := s.CreateSupItem(ctx, c.sup, c.newItem("named-1", 10), true); err != nil {
			t.Fatal(err)
		}
		edu := x.unit["区教育局"]
		_, err = s.SupAct(ctx, x.head(t, edu.ID), "named-1", "sign_for", nil, signFor(edu.ID))
		var sr *supervise.Refusal
		if !errors.As(err, &sr) {
			t.Fatalf("want a refusal, got %v", err)
		}
		if rawID.MatchString(err.Error()) || !strings.Contains(err.Error(), edu.ShortName) {
			t.Errorf("supervision refusal: %q", err)
		}
		// One the route engine refuses: the co-unit signs for the lead unit.
		_, err = s.SupAct(ctx, c.coPerson, "named-1", "sign_for", nil, signFor(c.lead))
		if err == nil || rawID.MatchString(err.Error()) {
			t.Errorf("route refusal through supervision: %v", err)
		}
		clk.add(time.Minute)
	})
}
