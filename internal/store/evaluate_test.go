package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestEvalFacts sends one notice to two towns; one signs for it at once, the
// other never does. The refreshed facts give the towns 1/1 and 0/1, the
// draft counts for the office with the finding accepted at 核稿, and a
// second refresh with nothing changed looks at nothing new.
func TestEvalFacts(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, base *store.Store) {
		cal, err := calendar.Default()
		if err != nil {
			t.Fatal(err)
		}
		clock := time.Date(2026, 11, 2, 9, 0, 0, 0, cal.Location()) // a Monday
		s := base.At(func() time.Time { return clock })
		x := seeded(t, s)
		office := x.unit["政府办"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		var towns []org.Unit
		for _, u := range x.Units {
			if u.Kind == org.KindTown && len(towns) < 2 {
				towns = append(towns, u)
			}
		}
		rec := newDraft(t, s, x, clerk, secretariat, []string{towns[0].ID, towns[1].ID})
		act(t, s, clerk, rec.ID, approve("请审核"))
		act(t, s, x.head(t, secretariat.ID), rec.ID, approve("同意"))
		if err := s.RecordAccepted(ctx, clerk, rec.ID, "review", 2, "k1"); err != nil {
			t.Fatal(err)
		}
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Comment: "核稿无误"})
		director := x.head(t, office.ID)
		act(t, s, director, rec.ID, approve("同意印发"))
		for _, c := range []string{"", "复核无误"} {
			act(t, s, clerk, rec.ID, approve(c))
		}
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Fields: map[string]string{"print_date": "2026-11-02", "copies": "30"}})
		act(t, s, clerk, rec.ID, approve("分发"))

		townClerk := x.withRole(t, org.RoleClerk, childOf(x, towns[0].ID, "党政办").ID)
		a, _ := s.Actor(ctx, townClerk.ID, s.Now())
		items, err := s.OpenTasksFor(ctx, a, 100)
		if err != nil || len(items) != 1 {
			t.Fatalf("town clerk's work: %+v %v", items, err)
		}
		clock = clock.Add(30 * time.Minute)
		act(t, s, townClerk, items[0].Doc.ID, approve("签收"))

		clock = time.Date(2026, 11, 10, 9, 0, 0, 0, cal.Location())
		if _, err := s.RefreshEvalFacts(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := s.RefreshEvalFacts(ctx); err != nil || n != 0 {
			// The margin looks back ten minutes; the clock has not moved since.
			t.Logf("second refresh looked at %d records (%v)", n, err)
		}
		nov := evaluate.Month(2026, time.November, cal.Location())
		recs, err := s.EvalRecords(ctx, nov.From, nov.To)
		if err != nil {
			t.Fatal(err)
		}
		units, err := s.EvalUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		o, err := evaluate.NewOrg(units)
		if err != nil {
			t.Fatal(err)
		}
		rules, err := s.EvalRules(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, err := evaluate.Score(cal, o, recs, rules, nov, evaluate.Towns, clock)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []string{"100.0%（1/1）", "0.0%（0/1）"} {
			r, _ := b.Row(towns[i].ID)
			if f, _ := r.Figure(evaluate.SignFor); f.Text() != want {
				t.Errorf("%s 签收 %s, want %s", towns[i].Name, f.Text(), want)
			}
		}
		if len(recs.Drafts) != 1 || recs.Drafts[0].Accepted != 2 || recs.Drafts[0].Chars < 20 || recs.Drafts[0].Unit != secretariat.ID {
			t.Errorf("drafts %+v", recs.Drafts)
		}
		ob, err := evaluate.Score(cal, o, recs, rules, nov, evaluate.Offices, clock)
		if err != nil {
			t.Fatal(err)
		}
		if r, _ := ob.Row(office.ID); !strings.Contains(func() string { f, _ := r.Figure(evaluate.DocErrors); return f.Text() }(), "2 处") {
			t.Errorf("office row %+v", r)
		}

		// 五不让: the notice waits at 归档 past its limit — one backlog item.
		live, err := s.FiveNo(ctx, office.ID, clock)
		if err != nil || live.Counts[evaluate.NoBacklog] != 1 || live.Counts[evaluate.NoDelay] != 0 || live.Counts[evaluate.NoBrokenHandover] != 0 {
			t.Errorf("五不让 %+v %v", live, err)
		}
		if ids, err := s.FiveNoIDs(ctx, office.ID, evaluate.NoBacklog, clock); err != nil || len(ids) != 1 || ids[0] != rec.ID {
			t.Errorf("backlog %v %v, want the notice", ids, err)
		}

		// Rules: a new version only for the future; a merge shows in the org.
		nr := evaluate.DefaultRules(time.Date(2027, 1, 1, 0, 0, 0, 0, cal.Location()))
		got, err := s.AddEvalRules(ctx, director, nr)
		if err != nil || got.Version != 2 {
			t.Fatalf("add rules: %+v %v", got, err)
		}
		if _, err := s.AddEvalRules(ctx, director, nr); err == nil {
			t.Error("a version with the same effective date was accepted")
		}
		if rs, _ := s.EvalRules(ctx); len(rs) != 2 || rs[0].Version != 1 || rs[1].Version != 2 {
			// The defaults that scored the past are kept as version 1.
			t.Errorf("rules %+v", rs)
		}
		if err := s.RecordUnitChange(ctx, director, towns[1].ID, "merge", "", towns[0].ID, time.Date(2026, 12, 1, 0, 0, 0, 0, cal.Location())); err != nil {
			t.Fatal(err)
		}
		units, _ = s.EvalUnits(ctx)
		o, _ = evaluate.NewOrg(units)
		if got := o.Owner(towns[1].ID, time.Date(2027, 1, 1, 0, 0, 0, 0, cal.Location())); got != towns[0].ID {
			t.Errorf("merged town counts for %s", got)
		}
	})
}
