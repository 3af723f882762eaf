package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/planner"
	"github.com/shuniu-oa/shuniu/internal/research"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/study"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// TestResearchFlow: the office sets a topic for two units, a leader's trip
// lands on the leader's schedule (and leaves it when cancelled), a report is
// returned, resubmitted, proofread and accepted into the library, and a
// leader's 批示 on it becomes a supervision item linked both ways; a refusal
// writes nothing.
func TestResearchFlow(t *testing.T) {
	clk := &supClock{t: cst(2026, 3, 2, 9)}
	storetest.ForEach(t, store.Options{Now: clk.now}, func(t *testing.T, s *store.Store) {
		clk.set(cst(2026, 3, 2, 9))
		c := newSupCase(t, s)
		x := c.x
		office := x.unit["区委办"].ID
		clerk, leader := x.byLogin["wenmi"], x.byLogin["lingdao"]
		u1, u2 := c.lead, c.co
		head := c.leadPerson
		n := research.NewTopic{ID: "rt-1", OfficeID: office, Title: "关于背街小巷改造的调研", Source: research.ByLeader, SetBy: leader.ID,
			Assignees: []research.Assignee{{UnitID: u1}, {UnitID: u2}}, Due: clk.now().Add(20 * 24 * time.Hour)}
		if _, err := s.CreateResearchTopic(ctx, clerk, research.NewTopic{ID: "rt-x", OfficeID: office, Source: research.ByOffice}); err == nil {
			t.Fatal("created a topic without a title")
		}
		if _, err := s.ResearchTopic(ctx, "rt-x"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("refused topic stored: %v", err)
		}
		tp, err := s.CreateResearchTopic(ctx, clerk, n)
		if err != nil {
			t.Fatal(err)
		}
		if mine, err := s.ResearchTopics(ctx, store.ResearchFilter{UnitIDs: []string{u2}}); err != nil || len(mine) != 1 {
			t.Fatalf("unit's topics: %v %v", mine, err)
		}
		start := cst(2026, 3, 5, 9)
		act := func(action string, op store.ResearchOp) research.Topic {
			t.Helper()
			got, err := s.ResearchAct(ctx, clerk, tp.ID, action, nil, op)
			if err != nil {
				t.Fatalf("%s: %v", action, err)
			}
			return got
		}
		tp = act("trip", func(tp research.Topic) (research.Topic, error) {
			return research.AddTrip(tp, research.Trip{ID: "trip-1", Place: "青石镇", Purpose: "察看老街改造", Start: start, End: start.Add(3 * time.Hour), Leaders: []string{leader.ID}}, clerk.ID, clk.now())
		})
		es, err := s.ScheduleEntriesBySource(ctx, planner.Source{Kind: planner.SourceResearch, ID: "trip-1"})
		if err != nil || len(es) != 1 || es[0].PersonID != leader.ID || !strings.Contains(es[0].Title, "背街小巷") {
			t.Fatalf("leader's schedule: %+v %v", es, err)
		}
		tp = act("plan", func(tp research.Topic) (research.Topic, error) {
			return research.AddPlan(tp, u1, head.ID, "走访三个社区", clk.now())
		})
		if len(tp.Trips) != 1 { // a later save leaves the trip's entry alone
			t.Fatal(tp.Trips)
		}
		if es, _ := s.ScheduleEntriesBySource(ctx, research.ScheduleSource("trip-1")); len(es) != 1 || es[0].ID == "" {
			t.Fatalf("entries after another save: %+v", es)
		}
		tp = act("cancel_trip", func(tp research.Topic) (research.Topic, error) {
			return research.CancelTrip(tp, "trip-1", clerk.ID, clk.now())
		})
		if es, _ := s.ScheduleEntriesBySource(ctx, research.ScheduleSource("trip-1")); len(es) != 0 {
			t.Fatalf("cancelled trip still on the schedule: %+v", es)
		}
		submit := func(body string) {
			t.Helper()
			act("submit", func(tp research.Topic) (research.Topic, error) {
				tp, _, err := research.Submit(tp, u1, head.ID, "背街小巷改造情况的调研报告", body, clk.now())
				return tp, err
			})
		}
		submit("老街改造已完成七成。")
		act("return", func(tp research.Topic) (research.Topic, error) {
			return research.Return(tp, 1, clerk.ID, "缺少问题和建议", clk.now())
		})
		submit("老街改造已完成七成，存在资金缺口，建义统筹。")
		tp = act("correct", func(tp research.Topic) (research.Topic, error) {
			return research.Correct(tp, 2, clerk.ID, 17, 19, "建义", "建议", clk.now())
		})
		tp = act("accept", func(tp research.Topic) (research.Topic, error) { return research.Accept(tp, 2, clerk.ID, clk.now()) })
		if r, _ := tp.Report(2); r.Body != "老街改造已完成七成，存在资金缺口，建议统筹。" {
			t.Fatal(r.Body)
		}
		lib, err := s.ResearchLibrary(ctx, store.LibraryFilter{OfficeID: office, Q: "背街 调研报告"})
		if err != nil || len(lib) != 1 || lib[0].No != 2 || lib[0].UnitID != u1 || lib[0].Instructed {
			t.Fatalf("library: %+v %v", lib, err)
		}
		if lib, _ := s.ResearchLibrary(ctx, store.LibraryFilter{OfficeID: office, Q: "100%"}); len(lib) != 0 {
			t.Fatalf("a %% matched everything: %+v", lib)
		}
		if lib, _ := s.ResearchLibrary(ctx, store.LibraryFilter{OfficeID: office, UnitID: u2}); len(lib) != 0 {
			t.Fatalf("by unit: %+v", lib)
		}
		tp = act("instruction", func(tp research.Topic) (research.Topic, error) {
			return research.AddInstruction(tp, 2, research.Instruction{Leader: "区委书记 张明", Text: "请区住建局牵头解决资金缺口", At: clk.now()}, clerk.ID, clk.now())
		})
		ni := c.newItem("sup-rt", 10)
		ni.Title = ""
		tp, it, err := s.ResearchInstructionToSupervision(ctx, c.sup, tp.ID, 2, 0, ni, true)
		if err != nil {
			t.Fatal(err)
		}
		if it.Source != supervise.FromResearch || it.Ref != research.SupervisionRef(tp.ID, 2) || tp.Reports[1].Instructions[0].SupItemID != it.ID ||
			!strings.Contains(it.Title, "背街小巷") || it.Instructor != "区委书记 张明" {
			t.Fatalf("supervision: %+v / %+v", it, tp.Reports[1].Instructions)
		}
		if got, err := s.SupItem(ctx, it.ID); err != nil || got.Ref != it.Ref {
			t.Fatalf("item stored: %v %+v", err, got)
		}
		if _, _, err := s.ResearchInstructionToSupervision(ctx, c.sup, tp.ID, 2, 0, ni, true); err == nil {
			t.Fatal("converted a 批示 twice")
		}
		if lib, _ := s.ResearchLibrary(ctx, store.LibraryFilter{OfficeID: office}); len(lib) != 1 || !lib[0].Instructed {
			t.Fatalf("library after the 批示: %+v", lib)
		}
	})
}

// TestStudyFlow: a plan names people, a session is signed in by QR and by
// the organizer and its hours count for the year, and an issued document
// joins the 范文 library in one action (once).
func TestStudyFlow(t *testing.T) {
	clk := &supClock{t: cst(2026, 4, 1, 9)}
	storetest.ForEach(t, store.Options{Now: clk.now}, func(t *testing.T, s *store.Store) {
		clk.set(cst(2026, 4, 1, 9))
		x := seeded(t, s)
		office := x.unit["区委办"].ID
		clerk, a, b := x.byLogin["wenmi"], x.byLogin["jiyao"], x.byLogin["zhuren"]
		p, err := study.NewPlan("sp-1", office, "2026年度学习计划", 2026, clerk.ID, clk.now())
		if err != nil {
			t.Fatal(err)
		}
		if p, err = study.AddItem(p, study.Item{Topic: "《党政机关公文处理工作条例》", People: []string{a.ID, b.ID}, Due: cst(2026, 4, 30, 17)}, clk.now()); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateStudyPlan(ctx, clerk, p); err != nil {
			t.Fatal(err)
		}
		if _, err := s.StudyPlanAct(ctx, a, p.ID, "complete", nil, func(p study.Plan, now time.Time) (study.Plan, error) {
			return study.Complete(p, 0, a.ID, "", now)
		}); err != nil {
			t.Fatal(err)
		}
		if mine, err := s.PlansNaming(ctx, b.ID); err != nil || len(mine) != 1 || len(mine[0].Owing(b.ID, clk.now())) != 1 {
			t.Fatalf("b's plans: %+v %v", mine, err)
		}
		start := cst(2026, 4, 2, 14)
		tr, err := s.CreateTraining(ctx, clerk, study.Training{ID: "tr-1", OfficeID: office, Title: "公文写作培训", Start: start, End: start.Add(90 * time.Minute),
			Invitees: []string{a.ID, b.ID}, Organizer: clerk.ID, Secret: []byte("secret-secret-secret")})
		if err != nil || tr.Minutes != 90 {
			t.Fatal(err, tr.Minutes)
		}
		clk.set(start.Add(-10 * time.Minute))
		tok := study.SignInToken(tr, clk.now().Add(5*time.Minute))
		if _, err := s.TrainingAct(ctx, a, tr.ID, "sign_in", nil, func(tr study.Training, now time.Time) (study.Training, error) {
			if err := study.CheckSignInToken(tr, tok, now); err != nil {
				return tr, err
			}
			return study.SignIn(tr, a.ID, a.ID, "qr", now)
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TrainingAct(ctx, b, tr.ID, "sign_in", nil, func(tr study.Training, now time.Time) (study.Training, error) {
			return study.SignIn(tr, b.ID, b.ID, "click", now)
		}); err == nil {
			t.Fatal("signed in for the organizer")
		}
		hs, err := s.TrainingHours(ctx, office, 2026)
		if err != nil || len(hs) != 2 || hs[0].PersonID != a.ID || hs[0].Minutes != 90 || hs[1].Minutes != 0 || hs[1].Invited != 1 {
			t.Fatalf("hours: %+v %v", hs, err)
		}
		if mine, err := s.TrainingsOf(ctx, b.ID, cst(2026, 1, 1, 0), cst(2027, 1, 1, 0)); err != nil || len(mine) != 1 {
			t.Fatalf("b's trainings: %v %v", mine, err)
		}
		if _, err := s.AddLibraryEntry(ctx, clerk, study.Entry{ID: "lib-1", OfficeID: office, Kind: study.Experience, Title: "白沙镇值班工作经验", UnitID: x.unit["白沙镇"].ID, Body: "一是……"}); err != nil {
			t.Fatal(err)
		}
		if got, err := s.StudyLibrary(ctx, store.LibraryFilter{OfficeID: office, Q: "值班", Kind: string(study.Experience)}); err != nil || len(got) != 1 {
			t.Fatalf("library: %v %v", got, err)
		}
		if _, err := s.AddIssuedToLibrary(ctx, clerk, "lib-2", office, "no-such-doc", ""); err == nil {
			t.Fatal("added a missing document")
		}
		if got, _ := s.StudyLibrary(ctx, store.LibraryFilter{OfficeID: office}); len(got) != 1 {
			t.Fatalf("refusal wrote: %v", got)
		}
	})
}
