package store_test

import (
	"sync"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/schedule"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestProofreadLearnsIssued: a phrase found only in the office's own issued
// documents (the project name 智汇坊, which the shipped models read as a
// slip for 智慧) is flagged until a document using it is signed off and the
// background job has counted it; then it is not, while a real slip still
// is. Two servers running the job at once count the document once.
func TestProofreadLearnsIssued(t *testing.T) {
	base, err := proofread.New(proofread.Config{})
	if err != nil {
		t.Fatal(err)
	}
	const phrase = "全面推进清澜区“智汇坊”建设工作。"
	const slip = "各单位要加强安全生产工做。"
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		typos := func(text string) []proofread.Finding {
			t.Helper()
			chunks, err := s.ProofreadChunks(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			local, err := schedule.MergeProofreadChunks(nil, chunks)
			if err != nil {
				t.Fatal(err)
			}
			c, err := base.With(proofread.Config{Local: local})
			if err != nil {
				t.Fatal(err)
			}
			var out []proofread.Finding
			for _, f := range c.Check(text) {
				if f.Category == proofread.CategoryTypo {
					out = append(out, f)
				}
			}
			return out
		}
		tick := func() {
			t.Helper()
			r := &schedule.Runner{Store: s, Worker: "t", Sweeps: []schedule.Sweep{schedule.ProofreadSweep(s.Now())}}
			if err := r.Tick(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if fs := typos(phrase); len(fs) == 0 {
			t.Fatal("the shipped model no longer flags 智汇坊: the test needs another phrase")
		}

		newDoc := func(title, body string) store.DocRecord {
			t.Helper()
			rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: secretariat.ID, Doc: document.Document{
				Type: document.Notice, Title: title, Body: document.ParseBody(body)}})
			if err != nil {
				t.Fatal(err)
			}
			return rec
		}
		// To 签发: the drafter, the section head, 核稿 with one 会签, the office director.
		signOff := func(rec store.DocRecord) store.DocRecord {
			t.Helper()
			cs := childOf(x, office.ID, "综合科")
			act(t, s, clerk, rec.ID, approve("请审核"))
			act(t, s, x.head(t, secretariat.ID), rec.ID, approve("同意"))
			act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Comment: "核稿无误，请会签", Next: []route.NextTask{
				{Assignee: route.Assignee{Kind: route.Leader, Unit: cs.ID}}}})
			act(t, s, x.head(t, cs.ID), rec.ID, approve("同意"))
			return act(t, s, x.head(t, office.ID), rec.ID, approve("同意印发"))
		}
		rec := newDoc("清澜区人民政府办公室关于推进“智汇坊”建设的通知",
			"各镇人民政府、街道办事处：\n一、总体要求\n"+phrase+"\n二、工作安排\n（一）各镇要将“智汇坊”纳入年度重点工作。")
		// A draft teaches nothing.
		tick()
		if fs := typos(phrase); len(fs) == 0 {
			t.Fatal("a draft's text was learnt before sign-off")
		}
		rec = signOff(rec)
		// A document classified between 签发 and the job's run is not counted.
		secret := signOff(newDoc("清澜区人民政府办公室关于枢澜坊试点的通知", "各镇人民政府：\n枢澜坊试点工作另行部署。"))
		director := x.withRole(t, org.RoleOfficeDirector, office.ID)
		if _, err := s.Classify(ctx, director, secret.ID, secret.Version, document.Classification{Level: document.Confidential}, "涉及尚未公布的工作安排"); err != nil {
			t.Fatal(err)
		}
		if rec.Doc.Date.IsZero() {
			t.Fatalf("not signed off: at %s", rec.Step)
		}
		if fs := typos(phrase); len(fs) == 0 {
			t.Fatal("learnt before the job ran")
		}
		// Two servers run the job at once: the document is counted once.
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() { defer wg.Done(); tick() }()
		}
		wg.Wait()
		tick()
		chunks, err := s.ProofreadChunks(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		docs := 0
		for _, ch := range chunks {
			docs += ch.Docs
		}
		if docs != 1 {
			t.Fatalf("%d documents counted in %d chunks, want the one unclassified", docs, len(chunks))
		}
		if st, err := s.ProofreadModelStats(ctx); err != nil || st.Docs != 1 || st.Queued != 0 || st.Chars == 0 {
			t.Errorf("stats %+v %v", st, err)
		}
		if local, err := schedule.MergeProofreadChunks(nil, chunks); err != nil || local.Count([]rune("枢澜坊")) != 0 || local.Count([]rune("智汇坊")) == 0 {
			t.Errorf("the classified document's text was counted, or the other's not (%v)", err)
		}
		if fs := typos(phrase); len(fs) != 0 {
			t.Errorf("after sign-off the office's own phrase is still flagged: %+v", fs)
		}
		if fs := typos(slip); len(fs) != 1 || fs[0].Suggestion != "作" {
			t.Errorf("a real slip is no longer corrected: %+v", fs)
		}
		// Bulk (build-model --db) finds nothing more to count.
		if n, err := schedule.LearnIssued(ctx, s, nil); err != nil || n != 0 {
			t.Errorf("bulk after the job: %d %v", n, err)
		}
	})
}
